using Nap.Reminders;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>
/// A whole cycle, day by day on a fake clock, from the day before it opens to ten days after the deadline, with
/// signatories submitting, paused and extended along the way. The deadline (Monday 29 March 2027, 17:00) falls the day
/// after clocks go forward. Every day's messages are asserted exactly, and a second sweep each day sends nothing.
/// </summary>
public sealed class ReminderWalkTests
{
    private const string A = "ministry-defence";                        // nl; primary, secondary, director; never submits
    private const string B = "brug-foundation";                         // en; primary, secondary, director; submits at T−10
    private const string C = "academie-voor-internationale-veiligheid"; // nl; primary, secondary; paused at T−5
    private const string D = "centrum-voor-gender";                     // nl; primary, director; extended at T−2 to T+7
    private const string E = "stichting-stem-nu";                       // en; primary only; submits late at T+5
    private const string F = "gender-foundation";                       // inactive: never written to

    private static readonly DateOnly T = new(2027, 3, 29);

    private static string[] Digests => ["coordinator1/digest", "coordinator2/digest"];
    private static string[] To(string kind, params string[] who) => who.Select(w => $"{w}/{kind}").ToArray();

    /// <summary>What each day (offset from the deadline day) must bring; days not listed bring nothing.</summary>
    private static Dictionary<int, string[]> Expected() => new()
    {
        [-35] = [.. To("invitation", $"{A}/primary", $"{A}/secondary", $"{B}/primary", $"{B}/secondary", $"{C}/primary", $"{C}/secondary", $"{D}/primary", $"{E}/primary"), .. Digests],
        [-28] = [.. To("reminder(28)", $"{A}/primary", $"{A}/secondary", $"{B}/primary", $"{B}/secondary", $"{C}/primary", $"{C}/secondary", $"{D}/primary", $"{E}/primary"), .. Digests],
        [-14] = [.. To("reminder(14)", $"{A}/primary", $"{A}/secondary", $"{B}/primary", $"{B}/secondary", $"{C}/primary", $"{C}/secondary", $"{D}/primary", $"{E}/primary"), .. Digests],
        [-10] = To("receipt(v1)", $"{B}/primary", $"{B}/secondary"),
        [-7] = [.. To("reminder(7)", $"{A}/primary", $"{A}/secondary", $"{C}/primary", $"{C}/secondary", $"{D}/primary", $"{E}/primary"), .. Digests],
        [-3] = [.. To("reminder(3)", $"{A}/primary", $"{A}/secondary", $"{D}/primary", $"{E}/primary"), .. Digests],
        // D's deadline moved to T+7: its series restarts from the latest stage due for the new date (14 days before it).
        [-1] = [.. To("reminder(1)", $"{A}/primary", $"{A}/secondary", $"{E}/primary"), $"{D}/primary/reminder(8)", .. Digests],
        [0] = [.. To("due-today", $"{A}/primary", $"{A}/secondary", $"{E}/primary"), $"{D}/primary/reminder(7)", .. Digests],
        [3] = [.. To("overdue(3)", $"{A}/primary", $"{A}/secondary", $"{A}/director", $"{E}/primary"), .. Digests],
        [4] = [$"{D}/primary/reminder(3)"],
        [5] = To("receipt(v1)", $"{E}/primary"),
        [6] = [$"{D}/primary/reminder(1)"],
        [7] = [.. To("overdue(7)", $"{A}/primary", $"{A}/secondary", $"{A}/director"), $"{D}/primary/due-today", .. Digests],
        [10] = To("overdue(3)", $"{D}/primary", $"{D}/director"),
    };

