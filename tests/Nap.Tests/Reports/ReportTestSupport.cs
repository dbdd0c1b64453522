using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Configuration;
using Nap.Cycles;
using Nap.DevHost;
using Nap.Reports;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>The app's core and report services against the test Azurite, without a host (so no trigger fires by itself).</summary>
public sealed class ReportServices : IAsyncDisposable
{
    private static int _nextYear = 9000 + Random.Shared.Next(0, 80) * 10;

    public ReportServices(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        LocalFolder = Path.Combine(Path.GetTempPath(), "nap-reports-" + Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["NapStorage"] = Azurite.ConnectionString,
            ["Nap:RegistryCacheSeconds"] = "0",
            ["SharePoint:LocalFolder"] = LocalFolder,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) values[k] = v;
        var configuration = new ConfigurationBuilder()
            .Add(new LocalSettingsSource(LocalSettingsSource.Find()))
            .AddInMemoryCollection(values)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        configure?.Invoke(services);
        services.AddNapCore(configuration);
        services.AddNapReports(configuration);
        Provider = services.BuildServiceProvider();
    }

    public ServiceProvider Provider { get; }
    public LogSink Logs { get; } = new();
    public string LocalFolder { get; }
    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public async Task<IReadOnlyList<Signatory>> SeedRegistryAsync() =>
        (await SampleData.SeedAsync(Get<ISignatoryRegistry>(), Get<ICycleStore>())).Signatories;

    /// <summary>
    /// A fresh cycle with a year no other fixture uses (the dev host fixture counts from 3000). Its final takes the latest
    /// versions unless told otherwise: these tests compile submissions nobody reviewed (the review tests pass
    /// <see cref="ReportVersionPolicy.Accepted"/>, the app's default).
    /// </summary>
    public async Task<ReportingCycle> CreateCycleAsync(ReportVersionPolicy reportVersions = ReportVersionPolicy.Latest)
    {
        var year = Interlocked.Increment(ref _nextYear);
        var cycle = new ReportingCycle(year.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
            new DateOnly(year, 1, 15), new DateTime(year, 12, 31, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open, reportVersions);
        await Get<ICycleStore>().UpsertAsync(cycle);
        return cycle;
    }

    /// <summary>A fresh cycle with valid sample submissions from the first <paramref name="count"/> active signatories, before the deadline.</summary>
    public async Task<ReportingCycle> CycleWithSubmissionsAsync(int count)
    {
        var registry = await SeedRegistryAsync();
        var cycle = await CreateCycleAsync();
        foreach (var (s, i) in registry.Where(s => s.Active).Take(count).Select((s, i) => (s, i)))
            await SubmissionWriter.WriteAsync(Provider, cycle, s.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(i + 1).ToJsonString()), cycle.DeadlineUtc.AddDays(-10 + i));
        return cycle;
    }

    /// <summary>
    /// The inputs the service compiles for this cycle and kind, built as it builds them (versions chosen by review) from
    /// the given latest versions and registry, in the order given, or those in storage.
    /// </summary>
    public async Task<ReportInputs> InputsAsync(ReportingCycle cycle, ReportKind kind, IReadOnlyList<SubmissionVersion>? latest = null, IReadOnlyList<Signatory>? registry = null)
    {
        latest ??= await Get<ISubmissionIndex>().ListLatestAsync(cycle.Id);
        registry ??= await Get<ISignatoryRegistry>().ListAsync();
        var selection = await Get<ReportVersionSelector>().SelectAsync(cycle, kind, latest);
        return new ReportInputs(cycle, kind, selection.Versions, registry, Get<Nap.Framework.ResultsFramework>(), review: selection.Review)
        {
            PublishedHash = await Get<IPublishedHashKey>().GetAsync(),
        };
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(LocalFolder)) Directory.Delete(LocalFolder, recursive: true);
        return Provider.DisposeAsync();
    }
}

public static class SubmissionWriter
{
    /// <summary>
    /// Stores a body and indexes it the way the submission service does: the blob first, then (after <paramref name="commitDelay"/>)
    /// the table commit. Returns the version.
    /// </summary>
    public static async Task<SubmissionVersion> WriteAsync(IServiceProvider services, ReportingCycle cycle, string signatoryId, byte[] body,
        DateTimeOffset receivedAt, int version = 1, string? sha256 = null, bool writeBlob = true, TimeSpan? commitDelay = null)
    {
        var sha = sha256 ?? Convert.ToHexStringLower(SHA256.HashData(body));
        var blobName = BlobSubmissionContentStore.BlobName(cycle.Id, signatoryId, Convert.ToHexStringLower(SHA256.HashData(body)));
        if (writeBlob)
            blobName = await services.GetRequiredService<ISubmissionContentStore>().PutAsync(cycle.Id, signatoryId, Convert.ToHexStringLower(SHA256.HashData(body)), body);
        if (commitDelay is { } delay) await Task.Delay(delay);
        var index = services.GetRequiredService<ISubmissionIndex>();
        var latest = await index.GetLatestAsync(cycle.Id, signatoryId);
        var receipt = new SubmissionReceipt(SubmissionService.SubmissionId(cycle.Id, signatoryId, version), cycle.Id, signatoryId, version, receivedAt,
            AmsterdamTime.Format(receivedAt), sha, receivedAt > cycle.DeadlineUtc);
        var stored = new SubmissionVersion(receipt, blobName);
        if (await index.TryCommitAsync(new SubmissionCommit(stored, latest?.ETag, null)) is null)
            throw new InvalidOperationException("The index commit was refused.");
        return stored;
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}

/// <summary>Runs a command line tool and returns its exit code and output.</summary>
public static class ProcessRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}

/// <summary>Reads the CSV dialect the report writes (';', '"' quoting, CRLF).</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"' && cell.Length == 0) quoted = true;
            else if (ch == ';') { row.Add(cell.ToString()); cell.Clear(); }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++; }
            else cell.Append(ch);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add(row); }
        return rows;
    }
}

/// <summary>
/// The app's blob content store, with failures injected per blob name: a <see cref="Azure.RequestFailedException"/> with
/// the given status, as the SDK throws it once its own retries are spent.
/// </summary>
public sealed class FlakyContentStore(NapStorage storage) : ISubmissionContentStore
{
    private readonly BlobSubmissionContentStore _inner = new(storage);

    /// <summary>Blob name → HTTP status to fail reads with.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    public Task<string> PutAsync(string cycleId, string signatoryId, string sha256, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        _inner.PutAsync(cycleId, signatoryId, sha256, body, cancellationToken);

    public Task<BinaryData?> GetAsync(string blobName, CancellationToken cancellationToken = default) =>
        Failures.TryGetValue(blobName, out var status)
            ? throw new Azure.RequestFailedException(status, "Injected storage failure.", status == 404 ? "BlobNotFound" : "ServerBusy", null)
            : _inner.GetAsync(blobName, cancellationToken);

    /// <summary>Registers it as the app's <see cref="ISubmissionContentStore"/> (before AddNapCore, which only adds one if none is there).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<FlakyContentStore>();
        services.AddSingleton<ISubmissionContentStore>(sp => sp.GetRequiredService<FlakyContentStore>());
    }
}
