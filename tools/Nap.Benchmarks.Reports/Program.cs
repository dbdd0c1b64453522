using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nap;
using Nap.Api;
using Nap.Benchmarks.Reports;
using Nap.Cycles;
using Nap.Framework;
using Nap.LocalAzurite;
using Nap.Reports;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;

// Commands:
//   bench   [--storage <conn>] [--sizes 70,1000,10000] [--repeat 2]
//           compile N sample submissions from Azurite; time and peak managed memory against merely downloading them
//   compile --storage <conn> --cycle <id> --out <dir> [--kind draft|final] [--shuffle-seed N] [--clock <ISO instant>]
//           compile one cycle's report to a folder and print the SHA-256 of every file (cross-process determinism check)
//   sample  --out <dir> [--storage <conn>] [--kind draft|final]
//           seed the sample registry and 70 Dutch sample submissions, compile the report to a folder
//   phases  [--storage <conn>] [--size 10000] [--year 2201] [--dump <file>] [--dump-during <ms>]
//           each phase of a compile alone (listing, registry, download, parse, aggregate, build, each file): time, allocation,
//           live heap and large objects, to see where time and memory go; seeds a cycle (year) into the storage
var command = args.FirstOrDefault() ?? "bench";
var options = ParseOptions(args.Skip(1).ToArray());
try
{
    return command switch
    {
        "bench" => await Bench(options),
        "compile" => await Compile(options),
        "sample" => await Sample(options),
        "phases" => await Phases(options),
        _ => Usage(),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: bench [--storage <conn>] [--sizes 70,1000,10000] [--repeat 2]");
    Console.Error.WriteLine("       compile --storage <conn> --cycle <id> --out <dir> [--kind draft|final] [--shuffle-seed N] [--clock <ISO instant>]");
    Console.Error.WriteLine("       sample --out <dir> [--storage <conn>] [--kind draft|final]");
    Console.Error.WriteLine("       phases [--storage <conn>] [--size 10000] [--year 2201] [--dump <file>] [--dump-during <ms>]");
    return 2;
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
        map[args[i][2..]] = args[++i];
    }
    return map;
}

static ServiceProvider Services(string storage, TimeProvider? clock = null)
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["NapStorage"] = storage,
        ["Nap:RegistryCacheSeconds"] = "0",
    }).Build();
    var services = new ServiceCollection();
    services.AddLogging();
    if (clock is not null) services.AddSingleton(clock);
    services.AddNapCore(configuration);
    services.AddNapReports(configuration);
    return services.BuildServiceProvider();
}

static ReportKind Kind(Dictionary<string, string> o) => o.GetValueOrDefault("kind", "final") == "draft" ? ReportKind.Draft : ReportKind.Final;

/// <summary>Writes the report's files into the folder the way the report service writes them into blobs (streamed, hashed on the way).</summary>
static async Task WriteFiles(ReportCompiler compiler, CompiledReport report, string outDir)
{
    Directory.CreateDirectory(outDir);
    var files = await compiler.WriteAsync(report, (name, _, _) => Task.FromResult<Stream>(File.Create(Path.Combine(outDir, name))));
    foreach (var f in files) Console.WriteLine($"{f.Sha256}  {f.Name}");
}

