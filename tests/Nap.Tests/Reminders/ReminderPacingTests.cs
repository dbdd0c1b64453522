using Nap.Reminders;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>Sending stays within the mailbox's limits on a fake clock, and a sweep out of time leaves the rest for the next run.</summary>
public sealed class ReminderPacingTests
{
    private static readonly DateOnly Opens = new(2027, 9, 6);
    private static readonly DateTimeOffset Morning = new(2027, 9, 6, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Active signatories whose primary and secondary contacts number exactly 100.</summary>
    private static IEnumerable<Signatory> HundredRecipients(IReadOnlyList<Signatory> all)
    {
        var picked = new List<Signatory>();
        var total = 0;
        foreach (var s in all.Where(s => s.Active).OrderByDescending(s => s.ContactsIn(ContactRole.Primary, ContactRole.Secondary).Count()).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            var n = s.ContactsIn(ContactRole.Primary, ContactRole.Secondary).Count();
            if (total + n > 100) continue;
            picked.Add(s);
            total += n;
        }
        Assert.Equal(100, total);
        return picked;
    }

    private static async Task<ReminderWorld> WorldWith200DueAsync(IDictionary<string, string?> settings)
    {
        settings["Reminders:Coordinators"] = "";
        var world = await ReminderWorld.CreateAsync(Morning, HundredRecipients, settings);
        await world.CreateCycleAsync(Opens, new DateTime(2027, 10, 25, 17, 0, 0));
        await world.CreateCycleAsync(Opens, new DateTime(2027, 11, 1, 17, 0, 0));
        return world;
    }

    /// <summary>
    /// Runs a sweep and moves the fake clock a second forward whenever a send waits for the per-minute limit, so the
    /// clock stands still while the sweep works (claims, Graph calls) and moves only while it waits.
    /// </summary>
    private static async Task<SweepSummary> DriveAsync(ReminderWorld world)
    {
        var pacer = world.Services.GetService(typeof(MailPacer)) as MailPacer;
        var sweep = Task.Run(() => world.Sweep.RunAsync());
        var limit = DateTime.UtcNow.AddMinutes(3);
        while (!sweep.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < limit, "the sweep did not finish");
            await Task.Delay(2);
            if (pacer!.WaitingForMinute > 0) world.Time.Advance(TimeSpan.FromSeconds(1));
        }
        return await sweep;
    }

    [Fact]
    public async Task With_200_due_no_rolling_minute_carries_more_than_the_limit()
    {
        await using var world = await WorldWith200DueAsync(new Dictionary<string, string?>
        {
            ["Reminders:MessagesPerMinute"] = "30",
            ["Reminders:MaxConcurrentSends"] = "4",
            ["Reminders:SweepBudgetSeconds"] = "3600",
        });

        var summary = await DriveAsync(world);

        Assert.Equal(200, summary.Sent);
        var times = world.Mail.Sends.Select(s => s.At).Order().ToList();
        Assert.Equal(200, times.Count);
        for (var i = 0; i < times.Count; i++)
        {
            var inMinute = times.Count(t => t >= times[i] && t < times[i] + TimeSpan.FromMinutes(1));
            Assert.True(inMinute <= 30, $"{inMinute} sends in the minute from {times[i]:HH:mm:ss}");
        }
        // Pacing really held them back: 200 at 30 a minute cannot fit in less than six minutes.
        Assert.True(times[^1] - times[0] >= TimeSpan.FromMinutes(6), $"all sent within {times[^1] - times[0]}");
        Assert.Equal(200, world.Graph.Accepted().Select(r => (r.To[0], r.Subject)).Distinct().Count());
    }

    [Fact]
    public async Task A_sweep_out_of_time_leaves_the_rest_pending_and_later_runs_send_each_once()
    {
        await using var world = await WorldWith200DueAsync(new Dictionary<string, string?>
        {
            ["Reminders:MessagesPerMinute"] = "30",
            ["Reminders:SweepBudgetSeconds"] = "60",
        });

        var first = await DriveAsync(world);
        var cycles = await world.Cycles.ListAsync();
        var ledger = (await Task.WhenAll(cycles.Select(c => world.Ledger.ListAsync(c.Id)))).SelectMany(l => l).ToList();

        Assert.InRange(first.Sent, 30, 60);
        Assert.Equal(200 - first.Sent, first.LeftPending);
        Assert.Equal(200 - first.Sent, ledger.Count(e => e.Status == LedgerStatus.Pending));
        Assert.Equal(200, ledger.Count);

        var runs = 1;
        var sent = first.Sent;
        while (sent < 200 && runs < 12)
        {
            sent += (await DriveAsync(world)).Sent;
            runs++;
        }

        Assert.Equal(200, sent);
        Assert.Equal(200, world.Graph.Accepted().Count);
        Assert.Equal(200, world.Graph.Accepted().Select(r => (r.To[0], r.Subject)).Distinct().Count());
        ledger = (await Task.WhenAll(cycles.Select(c => world.Ledger.ListAsync(c.Id)))).SelectMany(l => l).ToList();
        Assert.All(ledger, e => Assert.Equal(LedgerStatus.Sent, e.Status));
    }
}
