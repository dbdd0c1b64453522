using Nap.Api;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Tests.Reminders;

/// <summary>Emails show times as people write them, in Amsterdam time: never ISO 8601.</summary>
public sealed class MailTimeTests
{
    [Theory]
    [InlineData("2026-12-01T07:45:32Z", "nl", "1 december 2026 om 08:45")] // winter: UTC+1
    [InlineData("2026-12-01T07:45:32Z", "en", "1 December 2026 at 08:45")]
    [InlineData("2026-07-01T06:45:00Z", "nl", "1 juli 2026 om 08:45")] // summer: UTC+2
    [InlineData("2026-03-29T00:59:00Z", "en", "29 March 2026 at 01:59")] // the minute before clocks go forward
    [InlineData("2026-03-29T01:00:00Z", "en", "29 March 2026 at 03:00")]
    [InlineData("2026-12-31T23:30:00Z", "nl", "1 januari 2027 om 00:30")] // another day and year in Amsterdam
    public void An_instant_is_written_in_Amsterdam_time_as_people_write_it(string utc, string language, string expected) =>
        Assert.Equal(expected, AmsterdamTime.FormatForPeople(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), language));

    [Fact]
    public void A_wall_clock_time_keeps_its_clock() =>
        Assert.Equal("5 april 2027 om 17:00", AmsterdamTime.FormatForPeople(new DateTime(2027, 4, 5, 17, 0, 0), "nl"));

    [Theory]
    [InlineData("nl", "Ontvangen: 1 december 2026 om 08:45")]
    [InlineData("en", "Received: 1 December 2026 at 08:45")]
    public void A_receipt_says_when_it_was_received_as_people_write_it(string language, string line)
    {
        var receivedAt = new DateTimeOffset(2026, 12, 1, 7, 45, 32, TimeSpan.Zero);
        var receipt = new SubmissionReceipt("2026|org|1", "2026", "org", 1, receivedAt, AmsterdamTime.Format(receivedAt), new string('a', 64), false);
        var contact = new Contact("Eva Vos", "eva@example.org", ContactRole.Primary);
        var signatory = new Signatory("org", "Org", SignatoryKind.Other, language, true, [contact]);

        var mail = ReminderMails.Receipt(receipt, signatory, contact).ToMail([]);

        Assert.Contains(line + "\n", mail.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("2026-12-01", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-12-01", mail.Html, StringComparison.Ordinal);
        Assert.Contains(line.Split(": ")[1], mail.Html, StringComparison.Ordinal);
    }
}
