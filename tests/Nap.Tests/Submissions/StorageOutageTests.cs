using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nap.Cycles;
using Nap.DevHost;
using Nap.LocalAzurite;
using Nap.Reports;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nap.Tests.Submissions;

/// <summary>
/// Alone: these tests freeze storage for seconds and measure how soon things recover; on a busy 2-core machine other
/// classes' load would blur that, and nothing else may use their Azurite anyway.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StorageOutageCollection
{
    public const string Name = "Storage outages";
}

/// <summary>
/// The dev host on an Azurite of its own, which the tests freeze (SIGSTOP) and resume. Short budgets throughout, so an
/// outage of a few seconds shows what one of minutes would: a storage operation gets 6 s (three tries of 1.5 s).
/// </summary>
public sealed class OutageHost : DevHostFixture
{
    public const int BudgetSeconds = 6;
    public const int MaxDelaySeconds = 6;

    public AzuriteProcess Storage { get; } = AzuriteProcess.Start();
    public string PublishFolder { get; } = Path.Combine(Path.GetTempPath(), "nap-outage-published-" + Guid.NewGuid().ToString("N"));

    protected override string StorageConnectionString => Storage.ConnectionString;

    public static Dictionary<string, string?> OutageSettings(string publishFolder) => new()
    {
        ["Storage:RequestBudgetSeconds"] = BudgetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Reports:CoalesceSeconds"] = "2",
        ["Reports:MaxDelaySeconds"] = MaxDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Longer than any freeze here: a holder that met the outage must not just wait for its lease to run out.
        ["Reports:LeaseSeconds"] = "60",
        // Once a year: a draft that catches up does so by itself, not through the recovery timer.
        ["Reports:RecoverySchedule"] = "0 0 0 1 1 *",
        ["SharePoint:LocalFolder"] = publishFolder,
        ["DevHost:BlobRetryDelayMilliseconds"] = "500",
        ["DevHost:BlobMaxAttempts"] = "8",
    };

    protected override IDictionary<string, string?> Settings => OutageSettings(PublishFolder);

    public override async Task DisposeAsync()
    {
        Storage.Resume();
        await base.DisposeAsync();
        Storage.Dispose();
        if (Directory.Exists(PublishFolder)) Directory.Delete(PublishFolder, true);
    }
}

[Collection(StorageOutageCollection.Name)]
public sealed class StorageOutageTests(OutageHost host, ITestOutputHelper output) : IClassFixture<OutageHost>
{
    private static readonly TimeSpan Freeze = TimeSpan.FromSeconds(8);

    private sealed record Answer(HttpStatusCode Status, TimeSpan? RetryAfter, string? MediaType, string? Type, string? Detail);

