using System.Globalization;
using Nap.Api;
using Nap.Cycles;
using Nap.Graph;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reviews;

/// <summary>
/// The return email to the signatory's primary and secondary contacts: what was returned, why, by when, and their
/// personal link. Claimed in the reminder ledger under <c>review-return-{n}</c> (n = the judgement's number), so each
/// return is sent at most once per contact; the claim and the send run in the background, as receipts do. A return
/// claimed but left open by that send (no slot, the process stopped, Graph proved it did not take it) is sent by the
/// next sweep (<see cref="ILeftoverMail"/>), as long as that return is still the signatory's state; one that may have
/// gone out (uncertain) is never sent again, as for every other message.
/// </summary>
public sealed class ReviewReturnMailer(
    ISignatoryRegistry registry,
    ICycleStore cycles,
    ReminderLedger ledger,
    BackgroundSends background,
    ReminderLinks links,
    IReviewStore reviews,
    ISubmissionIndex index,
    TimeProvider time) : IReviewReturnNotifier, ILeftoverMail
{
    private const string StagePrefix = "review-return-";

    public static string Stage(int sequence) => StagePrefix + sequence.ToString(CultureInfo.InvariantCulture);

    public static int? Sequence(string stage) =>
        stage.StartsWith(StagePrefix, StringComparison.Ordinal) && int.TryParse(stage.AsSpan(StagePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The sweep's retry of an open return email: only while that return is the last judgement and nothing newer was sent.</summary>
    public async Task<MailJob?> JobAsync(ReportingCycle cycle, LedgerEntry entry, Signatory signatory, Contact contact, CancellationToken cancellationToken = default)
    {
        if (Sequence(entry.Stage) is not { } sequence) return null;
        var stored = await reviews.FindAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Reviews != sequence || stored.State != ReviewState.Returned) return null;
        var latest = await index.GetLatestAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        if (latest is null || latest.Version.Receipt.Version != stored.Version) return null;
        var judged = (await reviews.HistoryAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Sequence == sequence);
        if (judged is null) return null;
        var settings = await cycles.FindSettingsAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        return Job(entry, cycle, signatory, contact, judged, cycle.DeadlineFor(settings));
    }

    private MailJob Job(LedgerEntry claimed, ReportingCycle cycle, Signatory signatory, Contact contact, ReviewEntry entry, DateTimeOffset deadline) =>
        // The link is minted when the mail is sent: it names its contact and lives until the (revision) deadline.
        new(claimed, async token =>
            Returned(cycle, signatory, contact, entry, deadline, await links.FormLinkAsync(signatory, contact, cycle, deadline, token).ConfigureAwait(false))
                .ToMail([new MailAddress(contact.Email, contact.Name)]));

    public Task ReturnedAsync(ReportingCycle cycle, string signatoryId, ReviewEntry entry, CancellationToken cancellationToken = default)
    {
        background.Start(token => ClaimAsync(cycle, signatoryId, entry, token));
        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<MailJob>> ClaimAsync(ReportingCycle cycle, string signatoryId, ReviewEntry entry, CancellationToken ct)
    {
        var signatory = await registry.FindAsync(signatoryId, ct).ConfigureAwait(false);
        if (signatory is null) return [];
        var settings = await cycles.FindSettingsAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var jobs = new List<MailJob>();
        foreach (var c in signatory.ContactsIn(ContactRole.Primary, ContactRole.Secondary))
        {
            var claimed = await ledger.TryClaimAsync(new LedgerEntry(cycle.Id, signatory.Id, Stage(entry.Sequence), ReminderLedger.RecipientHash(c.Email),
                c.Role.ToString().ToLowerInvariant(), LedgerStatus.Pending, 0, now, null, null, null), ct).ConfigureAwait(false);
            if (claimed is null) continue;
            jobs.Add(Job(claimed, cycle, signatory, c, entry, cycle.DeadlineFor(settings)));
        }
        return jobs;
    }

    /// <summary>Only what the signatory may read: the reason and the number of comments meant for them, never internal ones.</summary>
    public static MailDraft Returned(ReportingCycle cycle, Signatory signatory, Contact contact, ReviewEntry entry, DateTimeOffset deadlineUtc, string link)
    {
        var lang = ReminderMails.Language(signatory.Language);
        var nl = lang == "nl";
        var visible = entry.Comments.Count(c => c.Visibility == CommentVisibility.Signatory);
        var by = entry.RevisionDeadline is { } d ? AmsterdamTime.FormatForPeople(d, lang) : ReminderMails.FormatDeadline(deadlineUtc, lang);
        return new MailDraft(lang,
            nl ? $"Teruggestuurd voor aanpassing: voortgangsrapportage NAP 1325-IV over {cycle.Id}, versie {entry.Version}"
               : $"Returned for revision: NAP 1325-IV progress report for {cycle.Id}, version {entry.Version}",
            nl ? $"Beste {contact.Name}," : $"Dear {contact.Name},",
            [nl ? $"De coördinatoren hebben versie {entry.Version} van de rapportage van {signatory.Name} teruggestuurd. Pas de rapportage aan en dien een nieuwe versie in."
                : $"The coordinators have returned version {entry.Version} of the report of {signatory.Name}. Please revise it and submit a new version.",
             (nl ? "Reden: " : "Reason: ") + entry.Reason,
             visible == 0 ? (nl ? "Er zijn geen opmerkingen bij onderdelen." : "There are no comments on parts of the report.")
                 : nl ? $"In het formulier staan {visible} opmerking(en) bij de onderdelen waar ze over gaan."
                      : $"The form shows {visible} comment(s) at the parts they are about."],
            [(nl ? "Organisatie" : "Organisation", signatory.Name),
             (nl ? "Rapportageronde" : "Reporting cycle", cycle.Id),
             (nl ? "Versie" : "Version", entry.Version.ToString(CultureInfo.InvariantCulture)),
             (nl ? "Nieuwe versie graag vóór" : "Please submit a new version by", by)],
            (nl ? "Open uw rapportageformulier" : "Open your report form", link));
    }
}
