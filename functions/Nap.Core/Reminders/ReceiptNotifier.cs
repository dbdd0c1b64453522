using Nap.Graph;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reminders;

/// <summary>
/// The receipt (version, time, SHA-256) to the signatory's primary and secondary contacts for every stored version.
/// The submission request only claims the receipts in the ledger (one table insert each) and starts the sending in
/// the background (<see cref="BackgroundSends"/>), so a slow or throttled Graph never holds up a submission. A receipt
/// that is not sent there (no slot in time, the process stopped) stays pending and the next sweep sends it.
/// </summary>
public sealed class ReceiptNotifier(
    ISignatoryRegistry registry,
    ReminderLedger ledger,
    BackgroundSends background,
    TimeProvider time) : ISubmissionReceivedNotifier
{
    public async Task SubmissionReceivedAsync(SubmissionReceipt receipt, CancellationToken cancellationToken = default)
    {
        var signatory = await registry.FindAsync(receipt.SignatoryId, cancellationToken).ConfigureAwait(false);
        if (signatory is null) return;
        var now = time.GetUtcNow();
        var jobs = new List<MailJob>();
        Exception? failure = null;
        foreach (var c in signatory.ContactsIn(ContactRole.Primary, ContactRole.Secondary))
        {
            try
            {
                var entry = await ledger.TryClaimAsync(new LedgerEntry(receipt.CycleId, signatory.Id, Stages.Receipt(receipt.Version),
                    ReminderLedger.RecipientHash(c.Email), c.Role.ToString().ToLowerInvariant(), LedgerStatus.Pending, 0, now, null, null, null), cancellationToken).ConfigureAwait(false);
                if (entry is null) continue;
                var contact = c;
                jobs.Add(new MailJob(entry, _ =>
                    Task.FromResult(ReminderMails.Receipt(receipt, signatory, contact).ToMail([new MailAddress(contact.Email, contact.Name)]))));
            }
            catch (Exception ex)
            {
                // Not claimed: the sweep's receipt catch-up claims and sends it. The other contact still gets theirs now.
                failure ??= ex;
            }
        }
        background.Start(jobs);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
