using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;

namespace Nap.Reminders;

/// <summary>
/// Keeps sending within the mailbox's limits, for the whole process: at most <c>MessagesPerMinute</c> sends in any
/// 60 seconds and at most <c>MaxConcurrentSends</c> at once. Both are <see cref="ConcurrencyLimiter"/>s; a
/// per-minute permit is held until 60 s after its send finished (timed by <see cref="TimeProvider"/>), which bounds
/// every rolling minute, not only clock minutes.
/// </summary>
public sealed class MailPacer : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly ConcurrencyLimiter _perMinute;
    private readonly ConcurrencyLimiter _concurrent;
    private readonly TimeProvider _time;
    // An unreferenced timer may be collected before it fires: pending releases are kept here.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ITimer, byte> _releases = new();

    public MailPacer(RemindersOptions options, TimeProvider time)
    {
        _time = time;
        _perMinute = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MessagesPerMinute,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _concurrent = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentSends,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Sends waiting for the per-minute limit right now.</summary>
    public long WaitingForMinute => _perMinute.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Waits for a slot; null when <paramref name="cancellationToken"/> ends the wait (time budget spent).</summary>
    public async Task<Slot?> AcquireAsync(CancellationToken cancellationToken)
    {
        RateLimitLease? minute = null;
        try
        {
            minute = await _perMinute.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!minute.IsAcquired) { minute.Dispose(); return null; }
            var concurrent = await _concurrent.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!concurrent.IsAcquired) { concurrent.Dispose(); minute.Dispose(); return null; }
            return new Slot(this, minute, concurrent);
        }
        catch (OperationCanceledException)
        {
            minute?.Dispose();
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var t in _releases.Keys) t.Dispose();
        _perMinute.Dispose();
        _concurrent.Dispose();
    }

    /// <summary>One send's permission. Dispose it when the send is over.</summary>
    public sealed class Slot(MailPacer pacer, RateLimitLease minute, RateLimitLease concurrent) : IDisposable
    {
        private int _disposed;

        /// <summary>Gives the slot back at once: nothing was sent with it.</summary>
        public void Unused()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            concurrent.Dispose();
            minute.Dispose();
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            concurrent.Dispose();
            var release = new StrongBox<ITimer?>();
            var timer = pacer._time.CreateTimer(state =>
            {
                minute.Dispose();
                var box = (StrongBox<ITimer?>)state!;
                if (box.Value is { } t && pacer._releases.TryRemove(t, out _)) t.Dispose();
            }, release, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            release.Value = timer;
            pacer._releases[timer] = 0;
            timer.Change(Minute, Timeout.InfiniteTimeSpan);
        }
    }
}
