using Microsoft.Extensions.Time.Testing;
using Nap.Api;
using Nap.Cycles;
using Nap.Reminders;

namespace Nap.Tests.Reminders;

/// <summary>Which stage is due on an Amsterdam day, including runs near midnight in the weeks of a clock change.</summary>
public sealed class ReminderScheduleTests
{
    private static ReportingCycle Cycle(DateOnly opens, DateTime deadline) =>
        new("2027", new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), opens, deadline,
            ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);

    private static string? DueAt(ReportingCycle cycle, DateTimeOffset utc) =>
        ReminderSchedule.MostRecentDue(cycle, ReminderSchedule.LocalDate(cycle.DeadlineUtc), AmsterdamTime.Today(new FakeTimeProvider(utc)))?.Id;

    [Fact]
    public void A_run_at_2230_utc_follows_the_amsterdam_date_across_the_spring_change()
    {
        // Clocks go forward on Sunday 28 March 2027; the deadline is Monday 29 March 17:00.
        var cycle = Cycle(new DateOnly(2027, 2, 22), new DateTime(2027, 3, 29, 17, 0, 0));

        // Saturday 22:30 UTC is 23:30 in Amsterdam, still the 27th: the 3-day reminder (26th) is the latest due.
        Assert.Equal("reminder-3d-20270329", DueAt(cycle, new DateTimeOffset(2027, 3, 27, 22, 30, 0, TimeSpan.Zero)));
        // Sunday 22:30 UTC is already Monday 00:30 in Amsterdam: the deadline day, not the 1-day reminder.
        Assert.Equal("reminder-0d-20270329", DueAt(cycle, new DateTimeOffset(2027, 3, 28, 22, 30, 0, TimeSpan.Zero)));
        Assert.Equal("reminder-1d-20270329", DueAt(cycle, new DateTimeOffset(2027, 3, 28, 21, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_run_at_2330_utc_follows_the_amsterdam_date_across_the_autumn_change()
    {
        // Clocks go back on Sunday 31 October 2027; deadline Tuesday 2 November 17:00.
        var cycle = Cycle(new DateOnly(2027, 9, 1), new DateTime(2027, 11, 2, 17, 0, 0));

        // Saturday 30 Oct 22:30 UTC = Sunday 00:30 CEST: the 31st is deadline − 2, so the 3-day reminder (30th) stays the latest.
        Assert.Equal("reminder-3d-20271102", DueAt(cycle, new DateTimeOffset(2027, 10, 30, 22, 30, 0, TimeSpan.Zero)));
        // Sunday 31 Oct 23:30 UTC = Monday 00:30 CET: the 1-day reminder.
        Assert.Equal("reminder-1d-20271102", DueAt(cycle, new DateTimeOffset(2027, 10, 31, 23, 30, 0, TimeSpan.Zero)));
        // Sunday 31 Oct 22:30 UTC = 23:30 CET, still Sunday.
        Assert.Equal("reminder-3d-20271102", DueAt(cycle, new DateTimeOffset(2027, 10, 31, 22, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Before_opening_nothing_and_a_missed_run_yields_only_the_most_recent_stage()
    {
        var cycle = Cycle(new DateOnly(2027, 2, 22), new DateTime(2027, 3, 29, 17, 0, 0));
        var deadline = new DateOnly(2027, 3, 29);

        Assert.Null(ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 2, 21)));
        Assert.Equal("invitation", ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 2, 22))!.Id);
        // Host down from the 14-day reminder (15 March) to the 18th: one message, the 14-day one.
        Assert.Equal("reminder-14d-20270329", ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 3, 18))!.Id);
        Assert.Equal("overdue-7d-20270329", ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 6, 1))!.Id);
    }

    [Fact]
    public void Stages_dated_before_the_opening_fold_into_the_invitation()
    {
        // Opens ten days before the deadline: the 28- and 14-day reminders would fall before it.
        var cycle = Cycle(new DateOnly(2027, 3, 19), new DateTime(2027, 3, 29, 17, 0, 0));
        var deadline = new DateOnly(2027, 3, 29);

        Assert.Equal("invitation", ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 3, 19))!.Id);
        Assert.Equal("invitation", ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 3, 21))!.Id);
        Assert.Equal("reminder-7d-20270329", ReminderSchedule.MostRecentDue(cycle, deadline, new DateOnly(2027, 3, 22))!.Id);
    }
}
