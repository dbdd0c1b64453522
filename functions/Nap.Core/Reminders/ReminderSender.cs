using Microsoft.Extensions.Logging;
using Nap.Graph;

namespace Nap.Reminders;

/// <summary>One claimed ledger entry and how to write its message (composed just before sending: fresh token, today's numbers).</summary>
public sealed record MailJob(LedgerEntry Entry, Func<CancellationToken, Task<OutgoingMail>> Compose);

public enum JobOutcome { Sent, NotAccepted, Failed, Uncertain, LeftPending, Skipped }

/// <summary>
/// Sends one claimed message at most once: waits for a pacing slot, takes the entry from pending to sending with its
/// ETag (another run that got there first wins, this one skips), sends, and records what Graph answered.
/// A crash after "sending" leaves the entry for the next sweep to record as uncertain, never to repeat.
/// </summary>
public sealed partial class ReminderSender(
    ReminderLedger ledger,
    IMailSender mail,
    MailPacer pacer,
    RemindersOptions options,
    TimeProvider time,
    ILogger<ReminderSender> logger)
{
    /// <param name="waitToken">Ends the wait for a slot (time budget); the entry then stays pending.</param>
    /// <param name="sendToken">Host shutdown: cancels a send in flight (recorded as uncertain).</param>
    public async Task<JobOutcome> SendAsync(MailJob job, CancellationToken waitToken, CancellationToken sendToken)
    {
        var e = job.Entry;
        using var slot = await pacer.AcquireAsync(waitToken).ConfigureAwait(false);
        if (slot is null) return JobOutcome.LeftPending;

        OutgoingMail message;
        try
        {
            message = await job.Compose(sendToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            slot.Unused();
            LogComposeFailed(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage, ex.GetType().Name);
            return JobOutcome.Skipped;
        }

        var taken = await ledger.TryUpdateAsync(e with { Status = LedgerStatus.Sending, Attempts = e.Attempts + 1, LastAttemptAt = time.GetUtcNow() }, sendToken)
            .ConfigureAwait(false);
        if (taken is null)
        {
            slot.Unused();
            return JobOutcome.Skipped;
        }

        var result = await mail.SendAsync(message, sendToken).ConfigureAwait(false);
        var (status, outcome) = result.Outcome switch
        {
            MailSendOutcome.Sent => (LedgerStatus.Sent, JobOutcome.Sent),
            MailSendOutcome.NotAccepted when taken.Attempts >= options.MaxSendAttempts => (LedgerStatus.Failed, JobOutcome.Failed),
            MailSendOutcome.NotAccepted => (LedgerStatus.NotAccepted, JobOutcome.NotAccepted),
            _ => (LedgerStatus.Uncertain, JobOutcome.Uncertain),
        };
        var done = taken with
        {
            Status = status,
            SentAt = status == LedgerStatus.Sent ? time.GetUtcNow() : null,
            LastResult = result.Reason,
        };
        // Not cancellable: what happened must be written down even while the host stops.
        if (await ledger.TryUpdateAsync(done, CancellationToken.None).ConfigureAwait(false) is null)
            LogRecordLost(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage);

        switch (outcome)
        {
            case JobOutcome.Sent:
                LogSent(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage);
                break;
            case JobOutcome.NotAccepted:
                LogSendFailed(logger, LogLevel.Warning, e.CycleId, e.SignatoryId, e.Role, e.Stage, result.Reason ?? "", taken.Attempts, options.MaxSendAttempts, false);
                break;
            case JobOutcome.Failed:
                LogSendFailed(logger, LogLevel.Error, e.CycleId, e.SignatoryId, e.Role, e.Stage, result.Reason ?? "", taken.Attempts, options.MaxSendAttempts, true);
                break;
            default:
                LogUncertain(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage, result.Reason ?? "");
                break;
        }
        return outcome;
    }

    /// <summary>Records an entry found still "sending" long after its attempt: the message may be out, so it is never repeated.</summary>
    public async Task<bool> MarkStaleAsync(LedgerEntry e, CancellationToken cancellationToken)
    {
        var marked = await ledger.TryUpdateAsync(e with { Status = LedgerStatus.Uncertain, LastResult = "Interrupted" }, cancellationToken).ConfigureAwait(false);
        if (marked is not null) LogUncertain(logger, e.CycleId, e.SignatoryId, e.Role, e.Stage, "Interrupted");
        return marked is not null;
    }

    [LoggerMessage(EventId = 4101, EventName = "ReminderSent", Level = LogLevel.Information,
        Message = "ReminderSent: cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage}")]
    private static partial void LogSent(ILogger logger, string cycleId, string signatoryId, string role, string stage);

    /// <summary>One event name for infra alerts; <paramref name="final"/> says whether it is given up (Error) or tried again next run (Warning).</summary>
    [LoggerMessage(EventId = 4102, EventName = "ReminderSendFailed",
        Message = "ReminderSendFailed: cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage} not accepted ({Result}), attempt {Attempt} of {MaxAttempts}, given up: {Final}")]
    private static partial void LogSendFailed(ILogger logger, LogLevel level, string cycleId, string signatoryId, string role, string stage, string result, int attempt, int maxAttempts, bool final);

    [LoggerMessage(EventId = 4104, EventName = "ReminderSendUncertain", Level = LogLevel.Error,
        Message = "ReminderSendUncertain: cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage} may have been sent ({Result}); not repeated, listed in the digest")]
    private static partial void LogUncertain(ILogger logger, string cycleId, string signatoryId, string role, string stage, string result);

    [LoggerMessage(EventId = 4105, EventName = "ReminderComposeFailed", Level = LogLevel.Error,
        Message = "Composing the message for cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage} failed with {ExceptionType}; left pending")]
    private static partial void LogComposeFailed(ILogger logger, string cycleId, string signatoryId, string role, string stage, string exceptionType);

    [LoggerMessage(EventId = 4106, EventName = "ReminderRecordLost", Level = LogLevel.Error,
        Message = "The outcome of cycle {CycleId}, signatory {SignatoryId}, role {Role}, stage {Stage} could not be recorded; the next sweep records it as uncertain")]
    private static partial void LogRecordLost(ILogger logger, string cycleId, string signatoryId, string role, string stage);
}
