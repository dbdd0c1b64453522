using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reminders;

/// <summary>
/// Through the dev host: link and receipt emails leave in the background, so no HTTP answer waits for Graph and a
/// known address is answered like an unknown one; and no address, nor its hash, reaches a log. Its own fixture (and
/// so its own cycles): these tests hold Graph's answers back and run sweeps.
/// </summary>
public sealed class ReminderBackgroundApiTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    /// <summary>How long the held Graph takes at most; released by the test as soon as it has what it needs.</summary>
    private static readonly TimeSpan GraphTakes = TimeSpan.FromSeconds(30);

    private BackgroundSends Background => host.Services.GetRequiredService<BackgroundSends>();

    [Fact]
    public async Task A_link_request_is_answered_before_graph_answers_for_known_and_unknown_alike_and_the_link_goes_out_once()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var known = host.ContactOf("stichting-stem-nu", ContactRole.Primary).Email;
        const string unknown = "no.such.contact@example.org";

        var hold = host.Graph.Hold(GraphTakes);
        try
        {
            foreach (var address in new[] { known, unknown })
            {
                var response = await host.Client.PostAsync("api/links", JsonContent.Create(new { email = address }));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.True(hold.Answered == 0, "the 202 came only after Graph answered: the request waited for the email");
            }
        }
        finally
        {
            hold.Release();
        }
        await Background.WhenIdleAsync();

        // One email per open cycle of this fixture (other tests of the class add theirs), all to the known address.
        var openCycles = (await host.Cycles.ListAsync()).Count(c => c.Status == Nap.Cycles.CycleStatus.Open && c.HasOpened(host.Time));
        Assert.Equal(openCycles, hold.Received);
        Assert.Equal(openCycles, host.Graph.Accepted().Count);
        Assert.All(host.Graph.Accepted(), r => Assert.Equal([known], r.To));
        var link = Assert.Single(host.Graph.Accepted(), r => r.Subject == $"Your personal link: NAP 1325-IV progress report for {cycle.Id}");
        var token = System.Text.RegularExpressions.Regex.Match(link.Html, "#token=([^\"]+)\"").Groups[1].Value;
        Assert.Equal(("stichting-stem-nu", cycle.Id), ((await host.Tokens.ValidateAsync(token))!.Subject, (await host.Tokens.ValidateAsync(token))!.CycleId));
        var row = Assert.Single(await host.Services.GetRequiredService<ReminderLedger>().ListAsync(cycle.Id));
        Assert.Equal((LedgerStatus.Sent, 1), (row.Status, row.Attempts));
    }

    [Fact]
    public async Task A_storage_error_claiming_a_known_addresss_link_is_answered_202_like_an_unknown_address()
    {
        host.Graph.AcceptAll();
        await host.CreateScopedCycleAsync();
        var known = host.ContactOf("ministry-defence", ContactRole.Primary).Email;
        foreach (var cycle in await host.Cycles.ListAsync()) host.LedgerFaults.FailInsertsFor(cycle.Id);
        try
        {
            foreach (var address in new[] { known, "not.a.contact@example.org" })
            {
                var response = await host.Client.PostAsync("api/links", JsonContent.Create(new { email = address }));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.Equal("""{"status":"accepted"}""", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            host.LedgerFaults.Clear();
        }
        await Background.WhenIdleAsync();

        Assert.Empty(host.Graph.Requests());
        Assert.Contains("Claiming link emails failed with RequestFailedException", host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submission_is_answered_201_before_graph_answers_and_its_receipts_go_out_once()
    {
        var cycle = await host.CreateScopedCycleAsync();
        using var client = host.SignatoryClient("ministry-defence", cycle.Id);

        var hold = host.Graph.Hold(GraphTakes);
        try
        {
            var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions",
                new StringContent(SampleSubmissions.Valid(4).ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.True(hold.Answered == 0, "the 201 came only after Graph answered: the submission waited for the receipt");
        }
        finally
        {
            hold.Release();
        }
        await Background.WhenIdleAsync();

        Assert.Equal(2, hold.Received);
        var receipts = host.Graph.Accepted();
        Assert.All(receipts, r => Assert.Equal($"Ontvangstbevestiging: voortgangsrapportage NAP 1325-IV over {cycle.Id}, versie 1", r.Subject));
        Assert.Equal(
            new[] { host.ContactOf("ministry-defence", ContactRole.Primary).Email, host.ContactOf("ministry-defence", ContactRole.Secondary).Email }.Order(),
            receipts.Select(r => Assert.Single(r.To)).Order());
        Assert.All(await host.Services.GetRequiredService<ReminderLedger>().ListAsync(cycle.Id), e => Assert.Equal(LedgerStatus.Sent, e.Status));
    }

    [Fact]
    public async Task Neither_an_address_nor_its_hash_reaches_a_log_from_link_requests_and_a_sweep()
    {
        host.Graph.AcceptAll();
        var cycle = await host.CreateScopedCycleAsync(openedDaysAgo: 0);
        var known = host.ContactOf("centrum-voor-gender", ContactRole.Primary).Email;
        const string unknown = "canary-7f3a9c.unknown@example.org";

        foreach (var address in new[] { unknown, known, known.ToUpperInvariant() })
            Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("api/links", JsonContent.Create(new { email = address }))).StatusCode);
        await Background.WhenIdleAsync();
        var sweep = await host.Services.GetRequiredService<ReminderSweep>().RunAsync();

        var logs = host.Logs.All;
        var addresses = host.Graph.Requests().SelectMany(r => r.To).Append(unknown).Append(known).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var address in addresses)
        {
            Assert.DoesNotContain(address, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(ReminderLedger.RecipientHash(address), logs, StringComparison.OrdinalIgnoreCase);
        }

        // The capture works: the links and the invitations went out and were logged, by signatory.
        Assert.Equal(2, host.Graph.Accepted().Count(r => r.To[0] == known && r.Subject == $"Uw persoonlijke link: voortgangsrapportage NAP 1325-IV over {cycle.Id}"));
        Assert.Contains(host.Graph.Accepted(), r => r.To[0] == host.ContactOf("ministry-defence", ContactRole.Secondary).Email && r.Subject.Contains(cycle.Id, StringComparison.Ordinal));
        Assert.True(sweep.Sent > 0);
        Assert.Contains("Link requested: 0 matching contact(s)", logs, StringComparison.Ordinal);
        Assert.Contains("Link requested: 1 matching contact(s)", logs, StringComparison.Ordinal);
        Assert.Contains("ReminderSent: cycle " + cycle.Id + ", signatory centrum-voor-gender, role primary", logs, StringComparison.Ordinal);
    }
}
