using System.Security.Cryptography;
using System.Text;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Reminders;

/// <summary>The entry after a deliberate retry, and whether this answer replays an earlier request with the same Idempotency-Key.</summary>
public sealed record RetryOutcome(LedgerRow Entry, bool Replayed);

/// <summary>
/// A coordinator sends an uncertain (may have gone out) or failed message once more, on purpose: the sweep never does
/// that by itself. The entry goes from uncertain/failed back to pending with its ETag, so of two concurrent retries
/// only one sends; a repeated request with the same Idempotency-Key answers the first one's entry without sending; a
/// sent entry is never sent again (409). The send itself is the sweep's (<see cref="ReminderSender"/>: one attempt,
/// paced, recorded), composed afresh (<see cref="ReminderSweep.JobForAsync"/>).
/// </summary>
public sealed class ReminderRetry(
    ICycleStore cycles,
    ReminderLedger ledger,
    ReminderSweep sweep,
    ReminderSender sender,
    RemindersOptions options,
    IAuditLog audit,
    TimeProvider time)
{
    public Task<RetryOutcome> RetryAsync(string cycleId, string entryId, string? idempotencyKey, StaffMember coordinator, CancellationToken ct = default)
    {
        var rowKey = ReminderLedger.RowKeyOf(entryId);
        var signatoryId = rowKey?.Split('|')[0];
        // Ids from the URL go into the trail only when well-formed.
        var entry = new AuditEvent(AuditActor.Of(coordinator), AuditActions.ReminderRetry, ReportingCycle.IsValidId(cycleId) ? cycleId : null,
            SignatoryImport.IsValidId(signatoryId) || signatoryId == ReminderLedger.CoordinatorsId ? signatoryId : null);
        return audit.RecordAsync(entry, () => RunAsync(cycleId, rowKey, idempotencyKey, coordinator, ct), ct);
    }

    private async Task<RetryOutcome> RunAsync(string cycleId, string? rowKey, string? idempotencyKey, StaffMember coordinator, CancellationToken ct)
    {
        var keyHash = HashKey(idempotencyKey);
        var cycle = (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, ct).ConfigureAwait(false) : null)
            ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));
        var current = (rowKey is null ? null : await ledger.FindAsync(cycle.Id, rowKey, ct).ConfigureAwait(false))
            ?? throw new ProblemException(Problem.NotFound("There is no such ledger entry in this cycle (use the id the ledger lists)."));
        if (keyHash is not null && current.RetryKeyHash == keyHash) return new RetryOutcome(LedgerRow.Of(current), Replayed: true);
        switch (current.Status)
        {
            case LedgerStatus.Sent:
                throw new ProblemException(Problem.Conflict("already-sent", "This message was sent.", "A sent message is not sent again."));
            case LedgerStatus.Uncertain or LedgerStatus.Failed:
                break;
            default:
                throw new ProblemException(Problem.Conflict("not-retryable", "Only an uncertain or failed message can be retried.",
                    current.Status switch
                    {
                        LedgerStatus.Pending or LedgerStatus.Sending => "It is being sent, or the next sweep sends it.",
                        LedgerStatus.NotAccepted => "The next sweep tries it again by itself.",
                        _ => "It no longer applies (submitted, paused, a later stage or the contact removed).",
                    }));
        }

        var job = await sweep.JobForAsync(cycle, current, ct).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.Conflict("recipient-gone", "This message can no longer be sent.",
                "The signatory is inactive, or the contact or the version it was about no longer exists."));
        var now = time.GetUtcNow();
        var taken = await ledger.TryUpdateAsync(current with { Status = LedgerStatus.Pending, RetryKeyHash = keyHash, RetriedBy = coordinator.ObjectId, RetriedAt = now }, ct)
            .ConfigureAwait(false);
        if (taken is null)
        {
            // Someone else moved it meanwhile: the same request repeated (same key), or another retry.
            var after = await ledger.FindAsync(cycle.Id, current.RowKey, ct).ConfigureAwait(false);
            if (after is not null && keyHash is not null && after.RetryKeyHash == keyHash) return new RetryOutcome(LedgerRow.Of(after), Replayed: true);
            throw new ProblemException(Problem.Conflict("retry-in-progress", "Someone else is retrying this message.", "Reload the ledger to see its state."));
        }

        // The send is not the request's: a client that goes away must not turn it into "uncertain". Waiting for a
        // sending slot is bounded; a message that gets none stays pending and this answers 202.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(options.ImmediateSendWaitSeconds), time);
        await sender.SendAsync(job with { Entry = taken }, wait.Token, CancellationToken.None).ConfigureAwait(false);
        var final = await ledger.FindAsync(cycle.Id, current.RowKey, CancellationToken.None).ConfigureAwait(false) ?? taken;
        return new RetryOutcome(LedgerRow.Of(final), Replayed: false);
    }

    private static string? HashKey(string? key)
    {
        if (key is null) return null;
        if (key.Length is 0 or > 200) throw new ProblemException(new Problem(400, Problem.TypeBase + "idempotency-key", "Invalid Idempotency-Key.", "Use 1–200 characters, e.g. a UUID."));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