    /// <summary>
    /// A client as the form is: on 503 it waits (Retry-After, capped at 2 s to keep the test short) and sends the same
    /// body with the same Idempotency-Key again, until it gets its receipt.
    /// </summary>
    private static async Task<JsonObject> SubmitUntilStoredAsync(HttpClient client, string cycleId, JsonObject body, ConcurrentQueue<Answer> answers)
    {
        var key = Guid.NewGuid().ToString();
        for (var attempt = 1; attempt <= 40; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycleId}/submissions")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
            var answer = new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType,
                (string?)json?["type"], (string?)json?["detail"]);
            answers.Enqueue(answer);
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK) return json!;
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable) return json ?? new JsonObject { ["status"] = (int)response.StatusCode };
            var wait = answer.RetryAfter ?? TimeSpan.FromSeconds(1);
            await Task.Delay(wait < TimeSpan.FromSeconds(2) ? wait : TimeSpan.FromSeconds(2));
        }
        throw new TimeoutException("Still not stored after 40 attempts.");
    }

    private static string Sha256(JsonObject body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body.ToJsonString())));

    [Fact]
    public async Task Concurrent_submissions_through_a_storage_freeze_get_503_with_retry_after_or_success_never_500_and_retries_store_each_exactly_once()
    {
        var cycle = await host.CreateCycleAsync();
        var signatories = host.ActiveSignatories.Take(12).Select(s => s.Id).ToList();
        var answers = new ConcurrentQueue<Answer>();
        var receipts = new ConcurrentDictionary<(string, int), JsonObject>();

        var clients = signatories.Select(async (signatory, i) =>
        {
            using var client = host.SignatoryClient(signatory, cycle.Id);
            client.Timeout = TimeSpan.FromSeconds(OutageHost.BudgetSeconds * 5);
            // Spread over the freeze: some requests are in flight when it begins, some start during it.
            await Task.Delay(TimeSpan.FromMilliseconds(300 * i));
            for (var n = 1; n <= 2; n++)
                receipts[(signatory, n)] = await SubmitUntilStoredAsync(client, cycle.Id, SampleSubmissions.Valid(i * 10 + n), answers);
        }).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1));
        host.Storage.Freeze();
        await Task.Delay(Freeze);
        host.Storage.Resume();
        await Task.WhenAll(clients);

        var byStatus = answers.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", byStatus.Select(kv => $"{(int)kv.Key}: {kv.Value}")));
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var unavailable = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(unavailable); // the freeze was felt at all
        Assert.All(unavailable, a =>
        {
            Assert.True(a.RetryAfter > TimeSpan.Zero, "503 without Retry-After");
            Assert.Equal("application/problem+json", a.MediaType);
            Assert.Equal("urn:nap1325:problem:storage-unavailable", a.Type);
            Assert.Contains("same Idempotency-Key", a.Detail, StringComparison.Ordinal);
        });

        // Nothing lost, nothing twice: each signatory has exactly its two versions, with the bodies it sent, in order.
        var index = host.Services.GetRequiredService<ISubmissionIndex>();
        foreach (var (signatory, i) in signatories.Select((s, i) => (s, i)))
        {
            var versions = await index.ListVersionsAsync(cycle.Id, signatory);
            Assert.Equal([1, 2], versions.Select(v => v.Receipt.Version).Order());
            foreach (var v in versions)
            {
                Assert.Equal(Sha256(SampleSubmissions.Valid(i * 10 + v.Receipt.Version)), v.Receipt.Sha256);
                Assert.Equal(v.Receipt.Version, (int)receipts[(signatory, v.Receipt.Version)]["version"]!);
            }
        }
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("SubmitProgress failed with", StringComparison.Ordinal) || l.Contains("Submit failed with", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("Submit answered 503: storage unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_turns_503_naming_storage_while_it_is_frozen_and_healthy_again_after()
    {
        var healthy = await host.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        var body = (await healthy.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("healthy", (string)body["status"]!);
        Assert.Equal("reachable", (string)body["dependencies"]!["tableStorage"]!);
        Assert.Equal("reachable", (string)body["dependencies"]!["blobStorage"]!);

        host.Storage.Freeze();
        HttpResponseMessage? down;
        try
        {
            down = await PollAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20));
        }
        finally
        {
            host.Storage.Resume();
        }
        Assert.True(down is not null, "Health stayed 200 through a storage freeze.");
        Assert.True(down.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var text = await down.Content.ReadAsStringAsync();
        var unhealthy = JsonNode.Parse(text)!;
        Assert.Equal("unhealthy", (string)unhealthy["status"]!);
        Assert.Equal(["blobStorage", "tableStorage"], unhealthy["unreachable"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));
        // Names the dependency, nothing about it: no account, key, endpoint or exception text.
        foreach (var secret in new[] { "devstoreaccount1", "AccountKey", "127.0.0.1", "Exception", "timeout" })
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);

        var back = await PollAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        Assert.True(back is not null, "Health did not recover after storage came back.");
    }

    private async Task<HttpResponseMessage?> PollAsync(HttpStatusCode wanted, TimeSpan within)
    {
        var giveUp = Stopwatch.StartNew();
        while (giveUp.Elapsed < within)
        {
            var response = await host.Client.GetAsync("api/health");
            if (response.StatusCode == wanted) return response;
            await Task.Delay(250);
        }
        return null;
    }

    [Fact]
    public async Task A_draft_whose_compiler_meets_a_freeze_catches_up_within_the_maximum_delay_after_storage_returns()
    {
        var cycle = await host.CreateCycleAsync();
        var signatories = host.ActiveSignatories.Take(2).Select(s => s.Id).ToList();
        var answers = new ConcurrentQueue<Answer>();
        using (var first = host.SignatoryClient(signatories[0], cycle.Id))
            await SubmitUntilStoredAsync(first, cycle.Id, SampleSubmissions.Valid(1), answers);
        var store = host.Services.GetRequiredService<ReportStore>();
        Assert.True(await WaitForAsync(async () => (await store.ListAsync(cycle.Id)) is [{ Submissions: 1 }, ..], TimeSpan.FromSeconds(30)),
            "The first draft was not compiled.");

        using (var second = host.SignatoryClient(signatories[1], cycle.Id))
            await SubmitUntilStoredAsync(second, cycle.Id, SampleSubmissions.Valid(2), answers);
        // The event's compiler holds the lease and waits out the quiet period: freeze storage under it.
        var schedule = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(ReportStorageNames.VersionsTable);
        Assert.True(await WaitForAsync(async () =>
            (await schedule.GetEntityIfExistsAsync<TableEntity>(cycle.Id, ReportStore.ScheduleKey)).Value?.GetString("Owner") is { Length: > 0 },
            TimeSpan.FromSeconds(20)), "No compiler took the draft's lease.");
        host.Storage.Freeze();
        await Task.Delay(Freeze + TimeSpan.FromSeconds(4));
        host.Storage.Resume();
        var resumed = Stopwatch.StartNew();

        var caughtUp = await WaitForAsync(async () =>
            (await store.ListAsync(cycle.Id)) is [{ Submissions: 2, Status: "compiled" }, ..], TimeSpan.FromSeconds(OutageHost.MaxDelaySeconds + 30));
        output.WriteLine($"Draft with both submissions {(caughtUp ? "compiled" : "missing")} {resumed.Elapsed.TotalSeconds:F1} s after storage returned (max delay {OutageHost.MaxDelaySeconds} s).");
        Assert.True(caughtUp, "The draft did not catch up after the outage.");
        Assert.True(resumed.Elapsed < TimeSpan.FromSeconds(OutageHost.MaxDelaySeconds + OutageHost.BudgetSeconds + 10),
            $"The draft caught up only {resumed.Elapsed.TotalSeconds:F0} s after storage returned.");
        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var giveUp = Stopwatch.StartNew();
        while (giveUp.Elapsed < within)
        {
            try
            {
                if (await condition()) return true;
            }
            catch (Exception ex) when (StorageFailure.IsTransient(ex))
            {
            }
            await Task.Delay(200);
        }
        return false;
    }

    [Fact]
    public async Task An_app_that_starts_while_storage_is_frozen_serves_submissions_once_it_is_back_and_keeps_running()
    {
        using var azurite = AzuriteProcess.Start();
        var publish = Path.Combine(Path.GetTempPath(), "nap-coldstart-" + Guid.NewGuid().ToString("N"));
        var settings = OutageHost.OutageSettings(publish);
        settings["NapStorage"] = settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings["Nap:RegistryCacheSeconds"] = "0";
        settings["DevHost:MetadataFile"] = DevHostFixture.MetadataFile;
        settings["DevHost:BlobPollMilliseconds"] = "200";
        var port = Azurite.FreePort();
        var logs = new LogSink();
        WebApplication Build() => DevHostApp.Build(["--urls", $"http://127.0.0.1:{port}"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
        });

        // The registry and an open cycle exist in storage; this process has never touched it.
        ReportingCycle cycle;
        Signatory signatory;
        await using (var seeding = Build())
        {
            var cycles = seeding.Services.GetRequiredService<ICycleStore>();
            var seeded = await SampleData.SeedAsync(seeding.Services.GetRequiredService<ISignatoryRegistry>(), cycles);
            signatory = seeded.Signatories.First(s => s.Active && s.Contacts.Count > 0);
            var today = DateTime.UtcNow.Date;
            cycle = new ReportingCycle("4100", new DateOnly(4100, 1, 1), new DateOnly(4100, 12, 31), DateOnly.FromDateTime(today.AddDays(-10)),
                today.AddDays(30).AddHours(17), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
            await cycles.UpsertAsync(cycle);
        }

        azurite.Freeze();
        await using var app = Build();
        try
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(OutageHost.BudgetSeconds * 5) };
            // Minting a link needs no storage: the local key signs it, and it names the signatory's first contact.
            var link = new LinkClaims(signatory.Id, cycle.Id, Nap.Reminders.ReminderLedger.RecipientHash(signatory.Contacts[0].Email));
            client.DefaultRequestHeaders.Authorization = new("Bearer", await app.Services.GetRequiredService<TokenService>().IssueAsync(link, DateTimeOffset.UtcNow.AddDays(20)));
            var body = SampleSubmissions.Valid(5).ToJsonString();
            HttpRequestMessage Submit()
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/submissions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", "cold-start-" + cycle.Id);
                return request;
            }

            // Storage is down from the first use of every table and container in this process: 503, not a hang, not 500.
            var refused = await client.SendAsync(Submit());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("api/health")).StatusCode);

            azurite.Resume();
            // Storage is up once it answers (right after SIGCONT node first drops the connections that idled meanwhile).
            Assert.True(await WaitForAsync(async () => (await client.GetAsync("api/health")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)),
                "Health did not recover.");
            // The failed creations of tables and containers were not kept: the same request now goes through, once.
            var stored = await client.SendAsync(Submit());
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            var versions = await app.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory.Id);
            Assert.Equal(1, Assert.Single(versions).Receipt.Version);

            // The blob watcher, which could not list its container at start, did not stop the host, and fires now.
            Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
            Assert.True(await WaitForAsync(async () => (await app.Services.GetRequiredService<ReportStore>().ListAsync(cycle.Id)).Count > 0
                || logs.Lines.Any(l => l.Contains($"Submission stored in cycle {cycle.Id}", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
                "The draft trigger never fired after storage came back.");
        }
        finally
        {
            azurite.Resume();
            await app.StopAsync();
            if (Directory.Exists(publish)) Directory.Delete(publish, true);
        }
    }

    /// <summary>The dev host on its own Azurite, whose draft function always fails (its service cannot be built).</summary>
    private sealed class BrokenDraftHost : DevHostFixture
    {
        public AzuriteProcess Storage { get; } = AzuriteProcess.Start();
        protected override string StorageConnectionString => Storage.ConnectionString;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["DevHost:BlobMaxAttempts"] = "3",
            ["DevHost:BlobRetryDelayMilliseconds"] = "200",
        };

        protected override void Configure(WebApplicationBuilder builder) =>
            builder.Services.AddSingleton<ReportService>(_ => throw new InvalidOperationException("The draft compiler is broken on purpose."));

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Storage.Dispose();
        }
    }

    [Fact]
    public async Task The_dev_host_redelivers_a_failing_blob_event_with_backoff_then_logs_it_as_given_up_and_keeps_running()
    {
        var broken = new BrokenDraftHost();
        await broken.InitializeAsync();
        try
        {
            var cycle = await broken.CreateCycleAsync();
            using var client = broken.SignatoryClient(broken.ActiveSignatories.First().Id, cycle.Id);
            var stored = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(SampleSubmissions.Valid(1).ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);

            Assert.True(await WaitForAsync(() => Task.FromResult(broken.Logs.Lines.Any(l => l.Contains("Blob function CompileDraftReport failed 3 times", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30)), "The failing event was not given up on after 3 attempts.");
            var attempts = broken.Logs.Lines.Where(l => l.Contains("Blob function CompileDraftReport failed (attempt", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, attempts.Count);
            Assert.Contains("(attempt 1) with System.InvalidOperationException", attempts[0], StringComparison.Ordinal);
            // With backoff: the second wait is twice the first (0.2 s, then 0.4 s).
            double Delay(string line) => double.Parse(System.Text.RegularExpressions.Regex.Match(line, @"redelivering in ([0-9]+[.,]?[0-9]*) s").Groups[1].Value.Replace(',', '.'),
                System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(0.2, Delay(attempts[0]), 3);
            Assert.Equal(0.4, Delay(attempts[1]), 3);
            Assert.DoesNotContain(broken.Logs.Lines, l => l.Contains("broken on purpose", StringComparison.Ordinal)); // type names only

            // The host is still up and serving.
            Assert.False(broken.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
            Assert.Equal(HttpStatusCode.OK, (await broken.Client.GetAsync("api/health")).StatusCode);
        }
        finally
        {
            await broken.DisposeAsync();
        }
    }
}
