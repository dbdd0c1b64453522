using System.Globalization;
using Nap.Api;
using Nap.Cycles;

namespace Nap.Reminders;

public enum StageKind { Invitation, Reminder, Overdue }

/// <summary>
/// One step of a cycle's mail schedule for one deadline, on an Amsterdam calendar day. Reminder and overdue stage
/// ids carry the deadline's date, so an extension starts a fresh series that follows the new deadline.
/// </summary>
public sealed record ReminderStage(StageKind Kind, int Days, DateOnly Date, DateOnly DeadlineDate)
{
    public string Id => Kind switch
    {
        StageKind.Invitation => "invitation",
        StageKind.Reminder => $"reminder-{Days}d-{DeadlineDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}",
        _ => $"overdue-{Days}d-{DeadlineDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}",
    };
}

/// <summary>Which stage is due on a day. Pure date arithmetic in Europe/Amsterdam: correct across daylight-saving changes.</summary>
public static class ReminderSchedule
{
    /// <summary>Every stage of a cycle for one deadline, in the order they are meant to be sent.</summary>
    public static IReadOnlyList<ReminderStage> Stages(ReportingCycle cycle, DateOnly deadlineDate)
    {
        var stages = new List<ReminderStage> { new(StageKind.Invitation, 0, cycle.OpensOn, deadlineDate) };
        stages.AddRange(cycle.ReminderOffsetsDays.Distinct().OrderByDescending(d => d)
            .Select(d => new ReminderStage(StageKind.Reminder, d, deadlineDate.AddDays(-d), deadlineDate)));
        stages.AddRange(cycle.OverdueOffsetsDays.Distinct().Order()
            .Select(d => new ReminderStage(StageKind.Overdue, d, deadlineDate.AddDays(d), deadlineDate)));
        return stages;
    }

    /// <summary>
    /// The most recent stage due on <paramref name="today"/>, or null before the cycle opens. Only the most recent
    /// one: a run that was missed for days sends one message, not a burst. Stages dated before the opening are
    /// folded into the invitation (the invitation wins a tie).
    /// </summary>
    public static ReminderStage? MostRecentDue(ReportingCycle cycle, DateOnly deadlineDate, DateOnly today)
    {
        if (today < cycle.OpensOn) return null;
        ReminderStage? due = null;
        foreach (var stage in Stages(cycle, deadlineDate))
            if (stage.Date <= today && (due is null || stage.Date > due.Date)) due = stage;
        return due;
    }

    public static bool IsScheduleStageId(string stageId) =>
        stageId == "invitation" || stageId.StartsWith("reminder-", StringComparison.Ordinal) || stageId.StartsWith("overdue-", StringComparison.Ordinal);

    public static DateOnly LocalDate(DateTimeOffset utc) => DateOnly.FromDateTime(AmsterdamTime.ToLocal(utc).DateTime);
}