    [Fact]
    public async Task Walk_a_cycle_day_by_day_with_exact_messages_per_day()
    {
        var start = new DateTimeOffset(T.AddDays(-36).ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero);
        await using var world = await ReminderWorld.CreateAsync(start, all => all.Where(s => s.Id is A or B or C or D or E or F));
        var cycle = await world.CreateCycleAsync(T.AddDays(-35), T.ToDateTime(new TimeOnly(17, 0)));
        var control = world.Services.GetService(typeof(ReminderControl)) as ReminderControl;
        var expected = Expected();
        var seen = 0;
        List<string> NewLabels()
        {
            var sends = world.Mail.Sends.ToArray();
            Assert.All(sends, s => Assert.Equal(Nap.Graph.MailSendOutcome.Sent, s.Result.Outcome));
            var fresh = sends.Skip(seen).Select(s => MailLabels.Label(s.Mail, world.Signatories)).ToList();
            seen = sends.Length;
            return fresh;
        }

        for (var offset = -36; offset <= 10; offset++)
        {
            var day = T.AddDays(offset);
            world.SetTime(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
            await world.Sweep.RunAsync();
            var labels = NewLabels();

            var again = await world.Sweep.RunAsync();
            Assert.True(NewLabels().Count == 0, $"a second sweep on {day} sent messages");
            Assert.Equal(0, again.Sent);

            world.SetTime(new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
            switch (offset)
            {
                case -10: await world.SubmitAsync(cycle.Id, B); break;
                case -5: await control!.SetPausedAsync(cycle.Id, C, true, world.Coordinator); break;
                case -2: await control!.SetExtensionAsync(cycle.Id, D, "2027-04-05T17:00", world.Coordinator); break;
                case 5: await world.SubmitAsync(cycle.Id, E, seed: 5); break;
            }
            labels.AddRange(NewLabels());

            var want = expected.GetValueOrDefault(offset, []).Order(StringComparer.Ordinal).ToList();
            Assert.True(want.SequenceEqual(labels.Order(StringComparer.Ordinal)),
                $"Day T{offset:+0;-0;+0} ({day:yyyy-MM-dd}): expected [{string.Join(", ", want)}] but got [{string.Join(", ", labels.Order(StringComparer.Ordinal))}]");
        }

        // Languages follow the signatory; the director's copy says why it came.
        var sends = world.Mail.Sends.Select(s => s.Mail).ToList();
        var english = world.Signatories.Where(s => s.Language == "en").SelectMany(s => s.Contacts).Select(c => c.Email).ToHashSet();
        Assert.All(sends.Where(m => english.Contains(m.To[0].Email)), m => Assert.Equal("en", m.Language));
        Assert.All(sends.Where(m => !english.Contains(m.To[0].Email)), m => Assert.Equal("nl", m.Language));
        Assert.All(sends.Where(m => m.To[0].Email == Contact(world, A, ContactRole.Director)), m => Assert.Contains("als directeur", m.Text, StringComparison.Ordinal));

        // The digest on the day before the deadline names the paused and the extended signatory.
        var digestT1 = world.Mail.Sends.Where(s => s.At.Date == T.AddDays(-1).ToDateTime(TimeOnly.MinValue) && MailLabels.Kind(s.Mail) == "digest").Select(s => s.Mail.Text).First();
        Assert.Contains("Herinneringen gepauzeerd: " + world.Signatories.Single(s => s.Id == C).Name, digestT1, StringComparison.Ordinal);
        Assert.Contains("Uitstel tot 5 april 2027 om 17:00: " + world.Signatories.Single(s => s.Id == D).Name, digestT1, StringComparison.Ordinal);
        Assert.Contains("/api/cycles/" + cycle.Id + "/status", digestT1, StringComparison.Ordinal);

        // The coordinators' decisions are recorded with who and when.
        var settings = (await world.Cycles.ListSettingsAsync(cycle.Id)).ToDictionary(s => s.SignatoryId);
        Assert.True(settings[C].RemindersPaused);
        Assert.Equal("coordinator-anna-object-id", settings[C].ChangedBy);
        Assert.Equal(new DateTimeOffset(T.AddDays(-5).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), settings[C].ChangedAt);
        Assert.Equal(new DateTime(2027, 4, 5, 17, 0, 0), settings[D].ExtendedDeadline);

        // Every message Graph took is in the ledger as sent, once; nothing is left pending or in flight.
        var ledger = await world.Ledger.ListAsync(cycle.Id);
        Assert.Equal(world.Mail.Sends.Count, ledger.Count(e => e.Status == LedgerStatus.Sent));
        Assert.DoesNotContain(ledger, e => e.Status is LedgerStatus.Pending or LedgerStatus.Sending or LedgerStatus.NotAccepted);
        Assert.Equal(world.Graph.Accepted().Count, world.Mail.Sends.Count);
    }

    private static string Contact(ReminderWorld world, string signatoryId, ContactRole role) =>
        world.Signatories.Single(s => s.Id == signatoryId).Contacts.Single(c => c.Role == role).Email;
}