// ---- compile: one cycle from storage, inputs shuffled, on a given clock ----
static async Task<int> Compile(Dictionary<string, string> o)
{
    var storage = o.GetValueOrDefault("storage") ?? throw new ArgumentException("--storage is required");
    var cycleId = o.GetValueOrDefault("cycle") ?? throw new ArgumentException("--cycle is required");
    var outDir = o.GetValueOrDefault("out") ?? throw new ArgumentException("--out is required");
    var clock = o.TryGetValue("clock", out var c) ? new FixedClock(DateTimeOffset.Parse(c, CultureInfo.InvariantCulture)) : null;
    var shuffle = new Random(int.Parse(o.GetValueOrDefault("shuffle-seed", "0"), CultureInfo.InvariantCulture));
    await using var sp = Services(storage, clock);
    var cycle = await sp.GetRequiredService<ICycleStore>().FindAsync(cycleId) ?? throw new ArgumentException($"No cycle {cycleId}.");
    var latest = (await sp.GetRequiredService<ISubmissionIndex>().ListLatestAsync(cycleId)).ToArray();
    var registry = (await sp.GetRequiredService<ISignatoryRegistry>().ListAsync()).ToArray();
    shuffle.Shuffle(latest);
    shuffle.Shuffle(registry);
    // The versions as the report service chooses them (by the cycle's reportVersions and the review states).
    var selection = await sp.GetRequiredService<ReportVersionSelector>().SelectAsync(cycle, Kind(o), latest);
    var inputs = new ReportInputs(cycle, Kind(o), selection.Versions, registry, sp.GetRequiredService<ResultsFramework>(), review: selection.Review)
    {
        PublishedHash = await sp.GetRequiredService<IPublishedHashKey>().GetAsync(),
    };
    var compiler = sp.GetRequiredService<ReportCompiler>();
    await WriteFiles(compiler, await compiler.CompileAsync(inputs), outDir);
    return 0;
}

// ---- sample: the sample registry and 70 Dutch submissions, compiled ----
static async Task<int> Sample(Dictionary<string, string> o)
{
    var outDir = o.GetValueOrDefault("out") ?? throw new ArgumentException("--out is required");
    var azurite = o.ContainsKey("storage") ? null : AzuriteProcess.Start();
    await using var sp = Services(o.GetValueOrDefault("storage") ?? azurite!.ConnectionString);
    var (signatories, cycles) = await SampleData.SeedAsync(sp.GetRequiredService<ISignatoryRegistry>(), sp.GetRequiredService<ICycleStore>());
    var cycle = cycles.First(x => x.Id == "2025");
    var framework = sp.GetRequiredService<ResultsFramework>();
    var active = signatories.Where(s => s.Active).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    var opens = AmsterdamTime.ToUtc(cycle.OpensOn.ToDateTime(new TimeOnly(9, 0)));
    // Receipts spread over the weeks before the deadline; every seventh signatory a day late.
    var written = 0;
    foreach (var (s, i) in active.Select((s, i) => (s, i)))
    {
        var receivedAt = i % 7 == 6 ? cycle.DeadlineUtc.AddDays(1).AddMinutes(i) : opens.AddHours(11 * i + 3);
        await Seed.WriteAsync(sp, cycle, s.Id, DutchSampleSubmissions.Create(framework, i + 1).ToJsonString(), receivedAt);
        written++;
    }
    var inputs = new ReportInputs(cycle, Kind(o), await sp.GetRequiredService<ISubmissionIndex>().ListLatestAsync(cycle.Id),
        await sp.GetRequiredService<ISignatoryRegistry>().ListAsync(), framework) { PublishedHash = await sp.GetRequiredService<IPublishedHashKey>().GetAsync() };
    var compiler = sp.GetRequiredService<ReportCompiler>();
    var report = await compiler.CompileAsync(inputs);
    Console.WriteLine($"Compiled cycle {cycle.Id} from {written} sample submissions:");
    await WriteFiles(compiler, report, outDir);
    return 0;
}

