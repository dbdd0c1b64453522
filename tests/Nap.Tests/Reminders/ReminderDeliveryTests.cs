using Microsoft.Extensions.DependencyInjection;
using Nap.Graph;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>What reaches Graph, and what happens when Graph throttles, times out or is down: never a duplicate, never lost silently.</summary>
public sealed class ReminderDeliveryTests
{
    private const string Dutch = "ministry-defence";
    private const string English = "brug-foundation";
    private static readonly DateOnly Opens = new(2027, 6, 7);
    private static readonly DateTimeOffset OpeningMorning = new(2027, 6, 7, 6, 0, 0, TimeSpan.Zero);

    private static Task<ReminderWorld> WorldAsync(IDictionary<string, string?>? settings = null) =>
        ReminderWorld.CreateAsync(OpeningMorning, all => all.Where(s => s.Id is Dutch or English), settings);

    private static string Email(ReminderWorld world, string signatoryId, ContactRole role) =>
        world.Signatories.Single(s => s.Id == signatoryId).Contacts.Single(c => c.Role == role).Email;

    [Fact]
    public async Task By_default_invitations_go_as_html_json_with_save_to_sent_items_false()
    {
        // Every invitation carries a personal link: a copy in the mailbox's Sent Items would keep it there.
        await using var world = await WorldAsync();
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));

        var summary = await world.Sweep.RunAsync();

        var requests = world.Graph.Requests();
        Assert.Equal(6, summary.Sent);
        Assert.Equal(6, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.StartsWith("application/json", r.ContentType, StringComparison.OrdinalIgnoreCase);
            Assert.Null(r.Mime);
            Assert.False(r.SaveToSentItems); // present in the body and false, not merely missing
            Assert.Equal("html", r.JsonBodyType, ignoreCase: true);
        });
        var nl = requests.Single(r => r.To.SequenceEqual([Email(world, Dutch, ContactRole.Primary)]));
        Assert.Equal($"Uitnodiging: voortgangsrapportage NAP 1325-IV over {cycle.Id}", nl.Subject);
        var match = System.Text.RegularExpressions.Regex.Match(nl.Html, "href=\"https://nap1325\\.example\\.nl/api/form#token=([^\"]+)\"");
        Assert.True(match.Success, "the message carries the personal form link");
        Assert.Equal(Dutch, (await world.Tokens.ValidateAsync(match.Groups[1].Value))?.Subject);
    }

    [Fact]
    public async Task With_sent_items_on_invitations_go_as_mime_with_exact_recipients_language_and_a_link_whose_token_validates()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Graph:SaveToSentItems"] = "true" });
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));

        var summary = await world.Sweep.RunAsync();

        var requests = world.Graph.Requests();
        Assert.Equal(6, summary.Sent); // 2 × (primary, secondary) + 2 coordinators
        Assert.Equal(6, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal(GraphMock.Mailbox, r.Mailbox);
            Assert.Equal("Bearer " + world.Graph.Credential.Token, r.Authorization);
            // MIME: base64 of an RFC 5322 message as text/plain, with our own text and HTML renderings.
            Assert.StartsWith("text/plain", r.ContentType, StringComparison.OrdinalIgnoreCase);
            var mime = r.Mime!;
            var alternative = Assert.IsAssignableFrom<MimeKit.Multipart>(mime.Body);
            Assert.Equal("multipart/alternative", alternative.ContentType.MimeType);
            Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
            Assert.Equal(GraphMock.Mailbox, Assert.Single(mime.From.Mailboxes).Address);
            Assert.Empty(r.Cc);
            Assert.Null(r.SaveToSentItems); // not in a MIME request: Exchange keeps the copy in Sent Items
        });
        var byRecipient = requests.ToDictionary(r => Assert.Single(r.To));

        var nl = byRecipient[Email(world, Dutch, ContactRole.Primary)];
        Assert.Equal($"Uitnodiging: voortgangsrapportage NAP 1325-IV over {cycle.Id}", nl.Subject);
        Assert.Equal("nl", nl.Mime!.Body!.Headers[MimeKit.HeaderId.ContentLanguage]);
        Assert.Contains("<html lang=\"nl\">", nl.Html, StringComparison.Ordinal);
        Assert.Contains("maandag 12 juli 2027 om 17:00", nl.Html, StringComparison.Ordinal);
        Assert.Contains("maandag 12 juli 2027 om 17:00", nl.Text, StringComparison.Ordinal);
        Assert.StartsWith("Beste ", nl.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", nl.Text, StringComparison.Ordinal);
        var en = byRecipient[Email(world, English, ContactRole.Secondary)];
        Assert.Equal($"Invitation: NAP 1325-IV progress report for {cycle.Id}", en.Subject);
        Assert.Equal("en", en.Mime!.Body!.Headers[MimeKit.HeaderId.ContentLanguage]);
        Assert.Contains("Monday 12 July 2027 at 17:00 (Amsterdam time)", en.Html, StringComparison.Ordinal);
        Assert.Contains("Monday 12 July 2027 at 17:00 (Amsterdam time)", en.Text, StringComparison.Ordinal);
        Assert.Equal(world.Signatories.Single(s => s.Id == English).Contacts.Single(c => c.Role == ContactRole.Secondary).Name,
            Assert.Single(en.Mime!.To.Mailboxes).Name);
        Assert.DoesNotContain(Email(world, Dutch, ContactRole.Director), byRecipient.Keys);
        Assert.Contains(ReminderWorld.Coordinators[0], byRecipient.Keys);
        Assert.StartsWith("Overzicht NAP 1325-IV", byRecipient[ReminderWorld.Coordinators[1]].Subject, StringComparison.Ordinal);

        foreach (var (signatory, request) in new[] { (Dutch, nl), (English, en) })
        {
            var match = System.Text.RegularExpressions.Regex.Match(request.Html, "href=\"https://nap1325\\.example\\.nl/api/form#token=([^\"]+)\"");
            Assert.True(match.Success, "the message carries the personal form link");
            Assert.Contains("https://nap1325.example.nl/api/form#token=" + match.Groups[1].Value, request.Text, StringComparison.Ordinal);
            var principal = await world.Tokens.ValidateAsync(match.Groups[1].Value);
            Assert.NotNull(principal);
            Assert.Equal(TokenRole.Signatory, principal.Role);
            Assert.Equal(signatory, principal.Subject);
            Assert.Equal(cycle.Id, principal.CycleId);
        }

        // Logs name signatories and roles, never an address.
        foreach (var address in byRecipient.Keys) Assert.DoesNotContain(address, world.Logs.All, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ReminderSweepCompleted", world.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_with_retry_after_then_accepted_is_one_email()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:Coordinators"] = "" });
        await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        world.Graph.FailFirst(1, 429, retryAfterSeconds: 1);

        var summary = await world.Sweep.RunAsync();
        var second = await world.Sweep.RunAsync();

        Assert.Equal(4, summary.Sent);
        Assert.Equal(0, second.Sent);
        var requests = world.Graph.Requests();
        var throttled = requests.Count(r => r.Status == 429);
        Assert.Equal(1, throttled);
        Assert.Equal(5, requests.Count); // the 429 was retried inside the same call
        Assert.Equal(4, world.Graph.Accepted().Select(r => r.To[0]).Distinct().Count());
        Assert.Equal(4, world.Graph.Accepted().Count);
    }

    [Fact]
    public async Task A_gateway_timeout_is_uncertain_never_sent_again_and_listed_in_the_digest()
    {
        await using var world = await WorldAsync();
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        var unlucky = Email(world, English, ContactRole.Primary);
        world.Graph.AnswerFor(unlucky, 504);

        var first = await world.Sweep.RunAsync();
        world.SetTime(OpeningMorning.AddHours(2));
        var second = await world.Sweep.RunAsync();

        Assert.Equal(1, first.Uncertain);
        Assert.Equal(0, second.Sent + second.Uncertain + second.NotAccepted);
        Assert.Equal(1, world.Graph.Requests().Count(r => r.To[0] == unlucky)); // tried once, never again
        var entry = Assert.Single(await world.Ledger.ListAsync(cycle.Id), e => e.SignatoryId == English && e.Role == "primary");
        Assert.Equal(LedgerStatus.Uncertain, entry.Status);
        Assert.Equal("504", entry.LastResult);
        var digest = world.Mail.Sends.Single(s => s.Mail.To[0].Email == ReminderWorld.Coordinators[0]).Mail;
        Assert.Contains($"Onzeker of verzonden: {world.Signatories.Single(s => s.Id == English).Name} (primary, invitation, 504)", digest.Text, StringComparison.Ordinal);
        Assert.Contains("ReminderSendUncertain", world.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_down_is_not_accepted_retried_next_run_and_one_email_in_the_end()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:Coordinators"] = "" });
        await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        var port = world.Graph.Port;
        world.Graph.Server.Stop();
        // Stop returns before the listener is gone; a connection accepted and then dropped would rightly count as uncertain.
        await RefusedAsync(port);

        var down = await world.Sweep.RunAsync();
        Assert.Equal(4, down.NotAccepted);
        Assert.Contains("ReminderSendFailed", world.Logs.All, StringComparison.Ordinal);

        using var back = new GraphMock(port);
        world.SetTime(OpeningMorning.AddHours(1));
        var up = await world.Sweep.RunAsync();
        var again = await world.Sweep.RunAsync();

        Assert.Equal(4, up.Sent);
        Assert.Equal(0, again.Sent);
        Assert.Equal(4, back.Accepted().Count);
        Assert.Equal(4, back.Accepted().Select(r => r.To[0]).Distinct().Count());
    }

    [Fact]
    public async Task Refused_on_every_attempt_is_failed_reported_and_no_longer_tried()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:MaxSendAttempts"] = "2", ["Graph:MaxRetries"] = "0" });
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        var refused = Email(world, Dutch, ContactRole.Secondary);
        world.Graph.AnswerFor(refused, 429, retryAfterSeconds: 1);

        await world.Sweep.RunAsync();
        world.SetTime(OpeningMorning.AddHours(1));
        var second = await world.Sweep.RunAsync();
        world.SetTime(OpeningMorning.AddHours(2));
        var third = await world.Sweep.RunAsync();

        Assert.Equal(1, second.Failed);
        Assert.Equal(0, third.Sent + third.Failed + third.NotAccepted);
        Assert.Equal(2, world.Graph.Requests().Count(r => r.To[0] == refused));
        var entry = Assert.Single(await world.Ledger.ListAsync(cycle.Id), e => e.SignatoryId == Dutch && e.Role == "secondary");
        Assert.Equal(LedgerStatus.Failed, entry.Status);
        Assert.Equal(2, entry.Attempts);
    }

    [Fact]
    public async Task Throttled_until_the_clients_own_retries_are_used_up_is_not_accepted_and_sent_by_the_next_run()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:Coordinators"] = "", ["Graph:MaxRetries"] = "2" });
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        var throttled = Email(world, English, ContactRole.Primary);
        world.Graph.AnswerFor(throttled, 429, retryAfterSeconds: 1);

        var first = await world.Sweep.RunAsync();

        Assert.Equal((3, 1, 0, 0), (first.Sent, first.NotAccepted, first.Uncertain, first.Failed));
        Assert.Equal([429, 429, 429], world.Graph.Requests().Where(r => r.To[0] == throttled).Select(r => r.Status)); // the call and both retries
        var entry = Assert.Single(await world.Ledger.ListAsync(cycle.Id), e => e.SignatoryId == English && e.Role == "primary");
        Assert.Equal((LedgerStatus.NotAccepted, 1, "429"), (entry.Status, entry.Attempts, entry.LastResult));

        world.Graph.AcceptAll(); // also clears the request log
        world.SetTime(OpeningMorning.AddHours(1));
        var second = await world.Sweep.RunAsync();
        var third = await world.Sweep.RunAsync();

        Assert.Equal(1, second.Sent);
        Assert.Equal(0, third.Sent);
        Assert.Equal([throttled], world.Graph.Accepted().Select(r => Assert.Single(r.To)));
        entry = Assert.Single(await world.Ledger.ListAsync(cycle.Id), e => e.SignatoryId == English && e.Role == "primary");
        Assert.Equal((LedgerStatus.Sent, 2), (entry.Status, entry.Attempts));
    }

    [Fact]
    public async Task Links_and_receipts_the_process_did_not_get_to_send_are_sent_once_by_the_next_sweep()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:Coordinators"] = "" });
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        Assert.Equal(4, (await world.Sweep.RunAsync()).Sent); // the invitations
        world.SetTime(OpeningMorning.AddHours(3));
        var asked = Email(world, Dutch, ContactRole.Secondary);

        // The host is stopping: a link request still claims its email; a receipt, claimed in the background, is not
        // claimed at all; nothing more leaves.
        await world.Background.StopAsync(CancellationToken.None);
        await world.Services.GetRequiredService<ReminderLinks>().RequestAsync(asked, "192.0.2.1");
        await world.SubmitAsync(cycle.Id, English);

        Assert.Equal(4, world.Graph.Requests().Count);
        var pending = (await world.Ledger.ListAsync(cycle.Id)).Where(e => e.Status == LedgerStatus.Pending).ToList();
        Assert.Equal(["link/secondary"], pending.Select(e => $"{(Stages.IsLink(e.Stage) ? "link" : e.Stage)}/{e.Role}"));
        Assert.DoesNotContain(await world.Ledger.ListAsync(cycle.Id), e => e.Stage.StartsWith("receipt", StringComparison.Ordinal));

        // The sweep sends the pending link, and its receipt catch-up claims and sends both receipts.

        var sweep = await world.Sweep.RunAsync();
        var again = await world.Sweep.RunAsync();

        Assert.Equal(3, sweep.Sent);
        Assert.Equal(0, again.Sent);
        var later = world.Graph.Accepted().Skip(4).ToList();
        Assert.Equal($"Uw persoonlijke link: voortgangsrapportage NAP 1325-IV over {cycle.Id}", Assert.Single(later, r => r.To[0] == asked).Subject);
        Assert.Equal(
            new[] { Email(world, English, ContactRole.Primary), Email(world, English, ContactRole.Secondary) }.Order(),
            later.Where(r => r.Subject.StartsWith("Receipt", StringComparison.Ordinal)).Select(r => r.To[0]).Order());
        Assert.Equal(3, later.Count);
        Assert.All(await world.Ledger.ListAsync(cycle.Id), e => Assert.Equal(LedgerStatus.Sent, e.Status));
    }

    [Fact]
    public async Task Overlapping_sweeps_send_each_message_once()
    {
        await using var world = await WorldAsync();
        await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => world.Sweep.RunAsync())));

        Assert.Equal(6, runs.Sum(r => r.Sent));
        Assert.Equal(6, world.Graph.Accepted().Count);
        Assert.Equal(6, world.Graph.Accepted().Select(r => r.To[0]).Distinct().Count());
    }

    [Fact]
    public async Task A_crash_after_claiming_and_starting_a_send_is_recorded_uncertain_not_repeated()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:Coordinators"] = "" });
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        var crashed = Email(world, Dutch, ContactRole.Primary);
        // A run that claimed the invitation and marked it as being sent, then died.
        var claimed = await world.Ledger.TryClaimAsync(new LedgerEntry(cycle.Id, Dutch, "invitation", ReminderLedger.RecipientHash(crashed), "primary",
            LedgerStatus.Pending, 0, world.Time.GetUtcNow(), null, null, null));
        Assert.NotNull(await world.Ledger.TryUpdateAsync(claimed! with { Status = LedgerStatus.Sending, Attempts = 1, LastAttemptAt = world.Time.GetUtcNow() }));

        var early = await world.Sweep.RunAsync();
        world.SetTime(OpeningMorning.AddMinutes(30));
        var late = await world.Sweep.RunAsync();

        Assert.Equal(3, early.Sent);
        Assert.Equal(1, late.Uncertain);
        Assert.DoesNotContain(world.Graph.Requests(), r => r.To[0] == crashed);
        var entry = Assert.Single(await world.Ledger.ListAsync(cycle.Id), e => e.SignatoryId == Dutch && e.Role == "primary");
        Assert.Equal(LedgerStatus.Uncertain, entry.Status);
    }

    [Fact]
    public async Task A_receipt_goes_to_primary_and_secondary_once_with_version_time_and_hash()
    {
        await using var world = await WorldAsync(new Dictionary<string, string?> { ["Reminders:Coordinators"] = "" });
        var cycle = await world.CreateCycleAsync(Opens, new DateTime(2027, 7, 12, 17, 0, 0));
        world.SetTime(OpeningMorning.AddHours(3));

        var receipt = await world.SubmitAsync(cycle.Id, English);
        var sweep = await world.Sweep.RunAsync(); // catch-up finds the receipts already sent

        var receipts = world.Graph.Accepted().Where(r => r.Subject.StartsWith("Receipt", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            new[] { Email(world, English, ContactRole.Primary), Email(world, English, ContactRole.Secondary) }.Order(),
            receipts.Select(r => r.To[0]).Order());
        Assert.All(receipts, r =>
        {
            Assert.Equal($"Receipt: NAP 1325-IV progress report for {cycle.Id}, version 1", r.Subject);
            Assert.Contains(receipt.Sha256, r.Html, StringComparison.Ordinal);
            // As people write a time, in the signatory's language and Amsterdam time; not the API's ISO 8601.
            Assert.Contains(Nap.Api.AmsterdamTime.FormatForPeople(receipt.ReceivedAt, "en"), r.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(receipt.ReceivedAtLocal, r.Html, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(world.Graph.Requests(), r => r.To[0] == Email(world, English, ContactRole.Director));
        // The sweep sends the Dutch signatory its invitation, and nothing to the one that submitted.
        Assert.Equal(2, sweep.Sent);
        Assert.All(world.Graph.Requests().Where(r => r.Subject.StartsWith("Uitnodiging", StringComparison.Ordinal)), r => Assert.Contains(r.To[0], world.Signatories.Single(s => s.Id == Dutch).Contacts.Select(c => c.Email)));
        Assert.DoesNotContain(world.Graph.Requests(), r => r.Subject.StartsWith("Invitation", StringComparison.Ordinal));
    }

    private static async Task RefusedAsync(int port)
    {
        // "localhost" may mean either loopback address: both must refuse.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (!await AcceptsAsync(System.Net.IPAddress.Loopback) && !await AcceptsAsync(System.Net.IPAddress.IPv6Loopback)) return;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"Port {port} still accepts connections after the mock was stopped.");

        async Task<bool> AcceptsAsync(System.Net.IPAddress address)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient(address.AddressFamily);
                await client.ConnectAsync(address, port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
    }
}
