using Nap.Graph;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reminders;

/// <summary>
/// The receipt (version, time, SHA-256) to the signatory's primary and secondary contacts, at most one per contact per
/// <c>Reminders:ReceiptWindowMinutes</c>: the first version of a burst is receipted at once; a later one within the
/// window is claimed as due at the window's end and replaces (supersedes) any receipt still waiting there, so the mail
/// at the window's end names the latest version and no version is left without a receipt that covers it.
/// The submission request only hands the receipt to <see cref="BackgroundSends"/>, which claims it in the ledger (one
/// table insert per contact) and sends it, so neither the claims nor a slow or throttled Graph hold up a submission.
/// A receipt not claimed or not sent there (no slot in time, the process stopped, storage failed) is claimed or sent by
/// the next sweep's receipt catch-up.
/// </summary>
public sealed class ReceiptNotifier(
    ISignatoryRegistry registry,
    ReminderLedger ledger,
    BackgroundSends background,
    RemindersOptions options,
    TimeProvider time) : ISubmissionReceivedNotifier
{
    public Task SubmissionReceivedAsync(SubmissionReceipt receipt, CancellationToken cancellationToken = default)
    {
        background.Start(token => ClaimAsync(receipt, token));
        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<MailJob>> ClaimAsync(SubmissionReceipt receipt, CancellationToken cancellationToken)
    {
        var signatory = await registry.FindAsync(receipt.SignatoryId, cancellationToken).ConfigureAwait(false);
        if (signatory is null) return [];
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(options.ReceiptWindowMinutes);
        var earlier = window > TimeSpan.Zero
            ? await ledger.ListReceiptsAsync(receipt.CycleId, signatory.Id, cancellationToken).ConfigureAwait(false)
            : [];
        var claims = signatory.ContactsIn(ContactRole.Primary, ContactRole.Secondary).Select(async c =>
        {
            var hash = ReminderLedger.RecipientHash(c.Email);
            var (due, replaces) = Due(earlier.Where(e => e.RecipientHash == hash), now, window);
            // ClaimedAt of a receipt is when it is due: the sweep leaves it alone until then.
            var entry = await ledger.TryClaimAsync(new LedgerEntry(receipt.CycleId, signatory.Id, Stages.Receipt(receipt.Version),
                hash, c.Role.ToString().ToLowerInvariant(), LedgerStatus.Pending, 0, due, null, null, null), cancellationToken).ConfigureAwait(false);
            if (entry is null) return null;
            if (replaces is not null && await ledger.TryUpdateAsync(replaces with { Status = LedgerStatus.Superseded }, cancellationToken).ConfigureAwait(false) is null)
            {
                // The waiting one is being sent right now: this one waits for the next window instead.
                entry = await ledger.TryUpdateAsync(entry with { ClaimedAt = due + window }, cancellationToken).ConfigureAwait(false);
                if (entry is null) return null;
            }
            return new MailJob(entry, _ =>
                Task.FromResult(ReminderMails.Receipt(receipt, signatory, c).ToMail([new MailAddress(c.Email, c.Name)])));
        }).ToList();
        try
        {
            await Task.WhenAll(claims).ConfigureAwait(false);
        }
        catch (Exception) when (claims.Any(t => t.IsCompletedSuccessfully))
        {
            // One contact's claim failed: the others still get theirs now; the sweep's catch-up claims the rest.
        }
        var jobs = claims.Where(t => t.IsCompletedSuccessfully && t.Result is not null).Select(t => t.Result!).ToList();
        foreach (var later in jobs.Where(j => j.Entry.ClaimedAt > now).GroupBy(j => j.Entry.ClaimedAt))
            background.StartAt(later.Key, later.ToList());
        return jobs.Where(j => j.Entry.ClaimedAt <= now).ToList();
    }

    /// <summary>
    /// When a new receipt to one contact is due, given that contact's earlier receipt entries: with the one still
    /// waiting for its window's end (which it replaces), else a window after the last one sent or claimed, else now.
    /// </summary>
    internal static (DateTimeOffset Due, LedgerEntry? Replaces) Due(IEnumerable<LedgerEntry> earlier, DateTimeOffset now, TimeSpan window)
    {
        var live = earlier.Where(e => e.Status != LedgerStatus.Superseded).ToList();
        if (live.Where(e => e.Status == LedgerStatus.Pending && e.ClaimedAt > now).MaxBy(e => e.ClaimedAt) is { } waiting)
            return (waiting.ClaimedAt, waiting);
        var last = live.Select(e => Max(e.ClaimedAt, e.SentAt ?? e.LastAttemptAt ?? e.ClaimedAt)).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        return (last > now - window ? last + window : now, null);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
