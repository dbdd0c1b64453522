using System.Globalization;
using System.Text.RegularExpressions;
using Nap.Api;

namespace Nap.Cycles;

public enum CycleStatus { Open, Closed, Compiled }

/// <summary>
/// Which version of each signatory the cycle's final report uses (cycle setting <c>reportVersions</c>): the latest
/// accepted one (the default; a signatory without one is left out and listed), or simply the latest one. Drafts always
/// use the latest versions.
/// </summary>
public enum ReportVersionPolicy { Accepted, Latest }

/// <summary>
/// One reporting round. Its id is the year reported on (<c>2021</c>) or a span (<c>2022-2023</c>). The deadline is
/// Dutch wall-clock time; reminder offsets are days before it, overdue offsets days after it.
/// </summary>
public sealed partial record ReportingCycle(
    string Id,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateOnly OpensOn,
    DateTime Deadline,
    IReadOnlyList<int> ReminderOffsetsDays,
    IReadOnlyList<int> OverdueOffsetsDays,
    bool AcceptLate,
    CycleStatus Status,
    ReportVersionPolicy ReportVersions = ReportVersionPolicy.Accepted)
{
    public static readonly IReadOnlyList<int> DefaultReminderOffsets = [28, 14, 7, 3, 1, 0];
    public static readonly IReadOnlyList<int> DefaultOverdueOffsets = [3, 7];

    [GeneratedRegex(@"^(?<from>\d{4})(-(?<to>\d{4}))?$")]
    private static partial Regex IdPattern();

    public DateTimeOffset DeadlineUtc => AmsterdamTime.ToUtc(Deadline);

    /// <summary>The deadline that applies to one signatory: its extension if it has one.</summary>
    public DateTimeOffset DeadlineFor(CycleSignatorySettings? settings) =>
        settings?.ExtendedDeadline is { } extended ? AmsterdamTime.ToUtc(extended) : DeadlineUtc;

    public bool HasOpened(TimeProvider time) => AmsterdamTime.Today(time) >= OpensOn;

    public static bool IsValidId(string? id)
    {
        if (id is null) return false;
        var m = IdPattern().Match(id);
        if (!m.Success) return false;
        if (!m.Groups["to"].Success) return true;
        return int.Parse(m.Groups["to"].Value, CultureInfo.InvariantCulture) > int.Parse(m.Groups["from"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Every rule a cycle must meet; empty when it is fine.</summary>
    public IReadOnlyList<string> Problems() => [.. FieldProblems().Select(p => p.Detail).Distinct()];

    /// <summary>The same rules, each located by a JSON pointer into the cycle's wire form (<see cref="CycleFile"/>).</summary>
    public IReadOnlyList<FieldError> FieldProblems()
    {
        var p = new List<FieldError>();
        if (!IsValidId(Id)) p.Add(new("/id", "invalid-id", $"cycle id '{Id}' must be a year (2021) or a span of years (2022-2023)"));
        if (PeriodEnd < PeriodStart) p.Add(new("/periodEnd", "out-of-range", $"cycle {Id}: the period ends before it starts"));
        if (DateOnly.FromDateTime(Deadline) < OpensOn) p.Add(new("/deadline", "out-of-range", $"cycle {Id}: the deadline is before the opening date"));
        for (var i = 0; i < ReminderOffsetsDays.Count; i++)
            if (ReminderOffsetsDays[i] is < 0 or > 120) p.Add(new($"/reminderOffsetsDays/{i}", "out-of-range", $"cycle {Id}: reminder offsets must be 0–120 days before the deadline") { Max = 120 });
        for (var i = 0; i < OverdueOffsetsDays.Count; i++)
            if (OverdueOffsetsDays[i] is < 1 or > 120) p.Add(new($"/overdueOffsetsDays/{i}", "out-of-range", $"cycle {Id}: overdue offsets must be 1–120 days after the deadline") { Max = 120 });
        return p;
    }
}

/// <summary>What coordinators decided for one signatory in one cycle: an extension, paused reminders; who and when.</summary>
public sealed record CycleSignatorySettings(
    string CycleId,
    string SignatoryId,
    DateTime? ExtendedDeadline,
    bool RemindersPaused,
    string ChangedBy,
    DateTimeOffset ChangedAt);
