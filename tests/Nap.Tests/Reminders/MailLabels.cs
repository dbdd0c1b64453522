using System.Text.RegularExpressions;
using Nap.Graph;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>Names a sent message "who/role/what" from what the recipient sees (address, subject, text), for exact per-day assertions.</summary>
public static partial class MailLabels
{
    public static string Label(OutgoingMail mail, IReadOnlyList<Signatory> signatories)
    {
        var to = Assert.Single(mail.To).Email;
        var who = ReminderWorld.Coordinators.Contains(to)
            ? $"coordinator{Array.IndexOf(ReminderWorld.Coordinators, to) + 1}"
            : signatories.SelectMany(s => s.Contacts.Where(c => c.Email == to).Select(c => $"{s.Id}/{c.Role.ToString().ToLowerInvariant()}")).Single();
        return $"{who}/{Kind(mail)}";
    }

    public static string Kind(OutgoingMail mail)
    {
        var s = mail.Subject;
        if (s.StartsWith("Uitnodiging", StringComparison.Ordinal) || s.StartsWith("Invitation", StringComparison.Ordinal)) return "invitation";
        if (s.StartsWith("Vandaag", StringComparison.Ordinal) || s.StartsWith("Due today", StringComparison.Ordinal)) return "due-today";
        if (s.StartsWith("Herinnering", StringComparison.Ordinal) || s.StartsWith("Reminder", StringComparison.Ordinal))
            return $"reminder({DaysLeft().Match(s).Groups[1].Value})";
        if (s.StartsWith("Verlopen", StringComparison.Ordinal) || s.StartsWith("Overdue", StringComparison.Ordinal))
            return $"overdue({DaysAgo().Match(mail.Text).Groups[1].Value})";
        if (s.StartsWith("Ontvangstbevestiging", StringComparison.Ordinal) || s.StartsWith("Receipt", StringComparison.Ordinal))
            return $"receipt(v{Version().Match(s).Groups[1].Value})";
        if (s.StartsWith("Overzicht", StringComparison.Ordinal) || s.Contains("digest", StringComparison.Ordinal)) return "digest";
        if (s.StartsWith("Uw persoonlijke link", StringComparison.Ordinal) || s.StartsWith("Your personal link", StringComparison.Ordinal)) return "link";
        return "unknown:" + s;
    }

    [GeneratedRegex(@"\((?:nog )?(\d+) (?:dag|dagen|day|days)")]
    private static partial Regex DaysLeft();

    [GeneratedRegex(@"(\d+) (?:dag|dagen|day|days) (?:geleden|ago)")]
    private static partial Regex DaysAgo();

    [GeneratedRegex(@"(?:versie|version) (\d+)")]
    private static partial Regex Version();
}
