using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;
using Nap.Cycles;
using Nap.Graph;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reminders;

/// <summary>
/// The reminder services against the run's Azurite and a WireMock Graph, on a fake clock. Cycles and signatories are
/// the real table-backed stores, narrowed to what this world made or picked: the tables are shared by every test of
/// the run, and a sweep goes over every open cycle.
/// </summary>
public sealed class ReminderWorld : IAsyncDisposable
{
    public static readonly string[] Coordinators = ["coordinator.one@ministry.example.nl", "coordinator.two@wo-men.example.nl"];
    private static int _nextYear = 5000 + Random.Shared.Next(0, 400) * 10;

    private ReminderWorld(FakeTimeProvider time, GraphMock graph, ServiceProvider services, ScopedCycles cycles, LogSink logs, IReadOnlyList<Signatory> signatories)
    {
        Time = time;
        Graph = graph;
        Services = services;
        Cycles = cycles;
        Logs = logs;
        Signatories = signatories;
    }

    public FakeTimeProvider Time { get; }
    public GraphMock Graph { get; }
    public ServiceProvider Services { get; }
    public ScopedCycles Cycles { get; }
    public LogSink Logs { get; }
    public IReadOnlyList<Signatory> Signatories { get; }
    public RecordingMailSender Mail => Services.GetRequiredService<RecordingMailSender>();
    public ReminderSweep Sweep => Services.GetRequiredService<ReminderSweep>();
    public ReminderLedger Ledger => Services.GetRequiredService<ReminderLedger>();
    public BackgroundSends Background => Services.GetRequiredService<BackgroundSends>();
    public TokenService Tokens => Services.GetRequiredService<TokenService>();

    public static async Task<ReminderWorld> CreateAsync(DateTimeOffset now, Func<IReadOnlyList<Signatory>, IEnumerable<Signatory>> pick,
        IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(now);
        var graph = new GraphMock();
        var logs = new LogSink();
        var values = new Dictionary<string, string?>
        {
            ["NapStorage"] = Azurite.ConnectionString,
            ["Nap:RegistryCacheSeconds"] = "0",
            ["Nap:PublicBaseUrl"] = "https://nap1325.example.nl",
            ["Graph:Mailbox"] = GraphMock.Mailbox,
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Reminders:Coordinators"] = string.Join(',', Coordinators),
            ["Reminders:MessagesPerMinute"] = "100000",
            ["Reminders:MaxConcurrentSends"] = "4",
            ["Reminders:LinkResponseMilliseconds"] = "0",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        var storage = NapStorage.FromConnectionString(Azurite.ConnectionString);
        services.AddSingleton(storage);
        var napOptions = new NapOptions { RegistryCacheSeconds = 0, PublicBaseUrl = values["Nap:PublicBaseUrl"]! };
        var tableRegistry = new TableSignatoryRegistry(storage, time, napOptions);
        var tableCycles = new TableCycleStore(storage, time, napOptions);
        var sample = await SampleData.SeedAsync(tableRegistry, tableCycles);
        var picked = pick(sample.Signatories).ToList();
        services.AddSingleton<ISignatoryRegistry>(new PickedRegistry(tableRegistry, picked.Select(s => s.Id).ToHashSet()));
        var cycles = new ScopedCycles(tableCycles);
        services.AddSingleton<ICycleStore>(cycles);
        // The app's own client from the configured options, with a fake credential.
        services.AddSingleton<GraphServiceClient>(sp => GraphClientBuilder.Create(sp.GetRequiredService<GraphOptions>(), graph.Credential));
        services.AddNapCore(configuration);
        services.AddNapReminders(configuration);
        // Every message passes a recorder first, which notes the fake time of the send.
        services.AddSingleton(sp => new RecordingMailSender(new GraphMailSender(sp.GetRequiredService<GraphServiceClient>(), sp.GetRequiredService<GraphOptions>(),
            sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<RecordingMailSender>());
        return new ReminderWorld(time, graph, services.BuildServiceProvider(), cycles, logs, picked);
    }

    /// <summary>A fresh cycle with a unique id; the deadline is Amsterdam local time.</summary>
    public async Task<ReportingCycle> CreateCycleAsync(DateOnly opensOn, DateTime deadline, bool acceptLate = true)
    {
        var year = Interlocked.Increment(ref _nextYear);
        var cycle = new ReportingCycle(year.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
            opensOn, deadline, ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, acceptLate, CycleStatus.Open);
        Cycles.Include(cycle.Id);
        await Cycles.UpsertAsync(cycle);
        return cycle;
    }

    /// <summary>Moves the fake clock to an instant (never backwards).</summary>
    public void SetTime(DateTimeOffset at)
    {
        var now = Time.GetUtcNow();
        if (at > now) Time.Advance(at - now);
    }

    /// <summary>
    /// Submits through the real intake service (which calls the receipt hook), as the signatory's token would, and
    /// waits until the receipts sent in the background are out.
    /// </summary>
    public async Task<SubmissionReceipt> SubmitAsync(string cycleId, string signatoryId, int seed = 1)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(SampleSubmissions.Valid(seed).ToJsonString());
        var token = await Services.GetRequiredService<SignatoryLinks>().IssueAsync(signatoryId, cycleId);
        var caller = await Services.GetRequiredService<AccessGuard>().AuthenticateSignatoryAsync(token);
        var result = await Services.GetRequiredService<SubmissionService>().SubmitAsync(new SubmitRequest(cycleId, caller, "application/json", body, null, null));
        await Background.WhenIdleAsync();
        return result.Receipt;
    }

    /// <summary>A coordinator as the function layer hands it to the core after Easy Auth sign-in.</summary>
    public StaffMember Coordinator { get; } = new("coordinator-anna-object-id", "Anna", new HashSet<string> { StaffRoles.Coordinator }, "aad");

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Graph.Dispose();
    }
}

/// <summary>Only the cycles a test made: the real table store, with the list narrowed.</summary>
public sealed class ScopedCycles(ICycleStore inner) : ICycleStore
{
    private readonly ConcurrentDictionary<string, byte> _ids = new();
    public void Include(string id) => _ids[id] = 0;

