using Nap.Graph;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reminders;

/// <summary>
/// The receipt (version, time, SHA-256) to the signatory's primary and secondary contacts for every stored version.
/// The submission request only hands the receipt to <see cref="BackgroundSends"/>, which claims it in the ledger (one
/// table insert per contact) and sends it, so neither the claims nor a slow or throttled Graph hold up a submission.
/// A receipt not claimed or not sent there (no slot in time, the process stopped, storage failed) is claimed or sent by
/// the next sweep's receipt catch-up.
/// </summary>
public sealed class ReceiptNotifier(
    ISignatoryRegistry registry,
    ReminderLedger ledger,
    BackgroundSends background,
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
        var claims = signatory.ContactsIn(ContactRole.Primary, ContactRole.Secondary).Select(async c =>
        {
            var entry = await ledger.TryClaimAsync(new LedgerEntry(receipt.CycleId, signatory.Id, Stages.Receipt(receipt.Version),
                ReminderLedger.RecipientHash(c.Email), c.Role.ToString().ToLowerInvariant(), LedgerStatus.Pending, 0, now, null, null, null), cancellationToken).ConfigureAwait(false);
            return entry is null ? null : new MailJob(entry, _ =>
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
        return claims.Where(t => t.IsCompletedSuccessfully && t.Result is not null).Select(t => t.Result!).ToList();
    }
}