// ---- phases: each part of a compile on its own ----
static async Task<int> Phases(Dictionary<string, string> o)
{
    var n = int.Parse(o.GetValueOrDefault("size", "10000"), CultureInfo.InvariantCulture);
    var azurite = o.ContainsKey("storage") ? null : AzuriteProcess.Start();
    await using var sp = Services(o.GetValueOrDefault("storage") ?? azurite!.ConnectionString);
    var framework = sp.GetRequiredService<ResultsFramework>();
    var cycle = await Seed.CycleAsync(sp, int.Parse(o.GetValueOrDefault("year", "2201"), CultureInfo.InvariantCulture), n, framework);
    var concurrency = new ParallelOptions { MaxDegreeOfParallelism = sp.GetRequiredService<ReportOptions>().DownloadConcurrency };
    var contents = sp.GetRequiredService<ISubmissionContentStore>();
    var parser = sp.GetRequiredService<SubmissionParser>();
    // Large-object allocations by type, sampled by the runtime's allocation ticks (about one per 100 KB).
    using var large = new LargeAllocations();
    async Task<T> Time<T>(string phase, Func<Task<T>> run)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        long livePeak = 0;
        using var stop = new CancellationTokenSource();
        // The phase's live heap: a full blocking collection every 50 ms, so the phase's time is slower than alone.
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                livePeak = Math.Max(livePeak, full.HeapSizeBytes - full.FragmentedBytes - (before.HeapSizeBytes - before.FragmentedBytes));
                try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var stopwatch = Stopwatch.StartNew();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        large.Clear();
        var result = await run();
        var elapsed = stopwatch.Elapsed;
        await stop.CancelAsync();
        await sampler;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {phase} | {elapsed.TotalMilliseconds:F0} ms | {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576d:F1} MB | {livePeak / 1048576d:F1} MB | {large.Top(4)} |"));
        return result;
    }
    Console.WriteLine($"Phases of a compile of {n:N0} submissions ({Environment.ProcessorCount} cores), each alone, after one warm-up:");
    Console.WriteLine("| phase | time (with collections every 50 ms) | allocated | peak live heap above the phase's start | large objects allocated (sampled) |");
    Console.WriteLine("|---|---:|---:|---:|---|");
    await Measure.CompileAsync(sp, cycle.Id);
    var latest = await Time("list latest versions", () => sp.GetRequiredService<ISubmissionIndex>().ListLatestAsync(cycle.Id));
    var registry = await Time("list registry", () => sp.GetRequiredService<ISignatoryRegistry>().ListAsync());
    await Time("download", async () =>
    {
        await Parallel.ForEachAsync(latest, concurrency, async (v, ct) => await contents.GetAsync(v.BlobName, ct));
        return 0;
    });
    var bodies = new BinaryData[latest.Count];
    await Parallel.ForEachAsync(latest.Select((v, i) => (v, i)), concurrency, async (x, ct) => bodies[x.i] = (await contents.GetAsync(x.v.BlobName, ct))!);
    await Time("hash + parse + writable check (1 thread)", () =>
    {
        foreach (var b in bodies)
        {
            SHA256.HashData(b.ToMemory().Span);
            parser.Parse(b.ToMemory());
            ReportableText.IsWritableBody(b.ToMemory());
        }
        return Task.FromResult(0);
    });
    var documents = bodies.Select(b => parser.Parse(b.ToMemory())).ToArray();
    var inputs = new ReportInputs(cycle, ReportKind.Draft, latest, registry, framework) { PublishedHash = await sp.GetRequiredService<IPublishedHashKey>().GetAsync() };
    var aggregator = await Time("aggregate (1 thread)", () =>
    {
        var aggregator = new ReportAggregator(inputs, sp.GetRequiredService<Nap.Countries.CountryCatalog>());
        for (var i = 0; i < documents.Length; i++) aggregator.Add(latest[i], documents[i]);
        return Task.FromResult(aggregator);
    });
    var report = await Time("build (figures, lists)", () => Task.FromResult(aggregator.Build()));
    documents = null;
    bodies = null;
    // What the compiled report holds, by type: `--dump <file>` takes a heap dump here (needs the dotnet-dump tool;
    // then `dotnet-dump analyze <file> -c "dumpheap -stat -live" -c exit`).
    if (o.TryGetValue("dump", out var dump))
    {
        using var tool = Process.Start(new ProcessStartInfo("dotnet-dump", $"collect --type Heap -p {Environment.ProcessId} -o {dump}") { UseShellExecute = false })!;
        await tool.WaitForExitAsync();
        GC.KeepAlive(report);
    }
    var compiler = sp.GetRequiredService<ReportCompiler>();
    var countries = sp.GetRequiredService<Nap.Countries.CountryCatalog>();
    await Time("JSON to nowhere", () => { JsonReportWriter.Write(report, Stream.Null); return Task.FromResult(0); });
    await Time("CSV to nowhere", () => { CsvReportWriter.Write(report, countries, Stream.Null); return Task.FromResult(0); });
    await Time("DOCX to nowhere", () => { DocxReportWriter.Write(report, ReportChart.RenderPng(report), countries, framework, Stream.Null); return Task.FromResult(0); });
    var container = await sp.GetRequiredService<NapStorage>().ContainerAsync(StorageNames.ReportsContainer);
    await Time("all three into blobs", () => compiler.WriteAsync(report, ReportStore.BlobTarget(container, $"phases/{Guid.NewGuid():N}/")));
    // `--dump-during <ms>`: a heap dump that many milliseconds into the compile (what the bodies streaming in leave alive).
    var during = o.TryGetValue("dump-during", out var at)
        ? Task.Delay(int.Parse(at, CultureInfo.InvariantCulture)).ContinueWith(_ =>
        {
            var file = Path.Combine(Path.GetTempPath(), "nap-report-compile-during.dump");
            Console.WriteLine($"(heap dump during the compile: {file})");
            using var tool = Process.Start(new ProcessStartInfo("dotnet-dump", $"collect --type Heap -p {Environment.ProcessId} -o {file}") { UseShellExecute = false })!;
            tool.WaitForExit();
        }, TaskScheduler.Default)
        : Task.CompletedTask;
    await Time("compile (download, parse, aggregate)", () => compiler.CompileAsync(inputs));
    await during;
    report.Dispose();
    return 0;
}

