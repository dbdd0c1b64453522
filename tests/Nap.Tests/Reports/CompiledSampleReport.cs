using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Nap.Cycles;
using Nap.Reports;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// One cycle with a submission from every active sample signatory (70), compiled once as a final report through the
/// real service: bodies in Blob Storage, index in Table Storage, files stored and published to a local folder.
/// Some contributions and narratives are confidential and carry a canary; one title is a spreadsheet formula; one
/// body is corrupt and one is missing from storage.
/// </summary>
public sealed class CompiledSampleReport : IAsyncLifetime
{
    public const string Formula = "=HYPERLINK(\"http://evil.example/x\";\"klik\")";

    public string Canary { get; } = "VERTROUWELIJK-" + Guid.NewGuid().ToString("N")[..12];
    public ReportServices Services { get; } = new();
    public ReportingCycle Cycle { get; private set; } = null!;
    public IReadOnlyList<Signatory> Submitters { get; private set; } = [];
    public List<(Signatory Signatory, JsonObject Body, SubmissionVersion Version)> Included { get; } = [];
    public SubmissionVersion Corrupt { get; private set; } = null!;
    public SubmissionVersion Missing { get; private set; } = null!;
    public ReportVersion Version { get; private set; } = null!;
    public byte[] Docx { get; private set; } = [];
    public byte[] Json { get; private set; } = [];
    public byte[] Csv { get; private set; } = [];
    public JsonNode Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var registry = await Services.SeedRegistryAsync();
        Cycle = await Services.CreateCycleAsync();
        Submitters = registry.Where(s => s.Active).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var start = Cycle.DeadlineUtc.AddDays(-60);
        for (var i = 0; i < Submitters.Count; i++)
        {
            var signatory = Submitters[i];
            // Every ninth arrives a day after the deadline; every body a bit later than the one before.
            var receivedAt = i % 9 == 0 ? Cycle.DeadlineUtc.AddDays(1).AddMinutes(i) : start.AddHours(i);
            if (i == Submitters.Count - 1)
            {
                Corrupt = await SubmissionWriter.WriteAsync(Services.Provider, Cycle, signatory.Id, SubmissionWriter.Utf8("{\"contact\": {\"name\": "), receivedAt);
                continue;
            }
            if (i == Submitters.Count - 2)
            {
                Missing = await SubmissionWriter.WriteAsync(Services.Provider, Cycle, signatory.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(i + 1).ToJsonString()),
                    receivedAt, writeBlob: false);
                continue;
            }
            var body = SampleSubmissions.Valid(i + 1);
            var goals = body["goals"]!.AsObject();
            var (_, firstGoal) = goals.First();
            if (i % 10 == 3)
            {
                var secret = firstGoal!["contributions"]![0]!.AsObject();
                secret["confidential"] = true;
                secret["title"] = $"Geheim project {Canary}";
                secret["description"] = $"Namen van deelnemers {Canary}";
                secret["indicatorResults"]![0]!["comment"] = $"Toelichting {Canary}";
                secret["partners"] = new JsonArray($"Partner {Canary}");
                firstGoal["narratives"]!["highlights"] = new JsonObject { ["text"] = $"Hoogtepunt {Canary}", ["confidential"] = true };
                firstGoal["narratives"]!["lessons"] = new JsonObject { ["text"] = $"Les {Canary}", ["confidential"] = true };
                // A second, public contribution keeps the goal in the report for this signatory.
                var code = goals.First().Key;
                var donorSeed = 100 + int.Parse(code[1..], System.Globalization.CultureInfo.InvariantCulture) - 1; // Valid(seed) always reports on goal seed % 5
                firstGoal["contributions"]!.AsArray().Add(SampleSubmissions.Valid(donorSeed)["goals"]![code]!["contributions"]![0]!.DeepClone());
            }
            if (i == 5) firstGoal!["contributions"]![0]!["title"] = Formula;
            var stored = await SubmissionWriter.WriteAsync(Services.Provider, Cycle, signatory.Id, SubmissionWriter.Utf8(body.ToJsonString()), receivedAt);
            Included.Add((signatory, body, stored));
        }

        var outcome = await Services.Get<ReportService>().CompileAsync(Cycle.Id, ReportKind.Final, requestId: null);
        Version = outcome.Version ?? throw new InvalidOperationException("No report version was made.");
        var container = Services.Get<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.ReportsContainer);
        Docx = await Download(container, "Docx");
        Json = await Download(container, "Json");
        Csv = await Download(container, "Csv");
        Report = JsonNode.Parse(Json)!;
    }

    private async Task<byte[]> Download(BlobContainerClient container, string extension)
    {
        var file = Version.Files.Single(f => f.Extension == extension);
        return (await container.GetBlobClient(file.BlobName).DownloadContentAsync()).Value.Content.ToArray();
    }

    public Task DisposeAsync() => Services.DisposeAsync().AsTask();
}
