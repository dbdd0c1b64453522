using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Api;
using Nap.Cycles;
using Nap.Reminders;
using Nap.Reviews;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Infrastructure;
using Nap.Tests.Reminders;

namespace Nap.Tests.Reviews;

/// <summary>
/// A returned signatory in the reminder sweep, on the dev host with a fake clock and WireMock as Graph: reminded towards
/// its revision deadline until it sends a new version, and its return email sent by a later sweep when the background
/// send could not deliver it.
/// </summary>
public sealed class ReviewReminderTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private ReminderSweep Sweep => host.Services.GetRequiredService<ReminderSweep>();
    private BackgroundSends Background => host.Services.GetRequiredService<BackgroundSends>();
    private ReminderLedger Ledger => host.Services.GetRequiredService<ReminderLedger>();

    private async Task SubmitAsync(string cycleId, string signatoryId, int seed)
    {
        using var client = host.SignatoryClient(signatoryId, cycleId);
        var response = await client.PostAsync($"api/cycles/{cycleId}/submissions", Json(SampleSubmissions.Valid(seed)));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await Background.WhenIdleAsync();
    }

    private async Task ReturnAsync(string cycleId, string signatoryId, int version, DateTime? revisionDeadline)
    {
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        var body = new JsonObject { ["action"] = "return", ["version"] = version, ["reason"] = "Please add the participants." };
        if (revisionDeadline is { } d) body["revisionDeadline"] = d.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var response = await coordinator.PostAsync($"api/cycles/{cycleId}/signatories/{signatoryId}/review", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await Background.WhenIdleAsync();
    }

    /// <summary>To 08:00 Amsterdam time on that day (the clock only moves forward).</summary>
    private void MoveTo(DateOnly day)
    {
        var at = AmsterdamTime.ToUtc(day.ToDateTime(new TimeOnly(8, 0)));
        var now = host.Time.GetUtcNow();
        Assert.True(at > now, "the test moves the clock forward only");
        host.Time.Advance(at - now);
    }

    private async Task<List<LedgerEntry>> EntriesAsync(string cycleId, string signatoryId) =>
        (await Ledger.ListAsync(cycleId)).Where(e => e.SignatoryId == signatoryId).ToList();

    private IReadOnlyList<string> AddressesOf(string signatoryId) =>
        host.Signatories.Single(s => s.Id == signatoryId).ContactsIn(ContactRole.Primary, ContactRole.Secondary).Select(c => c.Email).Order().ToList();

    [Fact]
    public async Task A_returned_signatory_is_reminded_towards_its_revision_deadline_until_it_sends_a_new_version()
    {
        const string signatory = "stichting-stem-nu";
        var cycle = await host.CreateScopedCycleAsync(openedDaysAgo: 10, deadlineInDays: 20);
        await SubmitAsync(cycle.Id, signatory, 4);
        var deadline = DateOnly.FromDateTime(cycle.Deadline);

        // Submitted: done, no reminder a week before the deadline.
        MoveTo(deadline.AddDays(-7));
        await Sweep.RunAsync();
        Assert.DoesNotContain(await EntriesAsync(cycle.Id, signatory), e => ReminderSchedule.IsScheduleStageId(e.Stage) && e.Stage != "invitation");

        // Returned with a revision deadline ten days after the cycle's: the new series follows that date. Stages already
        // due on the day of the return are not sent: the return email says it all that day.
        var revision = cycle.Deadline.AddDays(10);
        await ReturnAsync(cycle.Id, signatory, 1, revision);
        await Sweep.RunAsync();
        var revisionDay = DateOnly.FromDateTime(revision).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        Assert.DoesNotContain(await EntriesAsync(cycle.Id, signatory), e => e.Stage.StartsWith("reminder-", StringComparison.Ordinal));

        MoveTo(DateOnly.FromDateTime(revision).AddDays(-7));
        var before = host.Graph.Accepted().Count;
        await Sweep.RunAsync();
        var reminders = (await EntriesAsync(cycle.Id, signatory)).Where(e => e.Stage == $"reminder-7d-{revisionDay}").ToList();
        Assert.Equal(AddressesOf(signatory).Count, reminders.Count);
        Assert.All(reminders, e => Assert.Equal(LedgerStatus.Sent, e.Status));
        var mails = host.Graph.Accepted().Skip(before).Where(m => m.Subject.Contains(cycle.Id, StringComparison.Ordinal) && m.To.Any(AddressesOf(signatory).Contains)).ToList();
        Assert.Equal(AddressesOf(signatory), mails.SelectMany(m => m.To).Order().ToList());
        Assert.All(mails, m => Assert.True(m.Html.Contains("teruggestuurde rapportage", StringComparison.Ordinal) || m.Html.Contains("returned report", StringComparison.Ordinal)));
        // The mail's deadline is the revision deadline.
        var shown = AmsterdamTime.FormatForPeople(revision, host.Signatories.Single(s => s.Id == signatory).Language == "en" ? "en" : "nl");
        Assert.All(mails, m => Assert.Contains(shown, m.Html, StringComparison.Ordinal));

        // A new version: done again; the 3-day reminder of the revision deadline is not sent.
        await SubmitAsync(cycle.Id, signatory, 5);
        MoveTo(DateOnly.FromDateTime(revision).AddDays(-3));
        await Sweep.RunAsync();
        Assert.DoesNotContain(await EntriesAsync(cycle.Id, signatory), e => e.Stage == $"reminder-3d-{revisionDay}");
    }

    [Fact]
    public async Task A_revision_deadline_before_the_cycle_deadline_is_the_returned_signatorys_deadline()
    {
        const string signatory = "centrum-voor-gender";
        var cycle = await host.CreateScopedCycleAsync(openedDaysAgo: 10, deadlineInDays: 40);
        await SubmitAsync(cycle.Id, signatory, 6);
        var now = AmsterdamTime.ToLocal(host.Time.GetUtcNow()).DateTime;
        var revision = now.Date.AddDays(9).AddHours(17);
        await ReturnAsync(cycle.Id, signatory, 1, revision);

        MoveTo(DateOnly.FromDateTime(revision).AddDays(-3));
        await Sweep.RunAsync();
        var stage = $"reminder-3d-{DateOnly.FromDateTime(revision).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
        Assert.Equal(AddressesOf(signatory).Count, (await EntriesAsync(cycle.Id, signatory)).Count(e => e.Stage == stage && e.Status == LedgerStatus.Sent));
    }

    [Fact]
    public async Task A_return_email_graph_did_not_take_goes_out_with_the_next_sweep_once_and_an_uncertain_one_is_not_repeated()
    {
        const string signatory = "brug-foundation";
        var cycle = await host.CreateScopedCycleAsync(openedDaysAgo: 10, deadlineInDays: 20);
        await SubmitAsync(cycle.Id, signatory, 7);
        var returnMails = () => host.Graph.Accepted().Where(m => m.Subject.Contains(cycle.Id, StringComparison.Ordinal) && m.To.Any(AddressesOf(signatory).Contains)
            && (m.Subject.StartsWith("Returned for revision", StringComparison.Ordinal) || m.Subject.StartsWith("Teruggestuurd", StringComparison.Ordinal))).ToList();
        try
        {
            // Graph refuses (503 with Retry-After, every retry too): the background send leaves the return email open.
            host.Graph.AnswerAlways(503, retryAfterSeconds: 1);
            await ReturnAsync(cycle.Id, signatory, 1, null);
            var open = (await EntriesAsync(cycle.Id, signatory)).Where(e => e.Stage == ReviewReturnMailer.Stage(1)).ToList();
            Assert.Equal(AddressesOf(signatory).Count, open.Count);
            Assert.All(open, e => Assert.Equal(LedgerStatus.NotAccepted, e.Status));
            Assert.Empty(returnMails());

            // Graph takes mail again: the next sweep sends each contact the return email, the one after sends nothing more.
            host.Graph.AcceptAll();
            await Sweep.RunAsync();
            await Sweep.RunAsync();
            Assert.Equal(AddressesOf(signatory), returnMails().SelectMany(m => m.To).Order().ToList());
            Assert.All(await EntriesAsync(cycle.Id, signatory), e => Assert.NotEqual(LedgerStatus.Superseded, e.Status));
            Assert.All(returnMails(), m => Assert.Contains("#token=", m.Html, StringComparison.Ordinal));

            // A 500 may come after Graph sent the message: recorded as uncertain, never sent again (no duplicate).
            await SubmitAsync(cycle.Id, signatory, 8);
            host.Graph.AnswerAlways(500);
            await ReturnAsync(cycle.Id, signatory, 2, null);
            host.Graph.AcceptAll();
            await Sweep.RunAsync();
            var second = (await EntriesAsync(cycle.Id, signatory)).Where(e => e.Stage == ReviewReturnMailer.Stage(2)).ToList();
            Assert.Equal(AddressesOf(signatory).Count, second.Count);
            Assert.All(second, e => Assert.Equal(LedgerStatus.Uncertain, e.Status));
            // (AcceptAll starts WireMock's log afresh: nothing accepted since then is a return email.)
            Assert.Empty(returnMails());
        }
        finally
        {
            host.Graph.AcceptAll();
        }
    }

    [Fact]
    public async Task An_open_return_email_is_not_sent_once_the_signatory_has_sent_a_new_version()
    {
        const string signatory = "ministry-defence";
        var cycle = await host.CreateScopedCycleAsync(openedDaysAgo: 10, deadlineInDays: 20);
        await SubmitAsync(cycle.Id, signatory, 9);
        try
        {
            host.Graph.AnswerAlways(503, retryAfterSeconds: 1);
            await ReturnAsync(cycle.Id, signatory, 1, null);
        }
        finally
        {
            host.Graph.AcceptAll();
        }
        await SubmitAsync(cycle.Id, signatory, 10);
        await Sweep.RunAsync();
        var entries = (await EntriesAsync(cycle.Id, signatory)).Where(e => e.Stage == ReviewReturnMailer.Stage(1)).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal(LedgerStatus.Superseded, e.Status));
    }
}
