using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;
using Nap.Cycles;
using Nap.DevHost;
using Nap.Graph;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reminders;

/// <summary>The dev host with a fake clock, WireMock as Graph, the sample registry narrowed to a few signatories, and only this fixture's cycles.</summary>
public sealed class RemindersHostFixture : DevHostFixture
{
    public static readonly string[] Picked = ["ministry-defence", "brug-foundation", "centrum-voor-gender", "stichting-stem-nu", "gender-foundation"];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 5, 10, 5, 0, 0, TimeSpan.Zero));
    public GraphMock Graph { get; } = new();
    public ScopedCycles Cycles => (ScopedCycles)Services.GetRequiredService<ICycleStore>();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Graph:Mailbox"] = GraphMock.Mailbox,
        ["Graph:BaseUrl"] = Graph.BaseUrl,
        ["Reminders:Coordinators"] = "",
        ["Reminders:MessagesPerMinute"] = "100000",
        ["Reminders:LinkResponseMilliseconds"] = "300",
    };

    /// <summary>Storage errors for ledger inserts, switched on per cycle by a test.</summary>
    public LedgerFaults LedgerFaults { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddSingleton(new NapStorage(new BlobServiceClient(Azurite.ConnectionString), new TableServiceClient(Azurite.ConnectionString, LedgerFaults.Options())));
        builder.Services.AddSingleton<GraphServiceClient>(sp => GraphClientBuilder.Create(sp.GetRequiredService<GraphOptions>(), Graph.Credential));
        builder.Services.AddSingleton<ICycleStore>(sp => new ScopedCycles(ActivatorUtilities.CreateInstance<TableCycleStore>(sp)));
        builder.Services.AddSingleton<ISignatoryRegistry>(sp => new PickedRegistry(ActivatorUtilities.CreateInstance<TableSignatoryRegistry>(sp), Picked.ToHashSet()));
    }

    public async Task<ReportingCycle> CreateScopedCycleAsync(int openedDaysAgo = 10, int deadlineInDays = 30)
    {
        var cycle = await CreateCycleAsync(openedDaysAgo, deadlineInDays);
        Cycles.Include(cycle.Id);
        return cycle;
    }

    public Contact ContactOf(string signatoryId, ContactRole role) => Signatories.Single(s => s.Id == signatoryId).Contacts.Single(c => c.Role == role);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Graph.Dispose();
    }
}

