using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Nap.Storage;

namespace Nap.Reports;

/// <summary>
/// The clock of the draft scheduler's coordination between instances. Not the app's domain <see cref="TimeProvider"/>:
/// a test's fake domain clock must not stall the scheduler, so without a registered instance it runs on
/// <see cref="TimeProvider.System"/>. A test that drives the scheduler itself registers one with a fake clock.
/// </summary>
public sealed class ReportCoordinationClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;
}

/// <summary>
/// Turns a burst of "a submission was stored" events into few compilations, across function instances, with one
/// table row per cycle (<c>ReportVersions</c>, row <c>draft-schedule</c>):
/// <list type="bullet">
/// <item>Every event marks the cycle dirty and notes when (an unconditional merge: cheap, never conflicts).</item>
/// <item>If no one holds the cycle's lease, the event takes it (ETag-guarded) and becomes the compiler; otherwise it
/// returns at once, and the holder will see the dirty mark.</item>
/// <item>The holder waits until no event has arrived for <see cref="ReportOptions.CoalesceSeconds"/>, but no longer than
/// <see cref="ReportOptions.MaxDelaySeconds"/> after the round began (<c>WaitingSince</c> in the row, kept when
/// another instance takes over the lease), clears the mark and compiles. It renews its lease while it waits and while
/// it compiles. The quiet period also gives each submission's table commit, which follows its blob, time to land. An
/// event during the compilation marks the cycle dirty again, and the holder goes round once more; only a quiet, clean
/// cycle releases the lease.</item>
/// <item>A holder that crashes leaves a dirty row with an expiring lease: the next event, or the recovery timer
/// (<see cref="RecoverAsync"/>), takes over.</item>
/// <item>A holder that meets a storage outage (its own reads fail) waits it out, up to one lease, and compiles when storage
/// is back, so the draft catches up within the usual delays. A longer outage, or a compilation that fails while storage
/// answers, releases the lease when storage lets it (otherwise the lease runs out by itself) and fails the invocation,
/// whose redelivery or the recovery timer compiles.</item>
/// </list>
/// Every change the holder makes is conditional on the row's ETag, so an event that slips in is never lost.
/// </summary>
public sealed partial class DraftCompilationScheduler(ReportStore store, ReportOptions options, ILogger<DraftCompilationScheduler> logger, ReportCoordinationClock? clock = null)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly TimeProvider _clock = clock?.Time ?? TimeProvider.System;

    /// <summary>
    /// Records the event and, when this call wins the lease, runs <paramref name="compile"/> until the cycle is clean.
    /// Returns the number of compilations this call ran (0 when another instance holds the lease).
    /// </summary>
    public async Task<int> SignalAsync(string cycleId, Func<CancellationToken, Task> compile, CancellationToken cancellationToken = default)
    {
        var table = await store.VersionsAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(cycleId, ReportStore.ScheduleKey)
        {
            ["Dirty"] = true,
            ["LastSignalAt"] = _clock.GetUtcNow(),
        }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        return await RunIfFreeAsync(table, cycleId, compile, recovering: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For the recovery timer: if the cycle is dirty and no one holds its lease (its holder crashed, or its compilation
    /// failed), or a holder's lease ran out without a release (it crashed, perhaps while compiling, after it had
    /// cleared the mark), takes the lease and compiles like an event would. Does nothing for a clean, released cycle
    /// or a live lease.
    /// </summary>
    public async Task<int> RecoverAsync(string cycleId, Func<CancellationToken, Task> compile, CancellationToken cancellationToken = default)
    {
        var table = await store.VersionsAsync(cancellationToken).ConfigureAwait(false);
        var compilations = await RunIfFreeAsync(table, cycleId, compile, recovering: true, cancellationToken).ConfigureAwait(false);
        if (compilations > 0) LogRecovered(logger, cycleId, compilations);
        return compilations;
    }

    private async Task<int> RunIfFreeAsync(TableClient table, string cycleId, Func<CancellationToken, Task> compile, bool recovering, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        if (!await TryTakeLeaseAsync(table, cycleId, owner, recovering, cancellationToken).ConfigureAwait(false)) return 0;
        LogLeaseTaken(logger, cycleId);

        var compilations = 0;
        // A compilation whose mark was cleared but which did not finish (storage failed under it): it is still owed.
        var owed = false;
        var compiling = false;
        DateTimeOffset? troubledSince = null;
        var troubles = 0;
        try
        {
            while (true)
            {
                try
                {
                    var row = await ReadAsync(table, cycleId, cancellationToken).ConfigureAwait(false);
                    if (row is null || row.Owner != owner) { LogLeaseLost(logger, cycleId); return compilations; }
                    var now = _clock.GetUtcNow();
                    if (!row.Dirty && !owed)
                    {
                        if (await TryUpdateAsync(table, row, Change.Release, null, cancellationToken).ConfigureAwait(false)) return compilations;
                        continue;
                    }
                    var waitingSince = row.WaitingSince ?? now;
                    var quietFor = now - row.LastSignalAt;
                    var waited = now - waitingSince;
                    if (!owed && quietFor < options.Coalesce && waited < options.MaxDelay)
                    {
                        // Renew before a third of the lease is gone (and note when the round began): an event that found the
                        // lease expired would take it over, and under a steady stream no holder would reach the maximum delay.
                        if ((row.WaitingSince is null || row.LeaseUntil - now < options.Lease - options.Lease / 3)
                            && !await TryUpdateAsync(table, row, Change.Renew, waitingSince, cancellationToken).ConfigureAwait(false))
                            continue;
                        var wait = Min(options.Coalesce - quietFor, options.MaxDelay - waited, options.Lease / 3);
                        await Task.Delay(wait > Poll ? wait : Poll, _clock, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    // Quiet: clear the mark, so an event from now on asks for another round. Still busy after the maximum
                    // delay: compile anyway but keep the mark, since the latest events' table commits may not have landed.
                    // Either way this round ends; the next one begins when the holder looks again.
                    var quiet = quietFor >= options.Coalesce;
                    if (!await TryUpdateAsync(table, row, quiet ? Change.StartQuiet : Change.StartBusy, null, cancellationToken).ConfigureAwait(false)) continue;

                    owed = compiling = true;
                    using (var heartbeat = new CancellationTokenSource())
                    {
                        var renewing = RenewWhileCompilingAsync(table, cycleId, owner, heartbeat.Token);
                        try
                        {
                            await compile(cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            await heartbeat.CancelAsync().ConfigureAwait(false);
                            await renewing.ConfigureAwait(false);
                        }
                    }
                    owed = compiling = false;
                    compilations++;
                    // Only a finished compilation ends a spell of trouble: with tables up and blobs down, reads alone succeed.
                    (troubledSince, troubles) = (null, 0);
                }
                catch (Exception ex) when (StorageFailure.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    // A compilation that failed while the schedule row still answers met one bad item, not an outage: that
                    // is for the redelivery or the recovery timer, after the release below.
                    if (compiling)
                    {
                        compiling = false;
                        if (await AnswersAsync(table, cycleId, cancellationToken).ConfigureAwait(false)) throw;
                    }
                    // Storage is down: this holder waits for it (up to one lease) rather than leave the draft to a recovery
                    // timer minutes away. Every change it makes is ETag-guarded, so a write that landed unanswered is safe.
                    var now = _clock.GetUtcNow();
                    troubledSince ??= now;
                    if (now - troubledSince >= options.Lease) throw;
                    LogStorageTrouble(logger, cycleId, ex.GetType().FullName ?? "unknown", StorageFailure.Status(ex));
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(troubles++, 5))), _clock, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Leave the cycle dirty and free, so the next event or the recovery timer compiles it.
            await ReleaseAfterFailureAsync(table, cycleId, owner).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<bool> TryTakeLeaseAsync(TableClient table, string cycleId, string owner, bool recovering, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = await ReadAsync(table, cycleId, cancellationToken).ConfigureAwait(false);
            if (row is null) return false; // never signalled
            var now = _clock.GetUtcNow();
            if (row.Owner is not null && row.LeaseUntil > now) return false; // the holder will see the mark
            // A holder whose lease ran out without a release died, maybe in the middle of a compilation it had cleared
            // the mark for: the recovery compiles once more (unchanged inputs make no new version).
            var died = recovering && row.Owner is not null;
            // Clean already: a holder compiled after our mark was set (it waited for the quiet period after it).
            if (!row.Dirty && !died) return false;
            var entity = new TableEntity(cycleId, ReportStore.ScheduleKey) { ["Owner"] = owner, ["LeaseUntil"] = now + options.Lease };
            if (!row.Dirty) entity["Dirty"] = true;
            // A round that an earlier holder began keeps its start, and with it its deadline.
            if (row.WaitingSince is null) entity["WaitingSince"] = now;
            try
            {
                await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Another event or instance changed the row: look again.
            }
        }
    }

    private enum Change { Renew, StartQuiet, StartBusy, Release }

    private async Task<bool> TryUpdateAsync(TableClient table, ScheduleRow row, Change change, DateTimeOffset? waitingSince, CancellationToken cancellationToken)
    {
        var release = change == Change.Release;
        var entity = new TableEntity(row.CycleId, ReportStore.ScheduleKey)
        {
            ["Owner"] = release ? "" : row.Owner,
            ["LeaseUntil"] = release ? DateTimeOffset.UnixEpoch : _clock.GetUtcNow() + options.Lease,
        };
        if (change == Change.StartQuiet) entity["Dirty"] = false;
        if (change is Change.StartQuiet or Change.StartBusy or Change.Release) entity["WaitingSince"] = DateTimeOffset.UnixEpoch;
        else if (waitingSince is { } since) entity["WaitingSince"] = since;
        try
        {
            await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Keeps the lease alive during a long compilation; the row's other fields are left to the events.</summary>
    private async Task RenewWhileCompilingAsync(TableClient table, string cycleId, string owner, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Lease / 3, _clock, stop).ConfigureAwait(false);
                try
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        var row = await ReadAsync(table, cycleId, stop).ConfigureAwait(false);
                        if (row is null || row.Owner != owner) return;
                        if (await TryUpdateAsync(table, row, Change.Renew, null, stop).ConfigureAwait(false)) break;
                    }
                }
                catch (Exception ex) when (ex is RequestFailedException || StorageFailure.IsTransient(ex))
                {
                    // Try again at the next beat; the compilation itself is not disturbed by a missed renewal.
                    LogRenewFailed(logger, cycleId, ex.GetType().FullName ?? "unknown", StorageFailure.Status(ex));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ReleaseAfterFailureAsync(TableClient table, string cycleId, string owner)
    {
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var row = await ReadAsync(table, cycleId, CancellationToken.None).ConfigureAwait(false);
                if (row is null || row.Owner != owner) return;
                var entity = new TableEntity(cycleId, ReportStore.ScheduleKey) { ["Owner"] = "", ["LeaseUntil"] = DateTimeOffset.UnixEpoch, ["Dirty"] = true };
                try
                {
                    await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Merge, CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                }
            }
        }
        catch (Exception ex)
        {
            // Storage is still down (or answers oddly): the lease then expires by itself, at the latest one lease after
            // its last renewal, and the next event, a redelivery or the recovery timer takes over.
            LogRenewFailed(logger, cycleId, ex.GetType().FullName ?? "unknown", StorageFailure.Status(ex));
        }
    }

    /// <summary>Whether storage answers at all: one read of the schedule row.</summary>
    private static async Task<bool> AnswersAsync(TableClient table, string cycleId, CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(table, cycleId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            return false;
        }
    }

    private static async Task<ScheduleRow?> ReadAsync(TableClient table, string cycleId, CancellationToken cancellationToken)
    {
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, ReportStore.ScheduleKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!hit.HasValue) return null;
        var e = hit.Value!;
        return new ScheduleRow(cycleId,
            e.GetBoolean("Dirty") ?? false,
            e.GetDateTimeOffset("LastSignalAt") ?? DateTimeOffset.UnixEpoch,
            e.GetString("Owner") is { Length: > 0 } o ? o : null,
            e.GetDateTimeOffset("LeaseUntil") ?? DateTimeOffset.UnixEpoch,
            e.GetDateTimeOffset("WaitingSince") is { } w && w > DateTimeOffset.UnixEpoch ? w : null,
            e.ETag);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => a < b ? (a < c ? a : c) : (b < c ? b : c);

    private sealed record ScheduleRow(string CycleId, bool Dirty, DateTimeOffset LastSignalAt, string? Owner, DateTimeOffset LeaseUntil, DateTimeOffset? WaitingSince, ETag ETag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft report of cycle {CycleId}: this instance compiles it")]
    private static partial void LogLeaseTaken(ILogger logger, string cycleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draft report of cycle {CycleId}: the lease expired and was taken over")]
    private static partial void LogLeaseLost(ILogger logger, string cycleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draft report of cycle {CycleId}: renewing or releasing the lease failed with {ExceptionType} (storage status {Status})")]
    private static partial void LogRenewFailed(ILogger logger, string cycleId, string exceptionType, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draft report of cycle {CycleId}: storage unavailable ({ExceptionType}, storage status {Status}); the compiler waits for it")]
    private static partial void LogStorageTrouble(ILogger logger, string cycleId, string exceptionType, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draft report of cycle {CycleId} was left dirty without a live compiler; recovered with {Compilations} compilations")]
    private static partial void LogRecovered(ILogger logger, string cycleId, int compilations);
}
