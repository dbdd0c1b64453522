using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nap.Reports;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// A fake clock that knows how many timers are waiting on it, so a test advances time only once every caller is
/// parked in a delay: the steps are deterministic, whatever the real duration of the storage calls in between.
/// </summary>
public sealed class ObservedClock(FakeTimeProvider fake) : TimeProvider
{
    private int _pending;

    public FakeTimeProvider Fake { get; } = fake;
    public int Pending => Volatile.Read(ref _pending);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();
    public override long GetTimestamp() => Fake.GetTimestamp();
    public override long TimestampFrequency => Fake.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _pending);
        var timer = new Observed(this);
        timer.Inner = Fake.CreateTimer(s => { timer.Done(); callback(s); }, state, dueTime, period);
        return timer;
    }

    /// <summary>Waits (in real time, at most a minute) until every unfinished call is parked in a delay.</summary>
    public async Task SettleAsync(IReadOnlyCollection<Task> calls)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(1);
        while (calls.Count(c => !c.IsCompleted) != Pending)
        {
            if (DateTime.UtcNow > giveUp) throw new TimeoutException($"{calls.Count(c => !c.IsCompleted)} calls running, {Pending} timers waiting.");
            await Task.Delay(5);
        }
        foreach (var failed in calls.Where(c => c.IsFaulted)) await failed; // surface the exception
    }

    private sealed class Observed(ObservedClock owner) : ITimer
    {
        private int _done;
        public ITimer Inner { get; set; } = null!;

        public void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._pending);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

        public void Dispose()
        {
            Done();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Done();
            return Inner.DisposeAsync();
        }
    }
}