// ---- bench ----
static async Task<int> Bench(Dictionary<string, string> o)
{
    var sizes = o.GetValueOrDefault("sizes", "70,1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
    var repeat = int.Parse(o.GetValueOrDefault("repeat", "2"), CultureInfo.InvariantCulture);
    var azurite = o.ContainsKey("storage") ? null : AzuriteProcess.Start();
    if (azurite is null) Console.WriteLine("Note: adds synthetic signatories and cycles 2101… to the given storage; use a scratch Azurite.");
    await using var sp = Services(o.GetValueOrDefault("storage") ?? azurite!.ConnectionString);
    var framework = sp.GetRequiredService<ResultsFramework>();
    var options = sp.GetRequiredService<ReportOptions>();
    Console.WriteLine($"Report benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, download concurrency {options.DownloadConcurrency}, {repeat} runs per size (best shown)");
    Console.WriteLine();
    Console.WriteLine("| submissions | bodies | download only | compile | of which render and store | ratio | peak live heap, download | peak live heap, compile | live ratio | heap after any collection, download | heap after any collection, compile | allocated, compile | report files (docx / json / csv) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");

    var year = 2101;
    var peaks = new List<string>();
    foreach (var n in sizes)
    {
        var cycle = await Seed.CycleAsync(sp, year++, n, framework);
        // Warm-up (JIT, connections), not measured.
        await Measure.DownloadAsync(sp, cycle.Id);
        await Measure.CompileAsync(sp, cycle.Id);
        Measure.Result? bestDownload = null, bestCompile = null;
        for (var r = 0; r < repeat; r++)
        {
            var d = await Measure.DownloadAsync(sp, cycle.Id);
            var c = await Measure.CompileAsync(sp, cycle.Id);
            if (bestDownload is null || d.Elapsed < bestDownload.Elapsed) bestDownload = d;
            if (bestCompile is null || c.Elapsed < bestCompile.Elapsed) bestCompile = c;
        }
        // The live heap in runs of their own: a full blocking collection every 100 ms counts only what is reachable,
        // and slows the run, so these runs are not timed. Highest of the runs.
        long liveDownload = 0, liveCompile = 0;
        for (var r = 0; r < repeat; r++)
        {
            var d = await Measure.DownloadAsync(sp, cycle.Id, live: true);
            var c = await Measure.CompileAsync(sp, cycle.Id, live: true);
            liveDownload = Math.Max(liveDownload, d.PeakLiveBytes);
            liveCompile = Math.Max(liveCompile, c.PeakLiveBytes);
            peaks.Add($"- {n:N0}, live run {r + 1}: download {Mb(d.PeakLiveBytes)} {d.Peak}; compile {Mb(c.PeakLiveBytes)} {c.Peak} (rendering began at {(c.Elapsed - c.Render).TotalMilliseconds:F0} ms)");
        }
        var files = bestCompile!.Files!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {n:N0} | {Mb(bestDownload!.BodyBytes)} | {bestDownload.Elapsed.TotalMilliseconds:F0} ms | {bestCompile.Elapsed.TotalMilliseconds:F0} ms | " +
            $"{bestCompile.Render.TotalMilliseconds:F0} ms | {bestCompile.Elapsed / bestDownload.Elapsed:F2} | {Mb(liveDownload)} | {Mb(liveCompile)} | {(double)liveCompile / liveDownload:F2} | " +
            $"{Mb(bestDownload.PeakLiveBytes)} | {Mb(bestCompile.PeakLiveBytes)} | {Mb(bestCompile.AllocatedBytes)} | {string.Join(" / ", files.Select(f => Mb(f.Bytes)))} |"));
        peaks.Add($"- {n:N0}: download peak {bestDownload.Peak}; compile peak {bestCompile.Peak} (rendering began at {(bestCompile.Elapsed - bestCompile.Render).TotalMilliseconds:F0} ms)");
    }
    Console.WriteLine();
    foreach (var line in peaks) Console.WriteLine(line);
    Console.WriteLine();
    Console.WriteLine("Best of the runs per size; download and compile alternate, so both see the same machine load.");
    Console.WriteLine("Peak live heap: the reachable managed heap, sampled by a full blocking collection every 100 ms in separate (untimed) runs, at most, above the level before the run.");
    Console.WriteLine("Heap after any collection: the managed heap right after each collection of the timed runs, at most, above the level before the run; it also counts garbage in the older generations that no collection has reclaimed yet.");
    Console.WriteLine("Compile includes writing the three files into Azurite blobs as the report service does (streamed through a SHA-256); download only keeps nothing.");
    return 0;

    static string Mb(long bytes) => (bytes / 1024d / 1024d).ToString("F1", CultureInfo.InvariantCulture) + " MB";
}