    public async Task<IReadOnlyList<ReportingCycle>> ListAsync(CancellationToken cancellationToken = default) =>
        (await inner.ListAsync(cancellationToken)).Where(c => _ids.ContainsKey(c.Id)).ToList();
    public async Task<ReportingCycle?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        _ids.ContainsKey(id) ? await inner.FindAsync(id, cancellationToken) : null;
    public Task UpsertAsync(ReportingCycle cycle, CancellationToken cancellationToken = default) => inner.UpsertAsync(cycle, cancellationToken);
    public Task<(ReportingCycle Cycle, string ETag)?> FindStoredAsync(string id, CancellationToken cancellationToken = default) => inner.FindStoredAsync(id, cancellationToken);
    public Task<bool> AddAsync(ReportingCycle cycle, CancellationToken cancellationToken = default) => inner.AddAsync(cycle, cancellationToken);
    public Task<bool> ReplaceAsync(ReportingCycle cycle, string etag, CancellationToken cancellationToken = default) => inner.ReplaceAsync(cycle, etag, cancellationToken);
    public Task<CycleSignatorySettings?> FindSettingsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default) => inner.FindSettingsAsync(cycleId, signatoryId, cancellationToken);
    public Task<IReadOnlyList<CycleSignatorySettings>> ListSettingsAsync(string cycleId, CancellationToken cancellationToken = default) => inner.ListSettingsAsync(cycleId, cancellationToken);
    public Task SaveSettingsAsync(CycleSignatorySettings settings, CancellationToken cancellationToken = default) => inner.SaveSettingsAsync(settings, cancellationToken);
}

/// <summary>The seeded sample registry in Table Storage, narrowed to the signatories a test picked.</summary>
public sealed class PickedRegistry(ISignatoryRegistry inner, IReadOnlySet<string> ids) : ISignatoryRegistry
{
    public async Task<IReadOnlyList<Signatory>> ListAsync(CancellationToken cancellationToken = default) =>
        (await inner.ListAsync(cancellationToken)).Where(s => ids.Contains(s.Id)).ToList();
    public async Task<Signatory?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        ids.Contains(id) ? await inner.FindAsync(id, cancellationToken) : null;
    public Task UpsertAsync(IEnumerable<Signatory> signatories, CancellationToken cancellationToken = default) => inner.UpsertAsync(signatories, cancellationToken);
    public Task RevokeTokensAsync(string id, DateTimeOffset from, CancellationToken cancellationToken = default) => inner.RevokeTokensAsync(id, from, cancellationToken);
    public async Task<Signatory?> ReadAsync(string id, CancellationToken cancellationToken = default) =>
        ids.Contains(id) ? await inner.ReadAsync(id, cancellationToken) : null;
    public Task<bool> TryCreateAsync(Signatory signatory, CancellationToken cancellationToken = default) => inner.TryCreateAsync(signatory, cancellationToken);
    public Task<bool> TryUpdateAsync(Signatory signatory, string etag, CancellationToken cancellationToken = default) => inner.TryUpdateAsync(signatory, etag, cancellationToken);
}

/// <summary>Passes every message on and notes when (by the fake clock) it was handed to Graph, and what came back.</summary>
public sealed class RecordingMailSender(IMailSender inner, TimeProvider time) : IMailSender
{
    public ConcurrentQueue<(DateTimeOffset At, OutgoingMail Mail, MailSendResult Result)> Sends { get; } = new();

    public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var result = await inner.SendAsync(mail, cancellationToken);
        Sends.Enqueue((at, mail, result));
        return result;
    }
}