/// <summary>The HTTP endpoints and the timer, through the dev host.</summary>
public sealed class ReminderApiTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    private static JsonContent Body(object value) => JsonContent.Create(value);

    [Fact]
    public async Task One_client_over_its_hourly_link_requests_gets_429_problem_json_with_retry_after()
    {
        // The client is the first hop of X-Forwarded-For, as Azure's front ends set it (default limit 20 an hour).
        async Task<HttpResponseMessage> Ask()
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "api/links") { Content = Body(new { email = "flood@example.org" }) };
            message.Headers.Add("X-Forwarded-For", "198.51.100.77:40000");
            return await host.Client.SendAsync(message);
        }
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.Accepted, (await Ask()).StatusCode);

        var refused = await Ask();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.DoesNotContain("flood@example.org", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_requests_answer_202_for_known_and_unknown_alike_and_only_known_get_mail_up_to_the_hourly_limit()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var known = host.ContactOf("brug-foundation", ContactRole.Secondary).Email;
        const string unknown = "nobody.here@example.org";
        var inactive = host.ContactOf("gender-foundation", ContactRole.Primary).Email;

        foreach (var address in new[] { known, unknown, inactive, known.ToUpperInvariant() })
        {
            var watch = Stopwatch.StartNew();
            var response = await host.Client.PostAsync("api/links", Body(new { email = address }));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.True(watch.ElapsedMilliseconds >= 300, "every answer takes the same minimum time");
        }
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("api/links", Body(new { email = known }))).StatusCode);
        await host.Services.GetRequiredService<BackgroundSends>().WhenIdleAsync(); // the emails leave in the background

        var links = host.Graph.Accepted().Where(r => r.Subject == $"Your personal link: NAP 1325-IV progress report for {cycle.Id}").ToList();
        Assert.Equal(3, links.Count); // six requests for the known address, three an hour
        Assert.All(links, r => Assert.Equal([known], r.To));
        Assert.DoesNotContain(host.Graph.Requests(), r => r.To.Contains(unknown) || r.To.Contains(inactive));
        var token = System.Text.RegularExpressions.Regex.Match(links[0].Html, "#token=([^\"]+)\"").Groups[1].Value;
        Assert.All(links, r => Assert.False(r.SaveToSentItems)); // no copy of a personal link stays in Sent Items
        var principal = await host.Tokens.ValidateAsync(token);
        Assert.Equal(("brug-foundation", cycle.Id), (principal!.Subject, principal.CycleId));
        Assert.DoesNotContain(known, host.Logs.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(unknown, host.Logs.All, StringComparison.OrdinalIgnoreCase);

        var malformed = await host.Client.PostAsync("api/links", Body(new { email = "not an address" }));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);

        // The ledger shows what went out, by role and hash, without an address.
        using var coordinator = host.CoordinatorClient();
        var ledger = await coordinator.GetAsync($"api/cycles/{cycle.Id}/reminders");
        Assert.Equal(HttpStatusCode.OK, ledger.StatusCode);
        var text = await ledger.Content.ReadAsStringAsync();
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
        var rows = JsonNode.Parse(text)!.AsArray();
        Assert.Equal(3, rows.Count(r => ((string)r!["stage"]!).StartsWith("link-", StringComparison.Ordinal) && (string)r["status"]! == "sent" && (string)r["role"]! == "secondary"));
    }

    [Fact]
    public async Task Coordinators_pause_and_extend_per_signatory_recorded_with_who_and_when()
    {
        var cycle = await host.CreateScopedCycleAsync();
        using var coordinator = host.CoordinatorClient();
        using var signatory = host.SignatoryClient("ministry-defence", cycle.Id);
        var now = host.Time.GetUtcNow();

        var pause = await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders", Body(new { paused = true }));
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        var paused = (await pause.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)paused["remindersPaused"]!);
        Assert.Equal(StaffPrincipals.ObjectId, (string)paused["changedBy"]!);
        Assert.Equal(now, (DateTimeOffset)paused["changedAt"]!);

        var extend = await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/extension", Body(new { deadline = cycle.Deadline.AddDays(14).ToString("yyyy-MM-dd'T'HH:mm") }));
        Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
        var extended = (await extend.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)extended["remindersPaused"]!); // the pause stays
        var status = (await (await coordinator.GetAsync($"api/cycles/{cycle.Id}/status")).Content.ReadFromJsonAsync<JsonObject>())!;
        var row = status["signatories"]!.AsArray().Single(s => (string)s!["signatoryId"]! == "ministry-defence")!;
        Assert.StartsWith(cycle.Deadline.AddDays(14).ToString("yyyy-MM-dd'T'HH:mm"), (string)row["deadline"]!);
        Assert.True((bool)row["remindersPaused"]!);

        var tooEarly = await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/extension", Body(new { deadline = cycle.Deadline.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm") }));
        Assert.Equal((HttpStatusCode)422, tooEarly.StatusCode);
        Assert.Equal("/deadline", (string)(await tooEarly.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![0]!["pointer"]!);

        // A signatory's link is no staff sign-in; a reader is signed in but may not change anything.
        Assert.Equal(HttpStatusCode.Unauthorized, (await signatory.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders", Body(new { paused = false }))).StatusCode);
        using (var reader = host.StaffClient(Nap.Security.StaffRoles.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders", Body(new { paused = false }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/extension", Body(new { deadline = (string?)null }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/no-such-signatory/reminders", Body(new { paused = true }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders", Body(new { }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signatory.GetAsync($"api/cycles/{cycle.Id}/reminders")).StatusCode);

        var removed = await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/extension", Body(new { deadline = (string?)null }));
        Assert.Null((await removed.Content.ReadFromJsonAsync<JsonObject>())!["extendedDeadline"]);
    }

    [Fact]
    public async Task The_timer_schedule_setting_is_in_functions_metadata_served_by_the_dev_host_and_fires_the_sweep()
    {
        using (var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(DevHostFixture.MetadataFile)))
        {
            var function = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "SendReminders");
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "timerTrigger");
            Assert.Equal("%Reminders:Schedule%", trigger.GetProperty("schedule").GetString());
            Assert.False(trigger.TryGetProperty("runOnStartup", out var r) && r.GetBoolean());
        }
        var served = host.Services.GetRequiredService<ServedFunctions>().All.Single(f => f.Name == "SendReminders");
        Assert.Equal(TriggerKind.Timer, served.Kind);
        Assert.Equal("0 0 6 * * *", FunctionCatalog.Expand(served.Schedule!, k => host.Services.GetRequiredService<IConfiguration>()[k.Replace("__", ":", StringComparison.Ordinal)]));

        // A cycle that opens today: at 06:00 UTC the timer runs the sweep and the invitations go out.
        var cycle = await host.CreateScopedCycleAsync(openedDaysAgo: 0, deadlineInDays: 40);
        var expected = host.Signatories.Where(s => s.Active && RemindersHostFixture.Picked.Contains(s.Id))
            .SelectMany(s => s.ContactsIn(ContactRole.Primary, ContactRole.Secondary)).Select(c => c.Email).Order().ToList();
        List<string> Invitations() => host.Graph.Accepted().Where(r => r.Subject.Contains(cycle.Id, StringComparison.Ordinal)
                && (r.Subject.StartsWith("Uitnodiging", StringComparison.Ordinal) || r.Subject.StartsWith("Invitation", StringComparison.Ordinal)))
            .Select(r => r.To[0]).Order().ToList();
        Assert.Empty(Invitations());

        var sixOClock = new DateTimeOffset(2027, 5, 10, 6, 0, 1, TimeSpan.Zero);
        Assert.True(host.Time.GetUtcNow() < sixOClock, "nothing else moves this fixture's clock");
        host.Time.SetUtcNow(sixOClock);
        // Graph's answer to the last invitation comes before the sweep logs its end: wait for both.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((Invitations().Count < expected.Count || !host.Logs.All.Contains("ReminderSweepCompleted", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        Assert.Equal(expected, Invitations());
        Assert.Contains("ReminderSweepCompleted", host.Logs.All, StringComparison.Ordinal);
    }
}