/// <summary>Sums the runtime's allocation ticks for large objects (≥ 85,000 bytes) by type name.</summary>
internal sealed class LargeAllocations : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        // The GC keyword (0x1) at verbose level carries GCAllocationTick.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var kind = Convert.ToInt32(e.Payload![e.PayloadNames.IndexOf("AllocationKind")], CultureInfo.InvariantCulture);
        if (kind != 1) return;
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        var type = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        lock (_gate) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    public void Clear()
    {
        lock (_gate) _bytes.Clear();
    }

    public string Top(int n)
    {
        lock (_gate)
            return string.Join(", ", _bytes.OrderByDescending(x => x.Value).Take(n).Select(x => $"{x.Key} {x.Value / 1048576d:F1} MB"));
    }
}

/// <summary>A clock that always says the same: the compile command's proof that no clock reaches the files.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

internal static class Seed
{
    /// <summary>Stores a body and indexes it as the submission service would (blob first, then the table commit).</summary>
    public static async Task WriteAsync(IServiceProvider sp, ReportingCycle cycle, string signatoryId, string json, DateTimeOffset receivedAt)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        var blobName = await sp.GetRequiredService<ISubmissionContentStore>().PutAsync(cycle.Id, signatoryId, sha, body);
        var receipt = new SubmissionReceipt(SubmissionService.SubmissionId(cycle.Id, signatoryId, 1), cycle.Id, signatoryId, 1, receivedAt,
            AmsterdamTime.Format(receivedAt), sha, receivedAt > cycle.DeadlineUtc);
        if (await sp.GetRequiredService<ISubmissionIndex>().TryCommitAsync(new SubmissionCommit(new SubmissionVersion(receipt, blobName), null, null)) is null)
            throw new InvalidOperationException($"Submission of {signatoryId} in {cycle.Id} already exists.");
    }

    /// <summary>A cycle with n synthetic signatories, each with one Dutch sample submission.</summary>
    public static async Task<ReportingCycle> CycleAsync(IServiceProvider sp, int year, int n, ResultsFramework framework)
    {
        var cycle = new ReportingCycle(year.ToString(CultureInfo.InvariantCulture), new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
            new DateOnly(year + 1, 1, 15), new DateTime(year + 1, 3, 1, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
        await sp.GetRequiredService<ICycleStore>().UpsertAsync(cycle);
        var ids = Enumerable.Range(1, n).Select(i => $"bench-{year}-{i:D5}").ToList();
        await sp.GetRequiredService<ISignatoryRegistry>().UpsertAsync(ids.Select((id, i) => new Signatory(id, $"Benchmarkorganisatie {year}-{i + 1:D5}",
            SignatoryKind.CivilSocietyOrganisation, "nl", true, [new Contact("Contact", $"{id}@example.org", ContactRole.Primary)])));
        var stopwatch = Stopwatch.StartNew();
        var start = cycle.DeadlineUtc.AddDays(-30);
        await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (x, _) =>
            await WriteAsync(sp, cycle, x.id, DutchSampleSubmissions.Create(framework, x.i + 1).ToJsonString(), start.AddSeconds(x.i)));
        Console.Error.WriteLine($"(seeded {n} submissions in cycle {cycle.Id} in {stopwatch.Elapsed.TotalSeconds:F1} s)");
        return cycle;
    }
}

