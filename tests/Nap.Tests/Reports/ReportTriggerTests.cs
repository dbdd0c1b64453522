using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Nap.Functions.Api;
using Nap.Reports;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>The dev host with a short coalescing window and a private publish folder.</summary>
public sealed class ReportHostFixture : DevHostFixture
{
    public string PublishFolder { get; } = Path.Combine(Path.GetTempPath(), "nap-published-" + Guid.NewGuid().ToString("N"));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Reports:CoalesceSeconds"] = "2",
        // Once a year: the recovery timer must not join the burst test by chance; the test invokes it itself.
        ["Reports:RecoverySchedule"] = "0 0 0 1 1 *",
        ["SharePoint:LocalFolder"] = PublishFolder,
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(PublishFolder)) Directory.Delete(PublishFolder, true);
    }
}

[Collection(ReportCompilationCollection.Name)]
public sealed class ReportTriggerTests(ReportHostFixture host, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ReportHostFixture>
{
    [Fact]
    public void Both_report_triggers_are_event_grid_blob_triggers_in_functions_metadata_and_served_by_the_dev_host()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DevHostFixture.MetadataFile));
        JsonElement Trigger(string function) => doc.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "blobTrigger");

        var draft = Trigger("CompileDraftReport");
        Assert.Equal("submissions/{cycleId}/{signatoryId}/{name}", draft.GetProperty("path").GetString());
        Assert.Equal("EventGrid", draft.GetProperty("source").GetString());
        Assert.Equal("NapStorage", draft.GetProperty("connection").GetString());
        var final = Trigger("CompileFinalReport");
        Assert.Equal("report-requests/{cycleId}/{name}", final.GetProperty("path").GetString());
        Assert.Equal("EventGrid", final.GetProperty("source").GetString());
        Assert.Equal("NapStorage", final.GetProperty("connection").GetString());

        var served = host.App.Services.GetRequiredService<Nap.DevHost.ServedFunctions>().All.Select(f => f.Name).ToList();
        Assert.Contains("CompileDraftReport", served);
        Assert.Contains("CompileFinalReport", served);
        Assert.Contains("RequestFinalReport", served);
        Assert.Contains("ListReports", served);
    }

    [Fact]
    public async Task The_stale_draft_timer_is_in_functions_metadata_served_by_the_dev_host_and_compiles_a_draft_whose_holder_died()
    {
        using (var doc = JsonDocument.Parse(File.ReadAllText(DevHostFixture.MetadataFile)))
        {
            var trigger = doc.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "CompileStaleDrafts")
                .GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "timerTrigger");
            Assert.Equal("%Reports:RecoverySchedule%", trigger.GetProperty("schedule").GetString());
            Assert.False(trigger.TryGetProperty("runOnStartup", out var r) && r.GetBoolean());
        }
        var served = host.App.Services.GetRequiredService<Nap.DevHost.ServedFunctions>().All.Single(f => f.Name == "CompileStaleDrafts");
        Assert.Equal(Nap.DevHost.TriggerKind.Timer, served.Kind);
        Assert.Equal("0 0 0 1 1 *", Nap.DevHost.FunctionCatalog.Expand(served.Schedule!,
            k => host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[k.Replace("__", ":", StringComparison.Ordinal)]));
        // The shipped default, as every host (and the dev host without this fixture's override) resolves it: every 10 minutes, UTC.
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "local.settings.sample.json")))!["Values"]!;
        var schedule = NCrontab.CrontabSchedule.Parse((string)sample["Reports__RecoverySchedule"]!, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var from = new DateTime(2026, 3, 1, 12, 3, 0, DateTimeKind.Utc);
        Assert.Equal(new[] { from.Date.AddHours(12).AddMinutes(10), from.Date.AddHours(12).AddMinutes(20) }, schedule.GetNextOccurrences(from, from.AddMinutes(21)));

        // A cycle whose compiling instance died: dirty, its lease long expired. The timer function compiles it.
        var cycle = await host.CreateCycleAsync();
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(ReportStorageNames.VersionsTable);
        var now = DateTimeOffset.UtcNow;
        await table.UpsertEntityAsync(new TableEntity(cycle.Id, ReportStore.ScheduleKey)
        {
            ["Dirty"] = true, ["LastSignalAt"] = now.AddMinutes(-30), ["Owner"] = "crashed-instance", ["LeaseUntil"] = now.AddMinutes(-25), ["WaitingSince"] = now.AddMinutes(-30),
        }, TableUpdateMode.Replace);
        var functions = ActivatorUtilities.CreateInstance<ReportFunctions>(host.Services);
        await functions.CompileStaleDrafts(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        var draft = Assert.Single(await host.Services.GetRequiredService<ReportStore>().ListAsync(cycle.Id));
        Assert.Equal(ReportKind.Draft, draft.Kind);
        Assert.True(await IdleAsync(cycle.Id));
    }

    [Fact]
    public async Task A_burst_of_200_submissions_makes_at_most_two_drafts_and_the_last_lists_all_200_and_a_redelivered_event_makes_none()
    {
        var cycle = await host.CreateCycleAsync();
        var receivedAt = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        // Stored like the submission service does: the blob (which fires the trigger) first, the table commit a moment later.
        await Parallel.ForEachAsync(Enumerable.Range(1, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await SubmissionWriter.WriteAsync(host.Services, cycle, $"burst-{i:D3}", SubmissionWriter.Utf8(SampleSubmissions.Valid(i).ToJsonString()),
                receivedAt.AddMilliseconds(i), commitDelay: TimeSpan.FromMilliseconds(Random.Shared.Next(10, 150))));
        var storedIn = stopwatch.Elapsed;

        var store = host.Services.GetRequiredService<ReportStore>();
        var settled = await WaitForAsync(async () =>
        {
            var versions = await store.ListAsync(cycle.Id);
            return versions.Count > 0 && versions[0].Submissions == 200 && versions[0].Status == "compiled" && await IdleAsync(cycle.Id) ? versions : null;
        }, TimeSpan.FromSeconds(120));
        Assert.True(settled is not null, $"No draft with all 200 submissions appeared (stored in {storedIn.TotalSeconds:F1} s).");

        output.WriteLine($"200 submissions stored in {storedIn.TotalSeconds:F1} s; {settled.Count} draft(s) compiled: {string.Join(", ", settled.Select(v => $"v{v.Version} with {v.Submissions}"))}");
        Assert.All(settled, v => Assert.Equal(ReportKind.Draft, v.Kind));
        Assert.True(settled.Count <= 2, $"{settled.Count} drafts were compiled for one burst stored in {storedIn.TotalSeconds:F1} s.");
        var json = await DownloadAsync(settled[0].Files.Single(f => f.Extension == "Json").BlobName);
        var lineage = JsonNode.Parse(json)!["lineage"]!.AsArray().Select(l => (string)l!["signatoryId"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"burst-{i:D3}"), lineage);

        // The same event again (Event Grid delivers at least once): the inputs are unchanged, so no new version.
        var blob = host.Services.GetRequiredService<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.SubmissionsContainer)
            .GetBlobClient((await host.Services.GetRequiredService<Nap.Submissions.ISubmissionIndex>().GetLatestAsync(cycle.Id, "burst-007"))!.Version.BlobName);
        var functions = ActivatorUtilities.CreateInstance<ReportFunctions>(host.Services);
        await functions.CompileDraft(blob, cycle.Id, CancellationToken.None);
        Assert.Equal(settled.Count, (await store.ListAsync(cycle.Id)).Count);
        Assert.Contains(host.Logs.Lines, l => l.Contains($"report of cycle {cycle.Id} is unchanged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_coordinator_requests_the_final_report_and_polls_until_it_is_compiled_and_published()
    {
        var cycle = await host.CreateCycleAsync();
        foreach (var (signatory, i) in host.ActiveSignatories.Take(3).Select((s, i) => (s, i)))
        {
            using var client = host.SignatoryClient(signatory.Id, cycle.Id);
            var submitted = await client.PostAsync($"api/cycles/{cycle.Id}/submissions",
                new StringContent(SampleSubmissions.Valid(i + 1).ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }

        var anonymous = await host.Client.PostAsync($"api/cycles/{cycle.Id}/report", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);
        using (var signatory = host.SignatoryClient(host.ActiveSignatories.First().Id, cycle.Id))
            Assert.Equal(HttpStatusCode.Unauthorized, (await signatory.PostAsync($"api/cycles/{cycle.Id}/report", null)).StatusCode);
        using (var reader = host.StaffClient(Nap.Security.StaffRoles.Reader))
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"api/cycles/{cycle.Id}/report", null)).StatusCode);
        using var coordinator = host.CoordinatorClient();
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync("api/cycles/1999/report", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SignatoryClient(host.ActiveSignatories.First().Id, cycle.Id).GetAsync($"api/cycles/{cycle.Id}/report")).StatusCode);

        // The cycle's final uses accepted versions (the default): the coordinator accepts each first.
        foreach (var signatory in host.ActiveSignatories.Take(3))
        {
            var judged = await coordinator.PostAsync($"api/cycles/{cycle.Id}/signatories/{signatory.Id}/review",
                new StringContent("{\"action\":\"accept\",\"version\":1}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, judged.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/report");
        request.Headers.Add("Idempotency-Key", "final-" + cycle.Id);
        var accepted = await coordinator.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/api/cycles/{cycle.Id}/report", accepted.Headers.Location!.OriginalString);
        var receipt = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!;
        var requestId = (string)receipt["requestId"]!;
        Assert.True((bool)receipt["created"]!);

        using var retry = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/report");
        retry.Headers.Add("Idempotency-Key", "final-" + cycle.Id);
        var replayed = (await (await coordinator.SendAsync(retry)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(requestId, (string)replayed["requestId"]!);
        Assert.False((bool)replayed["created"]!);

        var listing = await WaitForAsync(async () =>
        {
            var list = (await coordinator.GetFromJsonAsync<JsonObject>(accepted.Headers.Location.OriginalString.TrimStart('/')))!;
            var done = list["requests"]!.AsArray().SingleOrDefault(r => (string)r!["requestId"]! == requestId && (string)r["status"]! == "compiled");
            return done is null ? null : list;
        }, TimeSpan.FromSeconds(90));
        Assert.True(listing is not null, "The final report was not compiled.");

        var reportVersion = (int)listing["requests"]!.AsArray().Single(r => (string)r!["requestId"]! == requestId)!["reportVersion"]!;
        var version = listing["versions"]!.AsArray().Single(v => (int)v!["version"]! == reportVersion)!;
        Assert.Equal("final", (string)version["kind"]!);
        Assert.Equal(3, (int)version["submissions"]!);
        Assert.Equal("published", (string)version["publishStatus"]!);
        Assert.Equal("local-folder", (string)version["publishTarget"]!);
        var files = version["files"]!.AsArray().Select(f => (string)f!["name"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"voortgangsrapportage-nap-iv-{cycle.Id}.csv", $"voortgangsrapportage-nap-iv-{cycle.Id}.docx", $"voortgangsrapportage-nap-iv-{cycle.Id}.json"], files);
        foreach (var f in version["files"]!.AsArray())
        {
            Assert.Equal($"/api/cycles/{cycle.Id}/report/{reportVersion}/{(string)f!["file"]!}", (string)f["url"]!);
            Assert.DoesNotContain("sig=", f.ToJsonString(), StringComparison.Ordinal);
            // The stable "latest" name and the version's own name.
            Assert.True(File.Exists(Path.Combine(host.PublishFolder, "NAP1325 rapportages", cycle.Id, (string)f["name"]!)));
            Assert.True(File.Exists(Path.Combine(host.PublishFolder, "NAP1325 rapportages", cycle.Id, ReportService.VersionedName((string)f["name"]!, reportVersion))));
        }
    }

    [Fact]
    public async Task Coordinators_write_the_annex_texts_request_an_english_final_and_download_its_files_by_version()
    {
        var cycle = await host.CreateCycleAsync();
        using (var client = host.SignatoryClient(host.ActiveSignatories.First().Id, cycle.Id))
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/cycles/{cycle.Id}/submissions",
                new StringContent(SampleSubmissions.Valid(1).ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        using var coordinator = host.CoordinatorClient();
        var textsUrl = $"api/cycles/{cycle.Id}/report/texts";
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync(textsUrl)).StatusCode);
        Assert.Null((await coordinator.GetFromJsonAsync<JsonObject>(textsUrl))!["introduction"]);

        var html = await coordinator.PutAsync(textsUrl, new StringContent("{\"introduction\": \"<p>Hallo</p>\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, html.StatusCode);
        var problem = (await html.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("/introduction", (string)problem["errors"]![0]!["pointer"]!);
        Assert.DoesNotContain("Hallo", problem.ToJsonString(), StringComparison.Ordinal);

        var texts = new JsonObject { ["introduction"] = "Introduction by the coordinators.\n\n- first point\n- second point", ["governance"] = "The oversight board met six times." };
        var put = await coordinator.PutAsync(textsUrl, new StringContent(texts.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("The oversight board met six times.", (string)(await coordinator.GetFromJsonAsync<JsonObject>(textsUrl))!["governance"]!);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PostAsync($"api/cycles/{cycle.Id}/report?lang=fr", null)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/report?lang=en");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var accepted = await coordinator.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var requestId = (string)(await accepted.Content.ReadFromJsonAsync<JsonObject>())!["requestId"]!;
        var version = await WaitForAsync(async () =>
        {
            var list = (await coordinator.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/report"))!;
            var done = list["requests"]!.AsArray().SingleOrDefault(r => (string)r!["requestId"]! == requestId && (string)r["status"]! == "compiled");
            return done is null ? null : list["versions"]!.AsArray().Single(v => (int)v!["version"]! == (int)done["reportVersion"]!)!.AsObject();
        }, TimeSpan.FromSeconds(90));
        Assert.True(version is not null, "The final report was not compiled.");
        var number = (int)version["version"]!;

        foreach (var f in version["files"]!.AsArray())
        {
            var url = ((string)f!["url"]!).TrimStart('/');
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync(url)).StatusCode);
            var response = await coordinator.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal((string)f["sha256"]!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            Assert.Equal($"\"{(string)f["sha256"]!}\"", response.Headers.ETag!.Tag);
            Assert.Equal((string)f["contentType"]!, response.Content.Headers.ContentType!.ToString());
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(ReportService.VersionedName((string)f["name"]!, number), response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
            Assert.EndsWith("-en" + Path.GetExtension((string)f["name"]!), (string)f["name"]!, StringComparison.Ordinal);

            using var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag);
            Assert.Equal(HttpStatusCode.NotModified, (await coordinator.SendAsync(again)).StatusCode);

            if ((string)f["file"]! == "annex.docx")
            {
                var text = ReportAnnexTests.BodyText(bytes, "\n");
                Assert.Contains("1. Introduction\nIntroduction by the coordinators.\n•first point\n•second point\n2. Governance and cooperation\nThe oversight board met six times.", text, StringComparison.Ordinal);
                Assert.Contains("Annex to the NAP-IV Progress Report " + cycle.Id, text, StringComparison.Ordinal);
                Assert.Contains("Strategic goal ", text, StringComparison.Ordinal);
            }
        }
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync($"api/cycles/{cycle.Id}/report/{number}/secrets.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync($"api/cycles/{cycle.Id}/report/999999/annex.docx")).StatusCode);
    }

    private async Task<bool> IdleAsync(string cycleId)
    {
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(ReportStorageNames.VersionsTable);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, ReportStore.ScheduleKey);
        return row.HasValue && string.IsNullOrEmpty(row.Value!.GetString("Owner")) && row.Value.GetBoolean("Dirty") == false;
    }

    private async Task<byte[]> DownloadAsync(string blobName) =>
        (await host.Services.GetRequiredService<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.ReportsContainer).GetBlobClient(blobName)
            .DownloadContentAsync()).Value.Content.ToArray();

    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(250);
        }
        return null;
    }
}
