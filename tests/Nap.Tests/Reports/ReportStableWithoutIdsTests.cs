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
/// Versions stored before contributions had ids (and IATI identifiers and links) keep compiling to the same bytes: the
/// bodies are read with the ids {goal}-{n} derived, on fixed inputs (framework and bodies of that time, fixed cycle,
/// registry and receipt times). The hashes were first taken from the compiler before ids existed (b3b1351) and proved
/// unchanged by ids; they were taken again when the annex format changed on purpose (nap-report-2, with the annex work;
/// nap-report-3, with the review's version setting; nap-report-4, with keyed hashes and withheld items leaving no trace).
/// The published-hash key is fixed (<see cref="AnnexWorld.HashKey"/>).
/// </summary>
public sealed class ReportStableWithoutIdsTests
{
    // Format nap-report-4, framework sample-2026.1; the CSV's without its two trailing IATI and link columns.
    private const string JsonSha256 = "9ea9b457be446597e8e429a2743c19b1ed89e11a7daad0e2b62ba003864da5dc";
    private const string CsvSha256 = "f1ac60c5f216b9acc6fec5da27a4fb5b347a0bf01956346abacb6d8aece3f809";
    private const string DocxDocumentSha256 = "8dfd7909d4a2da78a38aea1d3bf7cebd9b8102d546c464f295389113d63c005a";

    private static async Task<ReportBundle> CompileOldVersionsAsync(Action<System.Text.Json.Nodes.JsonObject>? change = null)
    {
        var framework = ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "framework-before-ids.json"));
        var countries = CountryCatalog.LoadEmbedded();
        var registry = SignatoryImport.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "signatories.sample.json"));
        var cycle = new ReportingCycle("2026", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 15),
            new DateTime(2027, 3, 31, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
        var contents = new MemoryContentStore();
        var versions = new List<SubmissionVersion>();
        foreach (var (signatory, i) in registry.Where(s => s.Active).Take(6).Select((s, i) => (s, i)))
        {
            var json = SampleSubmissions.Valid(i + 1);
            change?.Invoke(json);
            var body = Encoding.UTF8.GetBytes(json.ToJsonString());
            if (change is null) Assert.DoesNotContain("\"id\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
            var sha = Convert.ToHexStringLower(SHA256.HashData(body));
            var blob = await contents.PutAsync(cycle.Id, signatory.Id, sha, body);
            var at = new DateTimeOffset(2027, 3, 1 + i, 10, 0, 0, TimeSpan.Zero);
            versions.Add(new SubmissionVersion(new SubmissionReceipt(SubmissionService.SubmissionId(cycle.Id, signatory.Id, 1), cycle.Id, signatory.Id, 1,
                at, Api.AmsterdamTime.Format(at), sha, false), blob));
        }
        var compiler = new ReportCompiler(framework, countries, new SubmissionParser(framework, countries), contents, new ReportOptions(),
            NullLogger<ReportCompiler>.Instance);
        return await compiler.BuildAsync(new ReportInputs(cycle, ReportKind.Final, versions, registry, framework) { PublishedHash = AnnexWorld.HashKey });
    }

    /// <summary>The CSV as it was before the IATI and link columns were added at the end (empty for old versions).</summary>
    private static byte[] WithoutNewColumns(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split("\r\n");
        Assert.EndsWith(";IATI-activiteit;Links", lines[0], StringComparison.Ordinal);
        var old = lines.Select((line, i) =>
        {
            if (line.Length == 0) return line;
            var suffix = i == 0 ? ";IATI-activiteit;Links" : ";;";
            Assert.EndsWith(suffix, line, StringComparison.Ordinal);
            return line[..^suffix.Length];
        });
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", old).TrimStart('\uFEFF'))];
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

        var actual = (Json: Sha(json), Csv: Sha(WithoutNewColumns(csv)), Docx: Sha(DocumentPart(docx)));
        Assert.True(actual == (JsonSha256, CsvSha256, DocxDocumentSha256), $"the report of old versions changed: now {actual}");
    }

    [Fact]
    public async Task Compiling_old_versions_twice_gives_the_same_bytes()
    {
        var first = await CompileOldVersionsAsync();
        var second = await CompileOldVersionsAsync();
        Assert.Equal(first.Files.Select(f => f.Sha256), second.Files.Select(f => f.Sha256));
    }

    [Fact]
    public async Task The_iati_identifier_and_links_of_a_contribution_are_in_the_data_files()
    {
        var bundle = await CompileOldVersionsAsync(body =>
        {
            foreach (var (_, goal) in body["goals"]!.AsObject())
            {
                var c = goal!["contributions"]![0]!.AsObject();
                c["iatiActivityId"] = "NL-KVK-41198677-PRJ-42";
                c["links"] = new System.Text.Json.Nodes.JsonArray("https://www.example.org/a", "https://www.example.org/b");
            }
        });
        var json = System.Text.Json.Nodes.JsonNode.Parse(bundle.Files.Single(f => f.Extension == "json").Content)!;
        var line = json["goals"]!.AsArray().SelectMany(g => g!["contributions"]!.AsArray()).First()!;
        Assert.Equal("NL-KVK-41198677-PRJ-42", (string)line["iatiActivityId"]!);
        Assert.Equal(["https://www.example.org/a", "https://www.example.org/b"], line["links"]!.AsArray().Select(l => (string)l!));
        var csv = Encoding.UTF8.GetString(bundle.Files.Single(f => f.Extension == "csv").Content);
        Assert.Contains(";NL-KVK-41198677-PRJ-42;https://www.example.org/a https://www.example.org/b\r\n", csv, StringComparison.Ordinal);
    }
}