internal static class Measure
{
    /// <summary>Elapsed time, the part of it spent rendering, peak live heap and bytes downloaded.</summary>
    public sealed record Result(TimeSpan Elapsed, TimeSpan Render, long PeakLiveBytes, long HeldAtEndBytes, long AllocatedBytes, long BodyBytes, IReadOnlyList<WrittenReportFile>? Files)
    {
        /// <summary>When the peak was seen and what the heap held then, by generation.</summary>
        public string Peak { get; init; } = "";
    }

    private sealed record Outcome(TimeSpan Render, long BodyBytes, IReadOnlyList<WrittenReportFile>? Files);

    /// <summary>The baseline: list the latest versions and download every body, with the compiler's concurrency, keeping nothing.</summary>
    public static Task<Result> DownloadAsync(IServiceProvider sp, string cycleId, bool live = false) => RunAsync(live, async () =>
    {
        var latest = await sp.GetRequiredService<ISubmissionIndex>().ListLatestAsync(cycleId);
        var contents = sp.GetRequiredService<ISubmissionContentStore>();
        long bytes = 0;
        await Parallel.ForEachAsync(latest, new ParallelOptions { MaxDegreeOfParallelism = sp.GetRequiredService<ReportOptions>().DownloadConcurrency }, async (v, ct) =>
        {
            var body = await contents.GetAsync(v.BlobName, ct);
            Interlocked.Add(ref bytes, body?.ToMemory().Length ?? 0);
        });
        return new Outcome(TimeSpan.Zero, bytes, null);
    });

