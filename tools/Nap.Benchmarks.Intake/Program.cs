using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Nap.Cycles;
using Nap.DevHost;
using Nap.LocalAzurite;
using Nap.Security;
using Nap.Signatories;

// Intake benchmark: N submissions over HTTP with concurrency C against the dev host on Azurite, and in the same run
// the raw Azurite writes one submission needs (one blob upload + one two-entity table transaction + one ledger insert
// for its receipt), same N and C.
// Prints submissions/s, p50/p99 latency and the ratio endpoint/raw (aim: ≥ 0.8).
// Usage: dotnet run -c Release --project tools/Nap.Benchmarks.Intake -- [--n 600] [--c 16]
var n = Arg("--n", 600);
var c = Arg("--c", 16);
var storage = Environment.GetEnvironmentVariable("NAP_BENCH_STORAGE") is { Length: > 0 } s ? s : AzuriteProcess.Start(inMemory: false).ConnectionString;
var port = AzuriteProcess.FreePort();
var app = DevHostApp.Build(["--urls", $"http://127.0.0.1:{port}"], b =>
{
    b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["NapStorage"] = storage,
        ["AzureWebJobsStorage"] = storage,
        ["Logging:LogLevel:Default"] = "Warning",
        // The intake path only (receipts included: their claims and sends run in the app's background). The draft
        // compilation every stored submission triggers runs on other instances in Azure and has its own benchmark;
        // on this machine it would compete with the intake for the same two cores.
        ["AzureWebJobs.CompileDraftReport.Disabled"] = "true",
        ["AzureWebJobs.CompileFinalReport.Disabled"] = "true",
        ["AzureWebJobs.CompileStaleDrafts.Disabled"] = "true",
        ["AzureWebJobs.SendReminders.Disabled"] = "true",
        ["Logging:LogLevel:Nap.Reminders.BackgroundSends"] = "Error",
    });
});
await app.StartAsync();

var registry = app.Services.GetRequiredService<ISignatoryRegistry>();
var signatories = Enumerable.Range(0, n).Select(i => new Signatory($"bench-{i:D5}", $"Benchmark organisation {i}", SignatoryKind.CivilSocietyOrganisation, "nl", true,
    [new Contact("Bench", $"bench{i}@example.org", ContactRole.Primary)])).ToList();
await registry.UpsertAsync(signatories);
var now = DateTime.UtcNow;
var cycle = new ReportingCycle("9000", new DateOnly(9000, 1, 1), new DateOnly(9000, 12, 31), DateOnly.FromDateTime(now.AddDays(-1)), now.AddDays(30),
    ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
await app.Services.GetRequiredService<ICycleStore>().UpsertAsync(cycle);
var links = app.Services.GetRequiredService<SignatoryLinks>();
var bodies = signatories.Select((_, i) => Encoding.UTF8.GetBytes(Body(i))).ToList();
Console.WriteLine($"Intake benchmark: N={n}, C={c}, body ≈ {bodies.Average(b => b.Length):F0} bytes, {Environment.ProcessorCount} cores");

using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
var blobs = new BlobServiceClient(storage).GetBlobContainerClient("bench-raw");
await blobs.CreateIfNotExistsAsync();
var table = new TableServiceClient(storage).GetTableClient("BenchRaw");
var ledger = new TableServiceClient(storage).GetTableClient("BenchRawLedger");
await table.CreateIfNotExistsAsync();
await ledger.CreateIfNotExistsAsync();

// Warm-up both paths (JIT, connection pools, table creation).
await Raw(0, 20, "warm");
await Endpoint(Enumerable.Range(0, 20).ToList(), "9000", warm: true);

var raw1 = await Raw(0, n, "a");
var endpoint = await Endpoint(Enumerable.Range(0, n).ToList(), "9000", warm: false);
var raw2 = await Raw(0, n, "b");
var rawRate = (raw1.Rate + raw2.Rate) / 2;

Console.WriteLine($"raw writes per subm.  : {rawRate,8:F1} submissions/s  (runs: {raw1.Rate:F1}, {raw2.Rate:F1}; p50 {raw1.P50:F1} ms, p99 {raw1.P99:F1} ms)");
Console.WriteLine($"submission endpoint   : {endpoint.Rate,8:F1} submissions/s  (p50 {endpoint.P50:F1} ms, p99 {endpoint.P99:F1} ms, errors {endpoint.Errors})");
Console.WriteLine($"ratio endpoint/raw    : {endpoint.Rate / rawRate,8:F2}  (aim ≥ 0.80)");
await app.StopAsync();
return endpoint.Errors == 0 ? 0 : 1;

async Task<Result> Raw(int from, int count, string tag)
{
    return await Measure(count, async i =>
    {
        var body = bodies[(from + i) % bodies.Count];
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        await blobs.GetBlobClient($"{tag}/{i}/{sha}.json").UploadAsync(BinaryData.FromBytes(body), overwrite: true);
        var pk = tag + (i % 7).ToString(CultureInfo.InvariantCulture);
        await table.SubmitTransactionAsync([
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(pk, $"version|{i}") { ["Sha256"] = sha, ["Version"] = 1 }),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(pk, $"latest|{i}") { ["Sha256"] = sha, ["Version"] = 1 }),
        ]);
        // The receipt's claim: one ledger insert per recipient (the bench signatories have one contact).
        await ledger.AddEntityAsync(new TableEntity(pk, $"receipt|{i}") { ["Status"] = "pending", ["Attempts"] = 0 });
        return true;
    });
}

async Task<Result> Endpoint(List<int> indexes, string cycleId, bool warm)
{
    var tokenFor = new Dictionary<int, string>();
    foreach (var i in indexes) tokenFor[i] = await links.IssueAsync(signatories[i].Id, cycleId);
    return await Measure(indexes.Count, async k =>
    {
        var i = indexes[k];
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycleId}/submissions") { Content = new ByteArrayContent(bodies[(i + (warm ? 1 : 0)) % bodies.Count]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokenFor[i]);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode is 200 or 201;
    });
}

async Task<Result> Measure(int count, Func<int, Task<bool>> one)
{
    var latencies = new double[count];
    var errors = 0;
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, c).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var start = Stopwatch.GetTimestamp();
            if (!await one(i)) Interlocked.Increment(ref errors);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    return new Result(count / elapsed, latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))], errors);
}

static string Body(int seed)
{
    var random = new Random(seed);
    var contributions = new JsonArray();
    for (var k = 0; k < 4; k++)
        contributions.Add(new JsonObject
        {
            ["title"] = $"Contribution {seed}-{k}",
            ["description"] = new string('d', 900 + random.Next(300)),
            ["focus"] = new JsonArray("international"),
            ["countries"] = new JsonArray("SD", "SS", "CD"),
            ["outcomes"] = new JsonArray("G1.1"),
            ["indicatorResults"] = new JsonArray(new JsonObject { ["indicator"] = "G1.1.a", ["value"] = random.Next(500), ["unit"] = "persons", ["target"] = 500 }),
            ["budgetSpentEur"] = random.Next(100_000),
            ["partners"] = new JsonArray("Partner A", "Partner B"),
        });
    return new JsonObject
    {
        ["contact"] = new JsonObject { ["name"] = "Bench Contact", ["email"] = $"bench{seed}@example.org" },
        ["goals"] = new JsonObject
        {
            ["G1"] = new JsonObject
            {
                ["contributions"] = contributions,
                ["narratives"] = new JsonObject { ["highlights"] = new JsonObject { ["text"] = new string('h', 2000) } },
            },
        },
    }.ToJsonString();
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Result(double Rate, double P50, double P99, int Errors);