/// <summary>
/// In one collection with <see cref="ReportTriggerTests"/>, whose recovery run goes through every cycle in the shared
/// storage: it must not compile these tests' deliberately stale cycles while they look at them.
/// </summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class DraftSchedulerTests
{
    [Fact]
    public async Task Under_a_steady_stream_with_a_lease_shorter_than_the_maximum_delay_the_draft_is_compiled_within_the_maximum_delay()
    {
        // As in Azure: the lease (here 10 s) is shorter than the maximum delay (30 s); an event every 2 s never leaves 5 s of quiet.
        var clock = new ObservedClock(new FakeTimeProvider(DateTimeOffset.UtcNow));
        await using var services = new ReportServices(
            new Dictionary<string, string?> { ["Reports:CoalesceSeconds"] = "5", ["Reports:MaxDelaySeconds"] = "30", ["Reports:LeaseSeconds"] = "10" },
            s => s.AddSingleton(new ReportCoordinationClock(clock)));
        var scheduler = services.Get<DraftCompilationScheduler>();
        var maxDelay = TimeSpan.FromSeconds(30);
        var step = TimeSpan.FromSeconds(2);
        // Not a cycle in the cycle store: no recovery timer of another test's host touches it.
        var cycleId = "scheduler-" + Guid.NewGuid().ToString("N")[..12];
        var start = clock.GetUtcNow();
        var compiledAt = new ConcurrentQueue<TimeSpan>();
        Task Compile(CancellationToken _)
        {
            compiledAt.Enqueue(clock.GetUtcNow() - start);
            return Task.CompletedTask;
        }

        var calls = new List<Task<int>>();
        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromSeconds(40); elapsed += step)
        {
            if (elapsed > TimeSpan.Zero) clock.Fake.Advance(step);
            calls.Add(scheduler.SignalAsync(cycleId, Compile));
            await clock.SettleAsync(calls);
        }
        Assert.True(compiledAt.TryPeek(out var first), $"No draft was compiled during 40 s of steady events (maximum delay {maxDelay.TotalSeconds} s).");
        Assert.InRange(first, maxDelay - step, maxDelay + step);

        // The stream ends: the holder compiles once more after the quiet period and lets go.
        for (var i = 0; i < 30 && calls.Any(c => !c.IsCompleted); i++)
        {
            clock.Fake.Advance(step);
            await clock.SettleAsync(calls);
        }
        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully));
        // One holder throughout: it renewed its lease while waiting, so no event took it over.
        var results = await Task.WhenAll(calls);
        Assert.Equal(compiledAt.Count, results[0]);
        Assert.All(results.Skip(1), r => Assert.Equal(0, r));
        Assert.DoesNotContain(services.Logs.Lines, l => l.Contains("was taken over", StringComparison.Ordinal));
        Assert.True(await IdleAsync(services, cycleId));
    }

    [Fact]
    public async Task The_recovery_compiles_a_draft_whose_holder_died_waiting_or_compiling_and_leaves_clean_and_held_cycles_alone()
    {
        await using var services = new ReportServices(new Dictionary<string, string?> { ["Reports:CoalesceSeconds"] = "1" });
        var registry = (await services.SeedRegistryAsync()).Where(s => s.Active).ToList();
        var now = DateTimeOffset.UtcNow;
        async Task<Nap.Cycles.ReportingCycle> CycleAsync(bool dirty, string owner, DateTimeOffset leaseUntil)
        {
            var cycle = await services.CreateCycleAsync();
            foreach (var (s, i) in registry.Take(2).Select((s, i) => (s, i)))
                await SubmissionWriter.WriteAsync(services.Provider, cycle, s.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(i + 1).ToJsonString()), cycle.DeadlineUtc.AddDays(-5 + i));
            await (await services.Get<ReportStore>().VersionsAsync(CancellationToken.None)).UpsertEntityAsync(new TableEntity(cycle.Id, ReportStore.ScheduleKey)
            {
                ["Dirty"] = dirty,
                ["LastSignalAt"] = now.AddMinutes(-20),
                ["Owner"] = owner,
                ["LeaseUntil"] = leaseUntil,
                ["WaitingSince"] = now.AddMinutes(-20),
            }, TableUpdateMode.Replace);
            return cycle;
        }
        // Its holder took the lease and was never heard of again.
        var died = await CycleAsync(true, "crashed-instance", now.AddMinutes(-15));
        // Compiled and released (no event since).
        var clean = await CycleAsync(false, "", DateTimeOffset.UnixEpoch);
        // A live holder is waiting for the quiet period.
        var held = await CycleAsync(true, "live-instance", now.AddMinutes(10));
        // Its holder cleared the mark to compile, and crashed while compiling: the lease ran out, nothing was released.
        var diedCompiling = await CycleAsync(false, "crashed-while-compiling", now.AddMinutes(-15));

        // Cycle by cycle, as the timer's run goes through every cycle (other tests' cycles too, in this shared storage).
        var reports = services.Get<ReportService>();
        Assert.Equal(1, await reports.CompileStaleDraftAsync(died.Id));
        Assert.Equal(0, await reports.CompileStaleDraftAsync(clean.Id));
        Assert.Equal(0, await reports.CompileStaleDraftAsync(held.Id));
        Assert.Equal(1, await reports.CompileStaleDraftAsync(diedCompiling.Id));

        var store = services.Get<ReportStore>();
        var draft = Assert.Single(await store.ListAsync(died.Id));
        Assert.Equal(ReportKind.Draft, draft.Kind);
        Assert.Equal(2, draft.Submissions);
        Assert.True(await IdleAsync(services, died.Id));
        Assert.Empty(await store.ListAsync(clean.Id));
        Assert.Empty(await store.ListAsync(held.Id));
        var heldRow = await ScheduleRowAsync(services, held.Id);
        Assert.Equal("live-instance", heldRow.GetString("Owner"));
        Assert.True(heldRow.GetBoolean("Dirty"));
        Assert.Equal(2, Assert.Single(await store.ListAsync(diedCompiling.Id)).Submissions);
        Assert.True(await IdleAsync(services, diedCompiling.Id));
    }

    [Fact]
    public async Task A_draft_whose_compilation_failed_is_left_dirty_and_free_and_the_recovery_timer_compiles_it_after_storage_recovers()
    {
        await using var services = new ReportServices(new Dictionary<string, string?> { ["Reports:CoalesceSeconds"] = "0" }, FlakyContentStore.Register);
        var registry = (await services.SeedRegistryAsync()).Where(s => s.Active).ToList();
        var cycle = await services.CreateCycleAsync();
        var versions = new List<Nap.Submissions.SubmissionVersion>();
        foreach (var (s, i) in registry.Take(3).Select((s, i) => (s, i)))
            versions.Add(await SubmissionWriter.WriteAsync(services.Provider, cycle, s.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(i + 1).ToJsonString()), cycle.DeadlineUtc.AddDays(-5 + i)));
        var flaky = services.Get<FlakyContentStore>();
        flaky.Failures[versions[2].BlobName] = 500;

        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => services.Get<ReportService>().OnSubmissionStoredAsync(cycle.Id));
        var row = await ScheduleRowAsync(services, cycle.Id);
        Assert.True(row.GetBoolean("Dirty"));
        Assert.True(string.IsNullOrEmpty(row.GetString("Owner")));
        Assert.Empty(await services.Get<ReportStore>().ListAsync(cycle.Id));

        flaky.Failures.Clear();
        Assert.Equal(1, await services.Get<ReportService>().CompileStaleDraftAsync(cycle.Id));

        var draft = Assert.Single(await services.Get<ReportStore>().ListAsync(cycle.Id));
        Assert.Equal(3, draft.Submissions);
        Assert.True(await IdleAsync(services, cycle.Id));
    }

    private static async Task<TableEntity> ScheduleRowAsync(ReportServices services, string cycleId) =>
        (await services.Get<NapStorage>().Tables.GetTableClient(ReportStorageNames.VersionsTable).GetEntityAsync<TableEntity>(cycleId, ReportStore.ScheduleKey)).Value;

    private static async Task<bool> IdleAsync(ReportServices services, string cycleId)
    {
        var row = await ScheduleRowAsync(services, cycleId);
        return string.IsNullOrEmpty(row.GetString("Owner")) && row.GetBoolean("Dirty") == false;
    }
}

/// <summary>
/// Tests that count report versions or leave cycles deliberately stale run alone, after the parallel tests: every dev host
/// of another test class watches the shared submissions container and would compile these tests' cycles itself (and
/// the recovery here would compile theirs).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReportCompilationCollection
{
    public const string Name = "report compilation, alone";
}