    /// <summary>
    /// What a compilation does up to its version row: read cycle, index and registry, download, parse, aggregate, and
    /// write the files into blobs as the report store does (streamed, hashed on the way), under a scratch prefix.
    /// </summary>
    public static Task<Result> CompileAsync(IServiceProvider sp, string cycleId, bool live = false) => RunAsync(live, async () =>
    {
        // As the report service reads them: side by side.
        var cycle = sp.GetRequiredService<ICycleStore>().FindAsync(cycleId);
        var latest = sp.GetRequiredService<ISubmissionIndex>().ListLatestAsync(cycleId);
        var registry = sp.GetRequiredService<ISignatoryRegistry>().ListAsync();
        var inputs = new ReportInputs((await cycle)!, ReportKind.Draft, await latest, await registry, sp.GetRequiredService<ResultsFramework>())
        {
            PublishedHash = await sp.GetRequiredService<IPublishedHashKey>().GetAsync(),
        };
        var compiler = sp.GetRequiredService<ReportCompiler>();
        using var report = await compiler.CompileAsync(inputs);
        var rendering = Stopwatch.StartNew();
        var container = await sp.GetRequiredService<NapStorage>().ContainerAsync(StorageNames.ReportsContainer);
        var files = await compiler.WriteAsync(report, ReportStore.BlobTarget(container, $"bench/{cycleId}/{Guid.NewGuid():N}/"));
        return new Outcome(rendering.Elapsed, 0, files);
    });

    /// <summary>
    /// Runs once and samples the managed heap as the garbage collector leaves it after each collection (live objects,
    /// not yet-uncollected garbage), above the level before the run.
    /// </summary>
    private static async Task<Result> RunAsync(bool live, Func<Task<Outcome>> run)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetGCMemoryInfo(GCKind.Any);
        var baseline = before.HeapSizeBytes - before.FragmentedBytes;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = baseline;
        var peakAt = TimeSpan.Zero;
        string peakGenerations = "", peakKind = "";
        var stopwatchAtStart = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            var seen = before.Index;
            while (live && !stop.IsCancellationRequested)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                if (full.HeapSizeBytes - full.FragmentedBytes > peak)
                {
                    peak = full.HeapSizeBytes - full.FragmentedBytes;
                    peakAt = stopwatchAtStart.Elapsed;
                    peakKind = "full blocking";
                    peakGenerations = string.Join(" / ", Enumerable.Range(0, 5).Select(g => Mb(full.GenerationInfo[g].SizeAfterBytes - full.GenerationInfo[g].FragmentationAfterBytes)));
                }
                Thread.Sleep(100);
            }
            while (!stop.IsCancellationRequested)
            {
                var info = GC.GetGCMemoryInfo(GCKind.Any);
                if (info.Index != seen)
                {
                    seen = info.Index;
                    if (info.HeapSizeBytes - info.FragmentedBytes > peak)
                    {
                        peak = info.HeapSizeBytes - info.FragmentedBytes;
                        // Where the peak sits: by generation (gen0, gen1, gen2, large, pinned objects) and when.
                        peakAt = stopwatchAtStart.Elapsed;
                        peakGenerations = string.Join(" / ", Enumerable.Range(0, 5).Select(g => Mb(info.GenerationInfo[g].SizeAfterBytes - info.GenerationInfo[g].FragmentationAfterBytes)));
                        peakKind = $"gen{info.Generation}{(info.Compacted ? " compacting" : "")}{(info.Concurrent ? " background" : "")}";
                    }
                }
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        sampler.Start();
        var stopwatch = Stopwatch.StartNew();
        var outcome = await run();
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        // One more collection while the result is still referenced: what the run holds at its end counts too.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var end = GC.GetGCMemoryInfo(GCKind.Any);
        await Task.Delay(20);
        await stop.CancelAsync();
        sampler.Join();
        GC.KeepAlive(outcome);
        return new Result(stopwatch.Elapsed, outcome.Render, Math.Max(peak, end.HeapSizeBytes - end.FragmentedBytes) - baseline,
            end.HeapSizeBytes - end.FragmentedBytes - baseline, allocated, outcome.BodyBytes, outcome.Files)
        {
            Peak = $"after a {peakKind} collection at {peakAt.TotalMilliseconds:F0} ms; gen0 / gen1 / gen2 / large / pinned: {peakGenerations}",
        };
    }

    private static string Mb(long bytes) => (bytes / 1024d / 1024d).ToString("F1", CultureInfo.InvariantCulture) + " MB";
}
