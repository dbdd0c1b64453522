using Nap.Graph;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reminders;

/// <summary>
/// Sends the receipt (version, time, SHA-256) to the signatory's primary and secondary contacts right after a version
/// is stored. Claimed in the ledger like every other message, so it goes out once; if no sending slot frees up in
/// time, it stays pending and the next sweep sends it.
/// </summary>
public sealed class ReceiptNotifier(
    ISignatoryRegistry registry,
    ReminderLedger ledger,
    ReminderSender sender,
    RemindersOptions options,
    TimeProvider time) : ISubmissionReceivedNotifier
{
    public async Task SubmissionReceivedAsync(SubmissionReceipt receipt, CancellationToken cancellationToken = default)
    {
        var signatory = await registry.FindAsync(receipt.SignatoryId, cancellationToken).ConfigureAwait(false);
        if (signatory is null) return;
        var now = time.GetUtcNow();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(options.ImmediateSendWaitSeconds), time);
        var sends = new List<Task>();
        foreach (var c in signatory.ContactsIn(ContactRole.Primary, ContactRole.Secondary))
        {
            var entry = await ledger.TryClaimAsync(new LedgerEntry(receipt.CycleId, signatory.Id, Stages.Receipt(receipt.Version),
                ReminderLedger.RecipientHash(c.Email), c.Role.ToString().ToLowerInvariant(), LedgerStatus.Pending, 0, now, null, null, null), cancellationToken).ConfigureAwait(false);
            if (entry is null) continue;
            var contact = c;
            sends.Add(sender.SendAsync(new MailJob(entry, _ =>
                Task.FromResult(ReminderMails.Receipt(receipt, signatory, contact).ToMail([new MailAddress(contact.Email, contact.Name)]))), wait.Token, cancellationToken));
        }
        await Task.WhenAll(sends).ConfigureAwait(false);
    }
}
