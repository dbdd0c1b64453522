using Nap.Reminders;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>
/// Receipts coalesced per contact (Reminders:ReceiptWindowMinutes, 10 by default), on the fake clock against WireMock
/// Graph: the first version of a burst is receipted at once, the rest of the window's versions by one receipt at its
/// end naming the latest; a version after the window gets its own receipt at once; sweeps and re-runs add nothing.
/// </summary>
public sealed class ReceiptWindowTests
{
    private const string English = "brug-foundation";
    private static readonly DateTimeOffset Morning = new(2027, 6, 8, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_burst_of_five_versions_gets_the_first_at_once_and_the_last_at_the_window_end_then_a_later_version_its_own()
    {
        await using var world = await ReminderWorld.CreateAsync(Morning, all => all.Where(s => s.Id == English), new Dictionary<string, string?>
        {
            ["Reminders:Coordinators"] = "",
        });
        var cycle = await world.CreateCycleAsync(new DateOnly(2027, 6, 7), new DateTime(2027, 7, 12, 17, 0, 0));
        var contacts = world.Signatories.Single(s => s.Id == English).ContactsIn(ContactRole.Primary, ContactRole.Secondary).Select(c => c.Email).Order().ToList();
        List<(DateTimeOffset At, string To, string Subject)> Receipts() => world.Mail.Sends
            .Where(s => s.Mail.Subject.StartsWith("Receipt", StringComparison.Ordinal))
            .Select(s => (s.At, To: s.Mail.To[0].Email, s.Mail.Subject)).OrderBy(r => r.At).ThenBy(r => r.To, StringComparer.Ordinal).ToList();
        string Subject(int version) => $"Receipt: NAP 1325-IV progress report for {cycle.Id}, version {version}";

        for (var i = 0; i < 5; i++)
        {
            world.SetTime(Morning.AddMinutes(2 * i)); // 09:00, 09:02 … 09:08
            Assert.Equal(i + 1, (await world.SubmitAsync(cycle.Id, English, seed: i + 1)).Version);
        }
        // Only version 1 so far, to each contact once.
        Assert.Equal(contacts.Select(c => (Morning, c, Subject(1))), Receipts());
        var waiting = (await world.Ledger.ListReceiptsAsync(cycle.Id, English)).Where(e => e.Status == LedgerStatus.Pending).ToList();
        Assert.Equal(contacts.Count, waiting.Count);
        Assert.All(waiting, e => Assert.Equal((Stages.Receipt(5), Morning.AddMinutes(10)), (e.Stage, e.ClaimedAt)));
        Assert.Equal(3 * contacts.Count, (await world.Ledger.ListReceiptsAsync(cycle.Id, English)).Count(e => e.Status == LedgerStatus.Superseded));

        // A sweep before the window ends leaves the waiting receipt alone.
        world.SetTime(Morning.AddMinutes(9));
        await world.Sweep.RunAsync();
        Assert.Equal(contacts.Count, Receipts().Count);

        // At the window's end: one more receipt per contact, naming version 5.
        world.SetTime(Morning.AddMinutes(10));
        await world.Background.WhenIdleAsync();
        var burst = Receipts();
        Assert.Equal(contacts.Select(c => (Morning, c, Subject(1))).Concat(contacts.Select(c => (Morning.AddMinutes(10), c, Subject(5)))), burst);

        // Re-runs of the sweep send nothing again.
        await world.Sweep.RunAsync();
        await world.Sweep.RunAsync();
        Assert.Equal(burst, Receipts());

        // A version after the window: its receipt at once.
        world.SetTime(Morning.AddMinutes(25));
        Assert.Equal(6, (await world.SubmitAsync(cycle.Id, English, seed: 6)).Version);
        Assert.Equal(burst.Concat(contacts.Select(c => (Morning.AddMinutes(25), c, Subject(6)))), Receipts());
        Assert.Equal(3 * contacts.Count, world.Graph.Accepted().Count(r => r.Subject.StartsWith("Receipt", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_version_soon_after_a_sent_receipt_waits_for_the_window_and_none_is_lost_when_the_process_stops()
    {
        await using var world = await ReminderWorld.CreateAsync(Morning, all => all.Where(s => s.Id == English), new Dictionary<string, string?>
        {
            ["Reminders:Coordinators"] = "",
            ["Reminders:ReceiptWindowMinutes"] = "30",
        });
        var cycle = await world.CreateCycleAsync(new DateOnly(2027, 6, 7), new DateTime(2027, 7, 12, 17, 0, 0));
        await world.SubmitAsync(cycle.Id, English, seed: 1);
        world.SetTime(Morning.AddMinutes(20));
        await world.SubmitAsync(cycle.Id, English, seed: 2);
        var contacts = world.Signatories.Single(s => s.Id == English).ContactsIn(ContactRole.Primary, ContactRole.Secondary).Count();
        Assert.Equal(contacts, world.Mail.Sends.Count(s => s.Mail.Subject.StartsWith("Receipt", StringComparison.Ordinal)));

        // The process stops before the window ends: the receipt of version 2 stays pending, due at 09:30.
        await world.Background.StopAsync(CancellationToken.None);
        world.SetTime(Morning.AddMinutes(31));
        await world.Background.WhenIdleAsync();
        Assert.Equal(contacts, world.Mail.Sends.Count(s => s.Mail.Subject.StartsWith("Receipt", StringComparison.Ordinal)));
        Assert.All((await world.Ledger.ListReceiptsAsync(cycle.Id, English)).Where(e => e.Stage == Stages.Receipt(2)),
            e => Assert.Equal((LedgerStatus.Pending, Morning.AddMinutes(30)), (e.Status, e.ClaimedAt)));

        // The next sweep sends it, once.
        await world.Sweep.RunAsync();
        await world.Sweep.RunAsync();
        var receipts = world.Mail.Sends.Where(s => s.Mail.Subject.StartsWith("Receipt", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * contacts, receipts.Count);
        Assert.Equal(contacts, receipts.Count(s => s.Mail.Subject.EndsWith("version 2", StringComparison.Ordinal) && s.At == Morning.AddMinutes(31)));
    }

    [Fact]
    public async Task A_version_the_hook_never_claimed_is_caught_up_by_the_sweep_only_after_the_window()
    {
        await using var world = await ReminderWorld.CreateAsync(Morning, all => all.Where(s => s.Id == English), new Dictionary<string, string?>
        {
            ["Reminders:Coordinators"] = "",
        });
        var cycle = await world.CreateCycleAsync(new DateOnly(2027, 6, 7), new DateTime(2027, 7, 12, 17, 0, 0));
        await world.SubmitAsync(cycle.Id, English, seed: 1);
        var contacts = world.Signatories.Single(s => s.Id == English).ContactsIn(ContactRole.Primary, ContactRole.Secondary).Count();
        // The host is stopping: version 2's receipt is not even claimed.
        await world.Background.StopAsync(CancellationToken.None);
        world.SetTime(Morning.AddMinutes(3));
        await world.SubmitAsync(cycle.Id, English, seed: 2);
        Assert.DoesNotContain(await world.Ledger.ListReceiptsAsync(cycle.Id, English), e => e.Stage == Stages.Receipt(2));

        world.SetTime(Morning.AddMinutes(5));
        await world.Sweep.RunAsync();
        Assert.Equal(contacts, world.Mail.Sends.Count(s => s.Mail.Subject.StartsWith("Receipt", StringComparison.Ordinal)));

        world.SetTime(Morning.AddMinutes(10));
        await world.Sweep.RunAsync();
        await world.Sweep.RunAsync();
        var receipts = world.Mail.Sends.Where(s => s.Mail.Subject.StartsWith("Receipt", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * contacts, receipts.Count);
        Assert.Equal(contacts, receipts.Count(s => s.Mail.Subject.EndsWith("version 2", StringComparison.Ordinal) && s.At == Morning.AddMinutes(10)));
    }
}
