using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Cycles;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reminders;

/// <summary>A coordinator retries an uncertain or failed message over HTTP on the dev host, WireMock as Graph: once, idempotent, never a sent one.</summary>
public sealed class ReminderRetryApiTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    private ReminderLedger Ledger => host.Services.GetRequiredService<ReminderLedger>();

    private async Task<LedgerEntry> RecordAsync(ReportingCycle cycle, string signatoryId, string stage, string email, LedgerStatus status)
    {
        var now = host.Time.GetUtcNow();
        var claimed = await Ledger.TryClaimAsync(new LedgerEntry(cycle.Id, signatoryId, stage, ReminderLedger.RecipientHash(email), "primary",
            LedgerStatus.Pending, 0, now.AddHours(-2), null, null, null));
        var updated = await Ledger.TryUpdateAsync(claimed! with { Status = status, Attempts = status == LedgerStatus.Failed ? 5 : 1, LastAttemptAt = now.AddHours(-1), LastResult = "Timeout" });
        return updated!;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> RetryAsync(HttpClient client, ReportingCycle cycle, string id, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/reminders/{id}/retry");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!, response);
    }

    private int MailsTo(string email, string cycleId) =>
        host.Graph.Accepted().Count(m => m.To.Contains(email) && m.Subject.Contains(cycleId, StringComparison.Ordinal));

    [Fact]
    public async Task An_uncertain_reminder_is_sent_once_on_request_a_repeat_is_replayed_and_a_sent_one_is_409()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var contact = host.ContactOf("brug-foundation", ContactRole.Primary);
        var stage = $"reminder-14d-{ReminderSchedule.LocalDate(cycle.DeadlineUtc).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
        var entry = await RecordAsync(cycle, "brug-foundation", stage, contact.Email, LedgerStatus.Uncertain);
        using var coordinator = host.CoordinatorClient();

        // The ledger names each entry by the id the retry route takes.
        var ledger = (await coordinator.GetFromJsonAsync<JsonArray>($"api/cycles/{cycle.Id}/reminders"))!;
        var listed = ledger.Single(r => (string)r!["stage"]! == stage)!;
        Assert.Equal(entry.Id, (string)listed["id"]!);
        Assert.Equal("uncertain", (string)listed["status"]!);

        using (var reader = host.StaffClient(StaffRoles.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, (await RetryAsync(reader, cycle, entry.Id)).Status);
        Assert.Equal(0, MailsTo(contact.Email, cycle.Id));

        var (status, body, response) = await RetryAsync(coordinator, cycle, entry.Id, "retry-1");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(("sent", entry.Id, StaffPrincipals.ObjectId), ((string)body["status"]!, (string)body["id"]!, (string)body["retriedBy"]!));
        Assert.Equal(2, (int)body["attempts"]!);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, MailsTo(contact.Email, cycle.Id));
        var mail = host.Graph.Accepted().Single(m => m.To.Contains(contact.Email) && m.Subject.Contains(cycle.Id, StringComparison.Ordinal));
        Assert.Contains("/api/form#token=", mail.Html, StringComparison.Ordinal);

        // The same request again: the same answer, nothing sent.
        (status, body, response) = await RetryAsync(coordinator, cycle, entry.Id, "retry-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("sent", (string)body["status"]!);
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        // Another request for a sent message is refused.
        (status, body, _) = await RetryAsync(coordinator, cycle, entry.Id);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("urn:nap1325:problem:already-sent", (string)body["type"]!);
        Assert.Equal(1, MailsTo(contact.Email, cycle.Id));
    }

    [Fact]
    public async Task Two_concurrent_retries_send_one_message_and_only_uncertain_or_failed_entries_can_be_retried()
    {
        var cycle = await host.CreateScopedCycleAsync();
        using (var signatory = host.SignatoryClient("ministry-defence", cycle.Id))
            Assert.Equal(HttpStatusCode.Created, (await signatory.PostAsync($"api/cycles/{cycle.Id}/submissions",
                new StringContent(SampleSubmissions.Valid(5).ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        await host.Services.GetRequiredService<BackgroundSends>().WhenIdleAsync();
        var contact = host.ContactOf("ministry-defence", ContactRole.Secondary);
        var receipt = await Ledger.FindAsync(cycle.Id, ReminderLedger.RowKey("ministry-defence", "receipt-v1", ReminderLedger.RecipientHash(contact.Email)));
        Assert.NotNull(receipt);
        await Ledger.TryUpdateAsync(receipt! with { Status = LedgerStatus.Failed, Attempts = 5, LastResult = "Status503" });
        // The receipt that intake sent, now recorded as given up on.
        var sentByIntake = MailsTo(contact.Email, cycle.Id);
        Assert.Equal(1, sentByIntake);

        using var coordinator = host.CoordinatorClient();
        var results = await Task.WhenAll(RetryAsync(coordinator, cycle, receipt!.Id), RetryAsync(coordinator, cycle, receipt.Id));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        Assert.Equal(sentByIntake + 1, MailsTo(contact.Email, cycle.Id));

        var pending = await RecordAsync(cycle, "stichting-stem-nu", "invitation", host.ContactOf("stichting-stem-nu", ContactRole.Primary).Email, LedgerStatus.Pending);
        var (status, body, _) = await RetryAsync(coordinator, cycle, pending.Id);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("urn:nap1325:problem:not-retryable", (string)body["type"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await RetryAsync(coordinator, cycle, "stichting-stem-nu.invitation.0000")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RetryAsync(coordinator, cycle, "not|an|id")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RetryAsync(coordinator, new ReportingCycle("1999", default, default, default, default, [], [], true, CycleStatus.Open), pending.Id)).Status);
    }
}
