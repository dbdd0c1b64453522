using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Nap.Countries;
using Nap.Cycles;
using Nap.Framework;
using Nap.Reports;
using Nap.Signatories;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// Versions stored before contributions had ids (and IATI identifiers and links) compile to the bytes they compiled to
/// then. The expected hashes were taken from the compiler before ids existed, on these fixed inputs (framework and
/// bodies of that time, fixed cycle, registry and receipt times); the bodies are read with the ids {goal}-{n} derived.
/// </summary>
public sealed class ReportStableWithoutIdsTests
{
    // Taken before the change (commit b3b1351's report code, framework sample-2026.1).
    private const string JsonSha256 = "73c8a98d094c2fad275a09e31f383bb2946c6d2184fe35e6a31ba0689af2b0cf";
    private const string CsvSha256 = "ee071d6a4bf34ff0380f74cc500da9189d86bd1dfbc62fdc39e102f1678361ae";
    private const string DocxDocumentSha256 = "7196f6d7b059ae3de5ed0a7f22d9c05a159981dd372cc5df9e46895515aa59e7";

    private sealed class MemoryContents : ISubmissionContentStore
    {
        public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

        public Task<string> PutAsync(string cycleId, string signatoryId, string sha256, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        {
            var name = BlobSubmissionContentStore.BlobName(cycleId, signatoryId, sha256);
            Blobs[name] = body.ToArray();
            return Task.FromResult(name);
        }

        public Task<BinaryData?> GetAsync(string blobName, CancellationToken cancellationToken = default) =>
            Task.FromResult(Blobs.TryGetValue(blobName, out var b) ? BinaryData.FromBytes(b) : null);
    }

    private static async Task<ReportBundle> CompileOldVersionsAsync()
    {
        var framework = ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "framework-before-ids.json"));
        var countries = CountryCatalog.LoadEmbedded();
        var registry = SignatoryImport.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "signatories.sample.json"));
        var cycle = new ReportingCycle("2026", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 15),
            new DateTime(2027, 3, 31, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
        var contents = new MemoryContents();
        var versions = new List<SubmissionVersion>();
        foreach (var (signatory, i) in registry.Where(s => s.Active).Take(6).Select((s, i) => (s, i)))
        {
            var body = Encoding.UTF8.GetBytes(SampleSubmissions.Valid(i + 1).ToJsonString());
            Assert.DoesNotContain("\"id\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
            var sha = Convert.ToHexStringLower(SHA256.HashData(body));
            var blob = await contents.PutAsync(cycle.Id, signatory.Id, sha, body);
            var at = new DateTimeOffset(2027, 3, 1 + i, 10, 0, 0, TimeSpan.Zero);
            versions.Add(new SubmissionVersion(new SubmissionReceipt(SubmissionService.SubmissionId(cycle.Id, signatory.Id, 1), cycle.Id, signatory.Id, 1,
                at, Api.AmsterdamTime.Format(at), sha, false), blob));
        }
        var compiler = new ReportCompiler(framework, countries, new SubmissionParser(framework, countries), contents, new ReportOptions(),
            NullLogger<ReportCompiler>.Instance);
        return await compiler.BuildAsync(new ReportInputs(cycle, ReportKind.Final, versions, registry, framework));
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The document part of the DOCX: its text and layout (the chart image is compared by the determinism test).</summary>
    private static byte[] DocumentPart(byte[] docx)
    {
        using var zip = new ZipArchive(new MemoryStream(docx), ZipArchiveMode.Read);
        using var part = zip.GetEntry("word/document.xml")!.Open();
        using var copy = new MemoryStream();
        part.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Old_versions_without_ids_compile_to_the_bytes_they_compiled_to_before_ids()
    {
        var bundle = await CompileOldVersionsAsync();
        var json = bundle.Files.Single(f => f.Extension == "json").Content;
        var csv = bundle.Files.Single(f => f.Extension == "csv").Content;
        var docx = bundle.Files.Single(f => f.Extension == "docx").Content;

        var actual = (Json: Sha(json), Csv: Sha(csv), Docx: Sha(DocumentPart(docx)));
        Assert.True(actual == (JsonSha256, CsvSha256, DocxDocumentSha256), $"the report of old versions changed: now {actual}");
    }

    [Fact]
    public async Task Compiling_old_versions_twice_gives_the_same_bytes()
    {
        var first = await CompileOldVersionsAsync();
        var second = await CompileOldVersionsAsync();
        Assert.Equal(first.Files.Select(f => f.Sha256), second.Files.Select(f => f.Sha256));
    }
}
