using System.Globalization;
using System.Net;
using System.Text;
using Nap.Api;
using Nap.Cycles;
using Nap.Graph;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reminders;

/// <summary>Content of one message before rendering: the same for the HTML and the plain-text version.</summary>
public sealed record MailDraft(
    string Language,
    string Subject,
    string Greeting,
    IReadOnlyList<string> Paragraphs,
    IReadOnlyList<(string Label, string Value)> Facts,
    (string Text, string Url)? Action,
    IReadOnlyList<string>? ListItems = null)
{
    public OutgoingMail ToMail(IReadOnlyList<MailAddress> to) => new(to, Subject, ReminderMails.Html(this), ReminderMails.Text(this), Language);
}

/// <summary>
/// The messages of the reporting cycle in Dutch and English: invitation, reminders, overdue notices, receipts, fresh
/// links and the coordinators' digest. Dates are Amsterdam time.
/// </summary>
public static class ReminderMails
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public static string Language(string? language) => language == "en" ? "en" : "nl";
    private static bool Nl(string language) => language == "nl";

    public static string FormatDeadline(DateTimeOffset deadlineUtc, string language)
    {
        var local = AmsterdamTime.ToLocal(deadlineUtc);
        return Nl(language)
            ? local.ToString("dddd d MMMM yyyy 'om' HH:mm", Dutch)
            : local.ToString("dddd d MMMM yyyy 'at' HH:mm", English) + " (Amsterdam time)";
    }

    private static string Greeting(Contact contact, string language) =>
        Nl(language) ? $"Beste {contact.Name}," : $"Dear {contact.Name},";

    private static string Report(string language, ReportingCycle cycle) =>
        Nl(language) ? $"de voortgangsrapportage NAP 1325-IV over {cycle.Id}" : $"the NAP 1325-IV progress report for {cycle.Id}";

    private static string NotYet(bool nl, Signatory signatory, bool revision) => revision
        ? (nl ? $" Wij hebben van {signatory.Name} nog geen nieuwe versie van de teruggestuurde rapportage ontvangen." : $" We have not yet received a new version of the returned report from {signatory.Name}.")
        : (nl ? $" Wij hebben van {signatory.Name} nog geen rapportage ontvangen." : $" We have not yet received a report from {signatory.Name}.");

    /// <param name="revision">The signatory's latest version was returned for revision: the mail asks for a new version.</param>
    public static MailDraft Stage(ReminderStage stage, ReportingCycle cycle, Signatory signatory, Contact contact, DateTimeOffset deadlineUtc, DateOnly today, string link,
        bool revision = false)
    {
        var lang = Language(signatory.Language);
        var nl = Nl(lang);
        var deadline = FormatDeadline(deadlineUtc, lang);
        var daysLeft = ReminderSchedule.LocalDate(deadlineUtc).DayNumber - today.DayNumber;
        var facts = new List<(string, string)>
        {
            (nl ? "Organisatie" : "Organisation", signatory.Name),
            (nl ? "Rapportageronde" : "Reporting cycle", cycle.Id),
            (nl ? "Deadline" : "Deadline", deadline),
            (nl ? "Dagen over" : "Days left", Math.Max(daysLeft, 0).ToString(CultureInfo.InvariantCulture)),
        };
        var action = (nl ? "Open uw rapportageformulier" : "Open your report form", link);
        string subject;
        var paragraphs = new List<string>();
        switch (stage.Kind)
        {
            case StageKind.Invitation:
                subject = nl ? $"Uitnodiging: voortgangsrapportage NAP 1325-IV over {cycle.Id}" : $"Invitation: NAP 1325-IV progress report for {cycle.Id}";
                paragraphs.Add(nl
                    ? $"De rapportageronde {cycle.Id} van het Nationaal Actieplan 1325-IV is geopend. Wij nodigen {signatory.Name} uit om vóór {deadline} te rapporteren over de bijdragen aan de doelen van het actieplan."
                    : $"The {cycle.Id} reporting cycle of the Dutch National Action Plan 1325-IV is open. We invite {signatory.Name} to report on its contributions to the plan's goals before {deadline}.");
                break;
            case StageKind.Reminder when daysLeft <= 0:
                subject = nl ? $"Vandaag: deadline voortgangsrapportage NAP 1325-IV over {cycle.Id}" : $"Due today: NAP 1325-IV progress report for {cycle.Id}";
                paragraphs.Add(nl
                    ? $"Vandaag is de deadline voor {Report(lang, cycle)}: {deadline}." + NotYet(true, signatory, revision)
                    : $"Today is the deadline for {Report(lang, cycle)}: {deadline}." + NotYet(false, signatory, revision));
                break;
            case StageKind.Reminder:
                subject = nl
                    ? $"Herinnering: voortgangsrapportage NAP 1325-IV over {cycle.Id} (nog {daysLeft} {(daysLeft == 1 ? "dag" : "dagen")})"
                    : $"Reminder: NAP 1325-IV progress report for {cycle.Id} ({daysLeft} {(daysLeft == 1 ? "day" : "days")} left)";
                paragraphs.Add(nl
                    ? $"Wij herinneren u eraan dat {Report(lang, cycle)} uiterlijk {deadline} verwacht wordt." + NotYet(true, signatory, revision)
                    : $"A reminder that {Report(lang, cycle)} is due by {deadline}." + NotYet(false, signatory, revision));
                break;
            default:
                var late = today.DayNumber - ReminderSchedule.LocalDate(deadlineUtc).DayNumber;
                subject = nl
                    ? $"Verlopen deadline: voortgangsrapportage NAP 1325-IV over {cycle.Id}"
                    : $"Overdue: NAP 1325-IV progress report for {cycle.Id}";
                paragraphs.Add(nl
                    ? $"De deadline voor {Report(lang, cycle)} was {deadline}, {late} {(late == 1 ? "dag" : "dagen")} geleden." + NotYet(true, signatory, revision)
                    : $"The deadline for {Report(lang, cycle)} was {deadline}, {late} {(late == 1 ? "day" : "days")} ago." + NotYet(false, signatory, revision));
                paragraphs.Add(cycle.AcceptLate
                    ? (nl ? "U kunt de rapportage nog steeds indienen; neem bij vragen contact op met de coördinatoren." : "You can still submit the report; please contact the coordinators with any questions.")
                    : (nl ? "De ronde neemt geen rapportages meer aan; neem contact op met de coördinatoren." : "The cycle no longer accepts reports; please contact the coordinators."));
                if (contact.Role == ContactRole.Director)
                    paragraphs.Add(nl ? "U ontvangt dit bericht als directeur van uw organisatie, ter informatie." : "You receive this message as your organisation's director, for your information.");
                break;
        }
        if (stage.Kind != StageKind.Overdue || cycle.AcceptLate)
            paragraphs.Add(nl
                ? "Met de knop hieronder opent u uw persoonlijke formulier. Deel deze link niet: hij geeft toegang tot de rapportage van uw organisatie."
                : "The button below opens your personal form. Do not share this link: it gives access to your organisation's report.");
        return new MailDraft(lang, subject, Greeting(contact, lang), paragraphs, facts, stage.Kind != StageKind.Overdue || cycle.AcceptLate ? action : null);
    }

    public static MailDraft Receipt(SubmissionReceipt receipt, Signatory signatory, Contact contact)
    {
        var lang = Language(signatory.Language);
        var nl = Nl(lang);
        return new MailDraft(lang,
            nl ? $"Ontvangstbevestiging: voortgangsrapportage NAP 1325-IV over {receipt.CycleId}, versie {receipt.Version}"
               : $"Receipt: NAP 1325-IV progress report for {receipt.CycleId}, version {receipt.Version}",
            Greeting(contact, lang),
            [nl ? $"Wij hebben de rapportage van {signatory.Name} ontvangen. Bewaar deze bevestiging: de SHA-256 identificeert precies de ingediende inhoud."
                : $"We have received the report of {signatory.Name}. Keep this receipt: the SHA-256 identifies exactly what was submitted.",
             receipt.Late
                 ? (nl ? "De rapportage kwam na de deadline binnen." : "The report arrived after the deadline.")
                 : (nl ? "De rapportage kwam op tijd binnen." : "The report arrived on time.")],
            [(nl ? "Organisatie" : "Organisation", signatory.Name),
             (nl ? "Rapportageronde" : "Reporting cycle", receipt.CycleId),
             (nl ? "Versie" : "Version", receipt.Version.ToString(CultureInfo.InvariantCulture)),
             (nl ? "Ontvangen" : "Received", AmsterdamTime.FormatForPeople(receipt.ReceivedAt, lang)),
             ("SHA-256", receipt.Sha256)],
            null);
    }

    public static MailDraft Link(ReportingCycle cycle, Signatory signatory, Contact contact, DateTimeOffset deadlineUtc, string link)
    {
        var lang = Language(signatory.Language);
        var nl = Nl(lang);
        return new MailDraft(lang,
            nl ? $"Uw persoonlijke link: voortgangsrapportage NAP 1325-IV over {cycle.Id}" : $"Your personal link: NAP 1325-IV progress report for {cycle.Id}",
            Greeting(contact, lang),
            [nl ? $"U vroeg om een nieuwe link naar het rapportageformulier van {signatory.Name}. Deel deze link niet. Heeft u deze link niet aangevraagd, dan kunt u dit bericht negeren."
                : $"You asked for a new link to the report form of {signatory.Name}. Do not share this link. If you did not ask for it, you can ignore this message."],
            [(nl ? "Organisatie" : "Organisation", signatory.Name),
             (nl ? "Rapportageronde" : "Reporting cycle", cycle.Id),
             (nl ? "Deadline" : "Deadline", FormatDeadline(deadlineUtc, lang))],
            (nl ? "Open uw rapportageformulier" : "Open your report form", link));
    }

    /// <summary>A send the coordinators must know about; identified by signatory id and role, never by address.</summary>
    public sealed record ProblemSend(string SignatoryId, string Role, string Stage, LedgerStatus Status, string? LastResult);

    public static MailDraft Digest(ReminderStage stage, ReportingCycle cycle, CycleStatusReport status, IReadOnlyList<CycleSignatorySettings> settings,
        IReadOnlyList<ProblemSend> problems, string statusUrl, string language)
    {
        var nl = Nl(language);
        var extended = settings.Where(s => s.ExtendedDeadline is not null).OrderBy(s => s.SignatoryId, StringComparer.Ordinal).ToList();
        var names = status.Signatories.ToDictionary(s => s.SignatoryId, s => s.Name);
        string Name(string id) => names.GetValueOrDefault(id, id);
        var stageName = stage.Kind switch
        {
            StageKind.Invitation => nl ? "opening" : "opening",
            StageKind.Reminder => nl ? $"{stage.Days} dagen voor de deadline" : $"{stage.Days} days before the deadline",
            _ => nl ? $"{stage.Days} dagen na de deadline" : $"{stage.Days} days after the deadline",
        };
        var facts = new List<(string, string)>
        {
            (nl ? "Verwacht" : "Expected", status.Expected.ToString(CultureInfo.InvariantCulture)),
            (nl ? "Ingediend" : "Submitted", status.Submitted.ToString(CultureInfo.InvariantCulture)),
            (nl ? "Ontbreekt" : "Missing", status.Missing.ToString(CultureInfo.InvariantCulture)),
            (nl ? "Te laat ingediend" : "Submitted late", status.Late.ToString(CultureInfo.InvariantCulture)),
            (nl ? "Volledigheid" : "Completion", status.CompletionPercent.ToString("0.0", CultureInfo.InvariantCulture) + " %"),
        };
        // Once coordinators review, the digest counts signatories per review state (ids and counts only, never reasons).
        if (status.ByReviewState.Any(r => r.Key != Reviews.ReviewState.Submitted && r.Value > 0))
            facts.Add((nl ? "Beoordeling" : "Review", string.Join(", ", status.ByReviewState.Select(r => $"{Reviews.ReviewStateMachine.Name(r.Key)} {r.Value.ToString(CultureInfo.InvariantCulture)}"))));
        facts.AddRange(status.ByKind.Select(k => ($"{(nl ? "Volledigheid" : "Completion")}: {k.Kind}", $"{k.Submitted}/{k.Expected} ({k.Percent.ToString("0.0", CultureInfo.InvariantCulture)} %)")));
        var items = new List<string>();
        items.AddRange(status.Signatories.Where(s => !s.Submitted).Select(s => $"{(nl ? "Ontbreekt" : "Missing")}: {s.Name}{(s.Overdue ? (nl ? " (deadline verlopen)" : " (overdue)") : "")}"));
        items.AddRange(status.Signatories.Where(s => s.Late).Select(s => $"{(nl ? "Te laat" : "Late")}: {s.Name}"));
        items.AddRange(status.Signatories.Where(s => s.RemindersPaused).Select(s => $"{(nl ? "Herinneringen gepauzeerd" : "Reminders paused")}: {s.Name}"));
        items.AddRange(extended.Select(s => $"{(nl ? "Uitstel tot" : "Extended to")} {AmsterdamTime.FormatForPeople(s.ExtendedDeadline!.Value, language)}: {Name(s.SignatoryId)}"));
        items.AddRange(problems.Select(p => $"{(p.Status == LedgerStatus.Uncertain ? (nl ? "Onzeker of verzonden" : "Uncertain whether sent") : (nl ? "Niet verzonden" : "Not sent"))}: {Name(p.SignatoryId)} ({p.Role}, {p.Stage}, {p.LastResult ?? "-"})"));
        return new MailDraft(language,
            nl ? $"Overzicht NAP 1325-IV {cycle.Id}: {status.Submitted} van {status.Expected} ingediend ({stageName})"
               : $"NAP 1325-IV {cycle.Id} digest: {status.Submitted} of {status.Expected} submitted ({stageName})",
            nl ? "Beste coördinator," : "Dear coordinator,",
            [nl ? $"Stand van de rapportageronde {cycle.Id} (deadline {FormatDeadline(cycle.DeadlineUtc, language)})."
                : $"Where the {cycle.Id} reporting cycle stands (deadline {FormatDeadline(cycle.DeadlineUtc, language)}).",
             problems.Count == 0
                 ? (nl ? "Alle berichten zijn verzonden." : "Every message was sent.")
                 : (nl ? $"{problems.Count} bericht(en) zijn niet of mogelijk niet verzonden; onzekere berichten worden niet automatisch opnieuw verstuurd."
                       : $"{problems.Count} message(s) were not sent or may not have been sent; uncertain ones are not sent again automatically.")],
            facts,
            (nl ? "Actuele status (aanmelden met uw organisatieaccount)" : "Current status (sign in with your organisation account)", statusUrl),
            items);
    }

    public static string Html(MailDraft d)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var b = new StringBuilder();
        b.Append("<!DOCTYPE html><html lang=\"").Append(d.Language).Append("\"><head><meta charset=\"utf-8\"><title>").Append(E(d.Subject)).Append("</title></head>")
            .Append("<body style=\"font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a\">");
        b.Append("<p>").Append(E(d.Greeting)).Append("</p>");
        foreach (var p in d.Paragraphs) b.Append("<p>").Append(E(p)).Append("</p>");
        if (d.Facts.Count > 0)
        {
            b.Append("<table role=\"presentation\" style=\"border-collapse:collapse\">");
            foreach (var (label, value) in d.Facts)
                b.Append("<tr><th scope=\"row\" style=\"text-align:left;padding:2px 12px 2px 0\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
            b.Append("</table>");
        }
        if (d.ListItems is { Count: > 0 } items)
        {
            b.Append("<ul>");
            foreach (var i in items) b.Append("<li>").Append(E(i)).Append("</li>");
            b.Append("</ul>");
        }
        if (d.Action is { } a)
            b.Append("<p><a href=\"").Append(E(a.Url)).Append("\" style=\"display:inline-block;padding:10px 16px;background:#01689b;color:#ffffff;text-decoration:none\">")
                .Append(E(a.Text)).Append("</a></p>");
        b.Append("<p style=\"color:#555\">").Append(E(Footer(d.Language))).Append("</p></body></html>");
        return b.ToString();
    }

    public static string Text(MailDraft d)
    {
        var b = new StringBuilder();
        b.Append(d.Greeting).Append("\n\n");
        foreach (var p in d.Paragraphs) b.Append(p).Append("\n\n");
        foreach (var (label, value) in d.Facts) b.Append(label).Append(": ").Append(value).Append('\n');
        if (d.Facts.Count > 0) b.Append('\n');
        if (d.ListItems is { Count: > 0 } items)
        {
            foreach (var i in items) b.Append("- ").Append(i).Append('\n');
            b.Append('\n');
        }
        if (d.Action is { } a) b.Append(a.Text).Append(":\n").Append(a.Url).Append("\n\n");
        b.Append(Footer(d.Language)).Append('\n');
        return b.ToString();
    }

    private static string Footer(string language) => Nl(language)
        ? "Dit bericht is automatisch verstuurd namens de coördinatoren van NAP 1325-IV (Ministerie van Buitenlandse Zaken en WO=MEN)."
        : "This message was sent automatically on behalf of the NAP 1325-IV coordinators (Ministry of Foreign Affairs and WO=MEN).";
}
