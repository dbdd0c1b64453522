using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Nap.Cycles;
using Nap.Reports;
using Nap.Reviews;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// The cycle setting <c>reportVersions</c> on the same submissions: one signatory with an accepted version 1 and a
/// version 2 waiting for review, one returned, one never reviewed. <c>accepted</c> (the default) puts only the accepted
/// version 1 in the final and lists the others; <c>latest</c> takes every latest version; drafts always take the latest.
/// </summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class ReportReviewVersionsTests
{
    internal sealed record World(ReportServices Services, ReportingCycle Cycle, Signatory Accepted, Signatory Returned, Signatory Unreviewed,
        SubmissionVersion AcceptedV1, SubmissionVersion AcceptedV2, SubmissionVersion ReturnedV1, SubmissionVersion UnreviewedV1);

    internal static ReviewEntry Entry(int sequence, ReviewAction action, ReviewState state, int version, string? reason = null, IReadOnlyList<ReviewComment>? comments = null) =>
        new(sequence, action, state, version, new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), "reviewer-object-id", reason, comments ?? [], null);

    private static byte[] Body(int seed, string title)
    {
        var body = SampleSubmissions.Valid(seed);
        body["goals"]!.AsObject().First().Value!["contributions"]![0]!["title"] = title;
        return SubmissionWriter.Utf8(body.ToJsonString());
    }

    /// <summary>The three signatories' submissions and reviews; <paramref name="reason"/> and comments go into the reviews.</summary>
    internal static async Task<World> ArrangeAsync(ReportServices services, string reason = "Te weinig cijfers", IReadOnlyList<ReviewComment>? comments = null)
    {
        var registry = await services.SeedRegistryAsync();
        var cycle = await services.CreateCycleAsync(ReportVersionPolicy.Accepted);
        var active = registry.Where(s => s.Active).OrderBy(s => s.Id, StringComparer.Ordinal).Take(3).ToList();
        var reviews = services.Get<IReviewStore>();
        var at = cycle.DeadlineUtc.AddDays(-10);

        var v1 = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[0].Id, Body(1, "Geaccepteerde versie een"), at);
        Assert.True(await reviews.TryAppendAsync(cycle.Id, active[0].Id, null, Entry(1, ReviewAction.Accept, ReviewState.Accepted, 1, comments: comments)));
        var v2 = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[0].Id, Body(1, "Nieuwere versie twee"), at.AddDays(1), version: 2);

        var returned = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[1].Id, Body(2, "Teruggestuurde bijdrage"), at.AddHours(1));
        Assert.True(await reviews.TryAppendAsync(cycle.Id, active[1].Id, null, Entry(1, ReviewAction.Return, ReviewState.Returned, 1, reason, comments)));

        var unreviewed = await SubmissionWriter.WriteAsync(services.Provider, cycle, active[2].Id, Body(3, "Onbeoordeelde bijdrage"), at.AddHours(2));
        return new World(services, cycle, active[0], active[1], active[2], v1, v2, returned, unreviewed);
    }

    internal static async Task<byte[]> DownloadAsync(ReportServices services, ReportVersion version, string extension) =>
        (await services.Get<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.ReportsContainer)
            .GetBlobClient(version.Files.Single(f => f.Extension == extension).BlobName).DownloadContentAsync()).Value.Content.ToArray();

    internal static string DocxText(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return string.Join("\n", doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>().Select(p => p.InnerText));
    }

    private static async Task<(JsonNode Json, string Docx)> CompileAsync(World world, ReportKind kind)
    {
        var outcome = await world.Services.Get<ReportService>().CompileAsync(world.Cycle.Id, kind, null);
        var version = outcome.Version ?? throw new InvalidOperationException("No report version was made.");
        return (JsonNode.Parse(await DownloadAsync(world.Services, version, "Json"))!, DocxText(await DownloadAsync(world.Services, version, "Docx")));
    }

    private static List<string> Ids(JsonNode list) => list.AsArray().Select(x => (string)x!["signatoryId"]!).Order(StringComparer.Ordinal).ToList();

    private static List<string> Titles(JsonNode json) =>
        json["goals"]!.AsArray().SelectMany(g => g!["contributions"]!.AsArray()).Select(c => (string)c!["title"]!).ToList();

    [Fact]
    public async Task The_final_uses_the_latest_accepted_versions_by_default_and_lists_who_is_pending_returned_or_left_out()
    {
        await using var services = new ReportServices();
        var world = await ArrangeAsync(services);
        Assert.Equal(ReportVersionPolicy.Accepted, world.Cycle.ReportVersions);

        var (json, docx) = await CompileAsync(world, ReportKind.Final);

        // The lineage points at the versions used: version 1 of the accepted signatory, nobody else.
        var lineage = json["lineage"]!.AsArray().Single()!;
        Assert.Equal((world.Accepted.Id, 1, world.AcceptedV1.Receipt.SubmissionId), ((string)lineage["signatoryId"]!, (int)lineage["version"]!, (string)lineage["submissionId"]!));
        Assert.Contains("Geaccepteerde versie een", Titles(json));
        Assert.DoesNotContain("Nieuwere versie twee", Titles(json));
        Assert.DoesNotContain("Teruggestuurde bijdrage", Titles(json));
        Assert.DoesNotContain("Onbeoordeelde bijdrage", Titles(json));

        var review = json["review"]!;
        Assert.Equal("accepted", (string)review["versionsUsed"]!);
        Assert.Equal("accepted", (string)review["finalUses"]!);
        Assert.Equal(new[] { world.Returned.Id, world.Unreviewed.Id }.Order(StringComparer.Ordinal), Ids(review["leftOut"]!));
        Assert.Equal(new[] { world.Accepted.Id, world.Unreviewed.Id }.Order(StringComparer.Ordinal), Ids(review["pendingReview"]!));
        Assert.Equal([world.Returned.Id], Ids(review["returned"]!));
        var older = review["olderAcceptedVersionUsed"]!.AsArray().Single()!;
        Assert.Equal((world.Accepted.Id, "resubmitted", 2, 1, 1),
            ((string)older["signatoryId"]!, (string)older["state"]!, (int)older["latestVersion"]!, (int)older["acceptedVersion"]!, (int)older["usedVersion"]!));
        // Left out for want of acceptance is not "did not report".
        var missing = json["completeness"]!["missingSignatoryIds"]!.AsArray().Select(x => (string)x!).ToList();
        Assert.DoesNotContain(world.Returned.Id, missing);
        Assert.DoesNotContain(world.Unreviewed.Id, missing);

        Assert.Contains("Deze bijlage gebruikt van elke ondertekenaar de laatst geaccepteerde versie van de rapportage.", docx, StringComparison.Ordinal);
        var leftOut = docx.Split('\n').Single(p => p.StartsWith("Niet opgenomen omdat (nog) geen versie is geaccepteerd:", StringComparison.Ordinal));
        Assert.Contains(world.Returned.Name + " (versie 1)", leftOut, StringComparison.Ordinal);
        Assert.Contains(world.Unreviewed.Name + " (versie 1)", leftOut, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Accepted.Name, leftOut, StringComparison.Ordinal);
        var pending = docx.Split('\n').Single(p => p.StartsWith("Wacht op beoordeling:", StringComparison.Ordinal));
        Assert.Contains(world.Accepted.Name + " (versie 2)", pending, StringComparison.Ordinal);
        Assert.Contains(world.Unreviewed.Name, pending, StringComparison.Ordinal);
        Assert.Contains(docx.Split('\n'), p => p == $"Teruggestuurd voor aanpassing: {world.Returned.Name} (versie 1).");
        Assert.Contains($"Opgenomen met een eerder geaccepteerde versie terwijl een nieuwere op beoordeling wacht: {world.Accepted.Name} (versie 1).", docx, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_latest_the_final_uses_every_latest_version_and_still_lists_the_review_states()
    {
        await using var services = new ReportServices();
        var world = await ArrangeAsync(services);
        await services.Get<ICycleStore>().UpsertAsync(world.Cycle with { ReportVersions = ReportVersionPolicy.Latest });

        var (json, docx) = await CompileAsync(world, ReportKind.Final);

        var used = json["lineage"]!.AsArray().Select(l => ((string)l!["signatoryId"]!, (int)l["version"]!)).Order().ToList();
        Assert.Equal(new[] { (world.Accepted.Id, 2), (world.Returned.Id, 1), (world.Unreviewed.Id, 1) }.Order().ToList(), used);
        Assert.Contains("Nieuwere versie twee", Titles(json));
        Assert.DoesNotContain("Geaccepteerde versie een", Titles(json));
        Assert.Contains("Teruggestuurde bijdrage", Titles(json));
        var review = json["review"]!;
        Assert.Equal(("latest", "latest"), ((string)review["versionsUsed"]!, (string)review["finalUses"]!));
        Assert.Empty(review["leftOut"]!.AsArray());
        Assert.Empty(review["olderAcceptedVersionUsed"]!.AsArray());
        Assert.Equal(new[] { world.Accepted.Id, world.Unreviewed.Id }.Order(StringComparer.Ordinal), Ids(review["pendingReview"]!));
        Assert.Equal([world.Returned.Id], Ids(review["returned"]!));
        Assert.Contains("Deze bijlage gebruikt van elke ondertekenaar de laatst ingediende versie, ook als die nog niet is geaccepteerd.", docx, StringComparison.Ordinal);
        Assert.DoesNotContain("Niet opgenomen omdat", docx, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_uses_the_latest_versions_whatever_the_setting_and_says_so()
    {
        await using var services = new ReportServices();
        var world = await ArrangeAsync(services);

        var (json, docx) = await CompileAsync(world, ReportKind.Draft);

        Assert.Equal(3, json["lineage"]!.AsArray().Count);
        Assert.Contains(json["lineage"]!.AsArray(), l => (string)l!["signatoryId"]! == world.Accepted.Id && (int)l["version"]! == 2);
        Assert.Equal(("latest", "accepted"), ((string)json["review"]!["versionsUsed"]!, (string)json["review"]!["finalUses"]!));
        var notice = "Dit concept gebruikt van elke ondertekenaar de laatst ingediende versie, ook als die nog niet is beoordeeld; de definitieve bijlage gebruikt de laatst geaccepteerde versie.";
        // On the title page and in the data-quality chapter.
        Assert.Equal(2, docx.Split('\n').Count(p => p == notice));
    }

    [Fact]
    public void The_setting_is_read_from_the_cycles_file_with_accepted_as_the_default()
    {
        CycleFile File(string? versions) => new("2030", "2030-01-01", "2030-12-31", "2031-01-10", "2031-03-01T17:00", null, null, true, "open", versions);
        Assert.Equal(ReportVersionPolicy.Accepted, File(null).ToCycle().ReportVersions);
        Assert.Equal(ReportVersionPolicy.Accepted, File("accepted").ToCycle().ReportVersions);
        Assert.Equal(ReportVersionPolicy.Latest, File("latest").ToCycle().ReportVersions);
        Assert.Throws<FormatException>(() => File("newest").ToCycle());
        Assert.Equal("latest", CycleFile.From(File("latest").ToCycle()).ReportVersions);
    }
}
