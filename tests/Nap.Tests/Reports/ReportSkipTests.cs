using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Nap.Reports;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// Which bodies a compilation skips and which storage errors fail it: a skip is part of the report for good (its input
/// hash does not show it), so only a body that is not there or not the received one is skipped; a transient error fails
/// the compilation, to be retried.
/// </summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class ReportSkipTests
{
    [Fact]
    public async Task A_transient_storage_error_fails_the_compilation_and_the_next_one_after_recovery_includes_the_submission()
    {
        await using var services = new ReportServices(configure: FlakyContentStore.Register);
        var registry = await services.SeedRegistryAsync();
        var cycle = await services.CreateCycleAsync();
        var written = new List<SubmissionVersion>();
        foreach (var (s, i) in registry.Where(s => s.Active).Take(3).Select((s, i) => (s, i)))
            written.Add(await SubmissionWriter.WriteAsync(services.Provider, cycle, s.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(i + 1).ToJsonString()),
                cycle.DeadlineUtc.AddDays(-3 + i)));
        var flaky = services.Get<FlakyContentStore>();
        var store = services.Get<ReportStore>();
        var reports = services.Get<ReportService>();

        flaky.Failures[written[1].BlobName] = 503;
        var failure = await Assert.ThrowsAnyAsync<RequestFailedException>(() => reports.CompileAsync(cycle.Id, ReportKind.Final, null));
        Assert.Equal(503, failure.Status);
        Assert.Empty(await store.ListAsync(cycle.Id));
        Assert.Null(await store.FindLatestAsync(cycle.Id, ReportKind.Final));

        flaky.Failures.Clear();
        var outcome = await reports.CompileAsync(cycle.Id, ReportKind.Final, null);

        Assert.True(outcome.Created);
        var version = Assert.Single(await store.ListAsync(cycle.Id));
        Assert.Equal(outcome.Version!.Version, version.Version);
        var json = JsonNode.Parse(await DownloadAsync(services, version, "Json"))!;
        Assert.Empty(json["dataQuality"]!["skipped"]!.AsArray());
        Assert.All(json["lineage"]!.AsArray(), l => Assert.True((bool)l!["included"]!));
        Assert.Contains(json["lineage"]!.AsArray(), l => (string)l!["submissionId"]! == written[1].Receipt.SubmissionId);
    }

    [Fact]
    public async Task An_altered_body_and_a_404_are_skipped_and_named_in_the_data_quality_section_by_reason()
    {
        await using var services = new ReportServices(configure: FlakyContentStore.Register);
        var registry = await services.SeedRegistryAsync();
        var cycle = await services.CreateCycleAsync();
        var active = registry.Where(s => s.Active).Take(4).ToList();
        var at = cycle.DeadlineUtc.AddDays(-10);
        var included = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[0].Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(1).ToJsonString()), at);
        // Stored bytes that are not the ones received: the receipt promises the SHA-256 of another body.
        var promised = Convert.ToHexStringLower(SHA256.HashData(SubmissionWriter.Utf8(SampleSubmissions.Valid(99).ToJsonString())));
        var altered = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[1].Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(2).ToJsonString()),
            at.AddHours(1), sha256: promised);
        // Storage answers 404 for this one (the content store throws instead of returning null).
        var notFound = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[2].Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(3).ToJsonString()), at.AddHours(2));
        services.Get<FlakyContentStore>().Failures[notFound.BlobName] = 404;
        // Never stored at all.
        var absent = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[3].Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(4).ToJsonString()),
            at.AddHours(3), writeBlob: false);

        var outcome = await services.Get<ReportService>().CompileAsync(cycle.Id, ReportKind.Draft, null);

        Assert.True(outcome.Created);
        var json = JsonNode.Parse(await DownloadAsync(services, outcome.Version!, "Json"))!;
        var skipped = json["dataQuality"]!["skipped"]!.AsArray().ToDictionary(s => (string)s!["signatoryId"]!, s => (string)s!["reason"]!);
        Assert.Equal(new Dictionary<string, string>
        {
            [altered.Receipt.SignatoryId] = SkipReasons.HashMismatch,
            [notFound.Receipt.SignatoryId] = SkipReasons.Missing,
            [absent.Receipt.SignatoryId] = SkipReasons.Missing,
        }, skipped);
        var lineage = json["lineage"]!.AsArray().ToDictionary(l => (string)l!["signatoryId"]!, l => (bool)l!["included"]!);
        Assert.True(lineage[included.Receipt.SignatoryId]);
        Assert.False(lineage[altered.Receipt.SignatoryId]);
        Assert.Equal(1, (int)json["totals"]!["signatories"]!);

        var rows = DataQualityRows(await DownloadAsync(services, outcome.Version!, "Docx"));
        Assert.Equal(3, rows.Count);
        Assert.Contains(rows, r => r[0] == altered.Receipt.SignatoryId && r[2] == "1" && r[3] == SkipReasons.Dutch(SkipReasons.HashMismatch));
        Assert.Contains(rows, r => r[0] == notFound.Receipt.SignatoryId && r[3] == SkipReasons.Dutch(SkipReasons.Missing));
        Assert.Contains(rows, r => r[0] == absent.Receipt.SignatoryId && r[3] == SkipReasons.Dutch(SkipReasons.Missing));
        Assert.NotEqual(SkipReasons.Dutch(SkipReasons.HashMismatch), SkipReasons.Dutch(SkipReasons.Missing));
        // Logged by id and reason.
        Assert.Contains(services.Logs.Lines, l => l.Contains(altered.Receipt.SignatoryId, StringComparison.Ordinal) && l.Contains(SkipReasons.HashMismatch, StringComparison.Ordinal));
        Assert.Contains(services.Logs.Lines, l => l.Contains(notFound.Receipt.SignatoryId, StringComparison.Ordinal) && l.Contains(SkipReasons.Missing, StringComparison.Ordinal));
    }

    /// <summary>The rows (id, organisation, version, reason) of the table in the data-quality chapter.</summary>
    private static List<List<string>> DataQualityRows(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        static bool IsHeading(OpenXmlElement e, string suffix) =>
            e is Paragraph p && p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1" && p.InnerText.EndsWith(suffix, StringComparison.Ordinal);
        var section = body.Elements().SkipWhile(e => !IsHeading(e, ". Datakwaliteit")).Skip(1).TakeWhile(e => !IsHeading(e, ". Verantwoording")).ToList();
        return section.OfType<Table>().Single().Elements<TableRow>().Skip(1).Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
    }

    private static async Task<byte[]> DownloadAsync(ReportServices services, ReportVersion version, string extension) =>
        (await services.Get<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.ReportsContainer)
            .GetBlobClient(version.Files.Single(f => f.Extension == extension).BlobName).DownloadContentAsync()).Value.Content.ToArray();
}
