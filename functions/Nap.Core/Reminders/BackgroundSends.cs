using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nap.Reminders;

/// <summary>
/// Sends claimed messages (fresh links, receipts) in the background of the process, so the HTTP request that caused
/// them only claims them in the ledger and answers. Sends go through <see cref="ReminderSender"/>, i.e. the process's
/// shared <see cref="MailPacer"/>. A message that gets no sending slot within <c>Reminders:ImmediateSendWaitSeconds</c>,
/// or that this process never gets to (it stops or dies first), stays <c>pending</c> in the ledger and the next sweep
/// sends it. On host shutdown, sends still waiting for a slot are left pending; a send in flight may finish until the
/// host's shutdown timeout, then it is cancelled and recorded as uncertain. Logs name ids, role, stage and exception
/// types only.
/// </summary>
public sealed partial class BackgroundSends(ReminderSender sender, RemindersOptions options, TimeProvider time, ILogger<BackgroundSends> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentDictionary<ITimer, IReadOnlyList<MailJob>> _waiting = new();
    private int _stopped;

    /// <summary>Starts sending <paramref name="jobs"/> (entries already claimed as pending) and returns at once.</summary>
    public void Start(IReadOnlyList<MailJob> jobs)
    {
        if (jobs.Count == 0) return;
        if (_stopping.IsCancellationRequested)
        {
            foreach (var job in jobs) LogLeftPending(logger, job.Entry.CycleId, job.Entry.SignatoryId, job.Entry.Role, job.Entry.Stage);
            return;
        }
        Task task;
        // Not part of the request that started it: none of its state (scopes, activity, HTTP context) comes along.
        using (ExecutionContext.SuppressFlow())
            task = Task.Run(() => RunAsync(jobs));
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Starts sending <paramref name="jobs"/> at <paramref name="due"/> (receipts coalesced to a window's end). Only a
    /// timer waits, not a task, so <see cref="WhenIdleAsync"/> does not wait for them. If the host stops first they stay
    /// pending and the next sweep sends them.
    /// </summary>
    public void StartAt(DateTimeOffset due, IReadOnlyList<MailJob> jobs)
    {
        var delay = due - time.GetUtcNow();
        if (delay <= TimeSpan.Zero || _stopping.IsCancellationRequested)
        {
            Start(jobs);
            return;
        }
        ITimer? timer = null;
        using (ExecutionContext.SuppressFlow())
            timer = time.CreateTimer(_ => Fire(timer!), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Armed only once registered, so StopAsync sees every timer that has not fired.
        _waiting[timer] = jobs;
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void Fire(ITimer timer)
    {
        if (!_waiting.TryRemove(timer, out var jobs)) return;
        timer.Dispose();
        Start(jobs);
    }

    /// <summary>
    /// Claims in the background too, then sends what was claimed: for receipts, whose claims would otherwise add table
    /// writes to every submission request. What is not claimed here (the process stops first, storage fails) is claimed
    /// and sent by the sweep's receipt catch-up.
    /// </summary>
    public void Start(Func<CancellationToken, Task<IReadOnlyList<MailJob>>> claim)
    {
        if (_stopping.IsCancellationRequested) return;
        Task task;
        using (ExecutionContext.SuppressFlow())
            task = Task.Run(async () =>
            {
                IReadOnlyList<MailJob> jobs;
                try
                {
                    jobs = await claim(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogClaimFailed(logger, ex.GetType().Name);
                    return;
                }
                if (jobs.Count > 0) await RunAsync(jobs).ConfigureAwait(false);
            });
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when no background send is running (tests, shutdown).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (_running.Keys.Where(t => !t.IsCompleted).ToArray() is { Length: > 0 } open)
            await Task.WhenAll(open).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(IReadOnlyList<MailJob> jobs)
    {
        using var slotWait = new CancellationTokenSource(TimeSpan.FromSeconds(options.ImmediateSendWaitSeconds), time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(slotWait.Token, _stopping.Token);
        await Task.WhenAll(jobs.Select(job => SendAsync(job, wait.Token))).ConfigureAwait(false);
    }

    private async Task SendAsync(MailJob job, CancellationToken wait)
    {
        var e = job.Entry;
        try
        {
            if (await sender.SendAsync(job, wait, _abort.Token).ConfigureAwait(false) == JobOutcome.LeftPending)
                LogLeftPending(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage);
        }
        catch (Exception ex)
        {
            // The entry stays pending (the next sweep sends it) or sending (the next sweep records it as uncertain).
            LogFailed(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage, ex.GetType().Name);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Leaves waiting sends pending; lets sends in flight finish until <paramref name="cancellationToken"/>, then cancels them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var timer in _waiting.Keys)
        {
            if (!_waiting.TryRemove(timer, out var jobs)) continue;
            await timer.DisposeAsync().ConfigureAwait(false);
            foreach (var job in jobs) LogLeftPending(logger, job.Entry.CycleId, job.Entry.SignatoryId, job.Entry.Role, job.Entry.Stage);
        }
        try
        {
            await WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            // A cancelled send still writes its outcome down; give that a moment, not forever.
            using var recording = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await WhenIdleAsync(recording.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// Stops as the host would (when no host stopped it first, e.g. a bare service provider). The two token sources are
    /// not disposed: a send cut off after the grace period may still read them, and they hold no timer.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await StopAsync(grace.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4120, EventName = "ReminderBackgroundSendFailed", Level = LogLevel.Error,
        Message = "ReminderBackgroundSendFailed: cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage} failed with {ExceptionType}; the next sweep takes it up")]
    private static partial void LogFailed(ILogger logger, string cycleId, string signatoryId, string role, string stage, string exceptionType);

    [LoggerMessage(EventId = 4122, EventName = "ReminderClaimFailed", Level = LogLevel.Error,
        Message = "ReminderClaimFailed: claiming messages in the background failed with {ExceptionType}; the next sweep claims and sends them")]
    private static partial void LogClaimFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 4121, EventName = "ReminderLeftPending", Level = LogLevel.Warning,
        Message = "ReminderLeftPending: cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage} got no sending slot in time (or the host is stopping); the next sweep sends it")]
    private static partial void LogLeftPending(ILogger logger, string cycleId, string signatoryId, string role, string stage);
}
