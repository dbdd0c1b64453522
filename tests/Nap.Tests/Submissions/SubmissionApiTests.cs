using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

public sealed class SubmissionApiTests(MailCapturingHostFixture host) : IClassFixture<MailCapturingHostFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private string Signatory(int i = 0) => host.ActiveSignatories.ElementAt(i).Id;

    [Fact]
    public async Task Submit_stores_blob_and_index_rows_and_returns_receipt()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(1);
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var body = SampleSubmissions.Valid(7).ToJsonString();

        var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(1, (int)receipt["version"]!);
        Assert.Equal(sha, (string)receipt["sha256"]!);
        Assert.False((bool)receipt["late"]!);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);

        var storage = host.Services.GetRequiredService<NapStorage>();
        var blob = storage.Blobs.GetBlobContainerClient(StorageNames.SubmissionsContainer).GetBlobClient($"{cycle.Id}/{signatory}/{sha}.json");
        // The blob the compiler reads is the public part: no contact, the confidential lessons withheld.
        var stored = (await blob.DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal(Encoding.UTF8.GetString(SubmissionParts.Split(Encoding.UTF8.GetBytes(body)).Public), stored);
        Assert.DoesNotContain("contact", stored);
        Assert.DoesNotContain("Lesson", stored);
        var table = storage.Tables.GetTableClient(StorageNames.SubmissionsTable);
        var latest = (await table.GetEntityAsync<TableEntity>(cycle.Id, TableSubmissionIndex.LatestKey(signatory))).Value;
        Assert.Equal(1, latest.GetInt32("Version"));
        Assert.Equal(sha, latest.GetString("Sha256"));
        var version = (await table.GetEntityAsync<TableEntity>(cycle.Id, TableSubmissionIndex.VersionKey(signatory, 1))).Value;
        Assert.Equal(sha, version.GetString("Sha256"));
    }

    private static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.StartsWith("urn:nap1325:problem:", (string)problem["type"]!);
        return problem;
    }

    private static StringContent Body(int seed = 1) => Json(SampleSubmissions.Valid(seed));

    [Fact]
    public async Task Resubmission_is_version_2_and_version_1_stays_intact()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(2);
        // Reading back a version with confidential parts needs the emailed one-time code.
        using var client = await host.VerifiedSignatoryClientAsync(signatory, cycle.Id);
        var first = SampleSubmissions.Valid(1).ToJsonString();
        var second = SampleSubmissions.Valid(2).ToJsonString();

        var r1 = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(first, Encoding.UTF8, "application/json"));
        var edit = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/submissions") { Content = new StringContent(second, Encoding.UTF8, "application/json") };
        edit.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var r2 = await client.SendAsync(edit);

        Assert.Equal(HttpStatusCode.Created, r1.StatusCode);
        Assert.Equal(HttpStatusCode.Created, r2.StatusCode);
        Assert.Equal(2, (int)(await r2.Content.ReadFromJsonAsync<JsonObject>())!["version"]!);
        var index = host.Services.GetRequiredService<ISubmissionIndex>();
        var contents = host.Services.GetRequiredService<ISubmissionContentStore>();
        var v1 = await index.GetVersionAsync(cycle.Id, signatory, 1);
        Assert.Equal(SubmissionParts.Split(Encoding.UTF8.GetBytes(first)).Public, (await contents.GetAsync(v1!.BlobName))!.ToArray());
        Assert.Equal(JsonNode.Parse(first)!.ToJsonString(), (await host.Services.GetRequiredService<SubmissionPartsReader>().ReadAsync(v1)).ToString());
        var mine = await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine");
        var latest = (await mine.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, (int)latest["receipt"]!["version"]!);
        // As submitted, with the ids the contributions were given ({goal}-{position}: the client sent none).
        Assert.Equal(ContributionIds.Fill(Encoding.UTF8.GetBytes(second))!.ToJsonString(), latest["submission"]!.ToJsonString());
        Assert.All(latest["submission"]!["goals"]!.AsObject(), g => Assert.Equal(g.Key + "-1", (string)g.Value!["contributions"]![0]!["id"]!));
        Assert.Equal("\"2\"", mine.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Stale_if_match_gets_412_and_stores_nothing()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(3);
        using var client = host.SignatoryClient(signatory, cycle.Id);
        await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Body(1));
        await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Body(2));

        var stale = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/submissions") { Content = Body(3) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await Problem(await client.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        var versions = await host.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory);
        Assert.Equal([1, 2], versions.Select(v => v.Receipt.Version));
    }

    [Fact]
    public async Task Identical_content_and_repeated_idempotency_key_store_nothing_new()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(4);
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var body = SampleSubmissions.Valid(9).ToJsonString();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/submissions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "form-attempt-42");
            responses.Add(await client.SendAsync(request));
        }
        var again = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, responses[0].StatusCode);
        Assert.All(responses.Skip(1).Append(again), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var receipts = await Task.WhenAll(responses.Append(again).Select(r => r.Content.ReadFromJsonAsync<JsonObject>()));
        Assert.Single(receipts.Select(r => (string)r!["submissionId"]!).Distinct());
        Assert.Single(await host.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory));

        var reused = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/submissions") { Content = Body(10) };
        reused.Headers.Add("Idempotency-Key", "form-attempt-42");
        await Problem(await client.SendAsync(reused), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Fifty_signatories_submitting_at_once_are_all_stored()
    {
        var cycle = await host.CreateCycleAsync();
        var signatories = host.ActiveSignatories.Take(50).Select(s => s.Id).ToList();
        Assert.Equal(50, signatories.Count);

        var responses = await Task.WhenAll(signatories.Select(async (s, i) =>
        {
            using var client = host.SignatoryClient(s, cycle.Id);
            return await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Body(i));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var latest = await host.Services.GetRequiredService<ISubmissionIndex>().ListLatestAsync(cycle.Id);
        Assert.Equal(signatories.Order(), latest.Select(l => l.Receipt.SignatoryId).Order());
        Assert.All(latest, l => Assert.Equal(1, l.Receipt.Version));
    }

    [Fact]
    public async Task Twenty_concurrent_submissions_of_one_signatory_become_versions_1_to_20_once_each()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(5);
        using var client = host.SignatoryClient(signatory, cycle.Id);

        var responses = await Task.WhenAll(Enumerable.Range(100, 20).Select(seed => client.PostAsync($"api/cycles/{cycle.Id}/submissions", Body(seed))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var receipts = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonObject>()));
        Assert.Equal(Enumerable.Range(1, 20), receipts.Select(r => (int)r!["version"]!).Order());
        var versions = await host.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory);
        Assert.Equal(Enumerable.Range(1, 20), versions.Select(v => v.Receipt.Version));
        Assert.Equal(20, versions.Select(v => v.Receipt.Sha256).Distinct().Count());
        var latest = await host.Services.GetRequiredService<ISubmissionIndex>().GetLatestAsync(cycle.Id, signatory);
        Assert.Equal(20, latest!.Version.Receipt.Version);
    }

    [Fact]
    public async Task Every_error_status_is_problem_json()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(6);
        var url = $"api/cycles/{cycle.Id}/submissions";
        using var client = host.SignatoryClient(signatory, cycle.Id);

        await Problem(await client.PostAsync(url, new StringContent("{\"contact\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Problem(await client.PostAsync(url, new StringContent(SampleSubmissions.Valid().ToJsonString(), Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await Problem(await client.PostAsync(url, new StringContent(new string(' ', 1_000_001) + "{}", Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge);
        var invalid = SampleSubmissions.Valid();
        invalid["contact"]!["email"] = "nope";
        var problem = await Problem(await client.PostAsync(url, Json(invalid)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("/contact/email", (string)problem["errors"]![0]!["pointer"]!);

        using (var anonymous = new HttpClient { BaseAddress = host.BaseAddress })
            await Problem(await anonymous.PostAsync(url, Body()), HttpStatusCode.Unauthorized);
        using (var forged = host.ClientWith(host.Token(signatory, cycle.Id)[..^4] + "AAAA"))
            await Problem(await forged.PostAsync(url, Body()), HttpStatusCode.Unauthorized);
        // A signed-in staff member is not a signatory: submissions need a signatory's link.
        using (var coordinator = host.CoordinatorClient())
            await Problem(await coordinator.PostAsync(url, Body()), HttpStatusCode.Unauthorized);
        using (var otherCycle = host.SignatoryClient(signatory, "2999"))
            await Problem(await otherCycle.PostAsync(url, Body()), HttpStatusCode.Forbidden);
        var inactive = host.Signatories.First(s => !s.Active).Id;
        using (var retired = host.SignatoryClient(inactive, cycle.Id))
            await Problem(await retired.PostAsync(url, Body()), HttpStatusCode.Forbidden);
        using (var signatoryClient = host.SignatoryClient(signatory, cycle.Id))
            await Problem(await signatoryClient.GetAsync($"api/cycles/{cycle.Id}/status"), HttpStatusCode.Unauthorized);

        await Problem(await client.PostAsync("api/cycles/1999/submissions", Body()), HttpStatusCode.NotFound);
        await Problem(await client.PostAsync("api/cycles/not-a-cycle/submissions", Body()), HttpStatusCode.NotFound);

        var closed = await host.CreateCycleAsync(status: Nap.Cycles.CycleStatus.Closed);
        using (var closedClient = host.SignatoryClient(signatory, closed.Id))
            await Problem(await closedClient.PostAsync($"api/cycles/{closed.Id}/submissions", Body()), HttpStatusCode.Conflict);
        var pastNoLate = await host.CreateCycleAsync(openedDaysAgo: 60, deadlineInDays: -2, acceptLate: false);
        using (var lateClient = host.SignatoryClient(signatory, pastNoLate.Id))
            await Problem(await lateClient.PostAsync($"api/cycles/{pastNoLate.Id}/submissions", Body()), HttpStatusCode.Conflict);

        Assert.Empty(await host.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory));
    }

    [Fact]
    public async Task Late_submission_is_accepted_and_marked_late_when_the_cycle_allows_it()
    {
        var cycle = await host.CreateCycleAsync(openedDaysAgo: 60, deadlineInDays: -1, acceptLate: true);
        using var client = host.SignatoryClient(Signatory(7), cycle.Id);
        var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True((bool)(await response.Content.ReadFromJsonAsync<JsonObject>())!["late"]!);
    }

    [Fact]
    public async Task Revoked_links_stop_working_and_new_ones_do()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(8);
        var oldToken = host.Token(signatory, cycle.Id);
        await Task.Delay(1100); // tokens carry whole seconds
        await host.Services.GetRequiredService<Nap.Signatories.ISignatoryRegistry>().RevokeTokensAsync(signatory, DateTimeOffset.UtcNow);
        await Task.Delay(1100);
        using (var old = host.ClientWith(oldToken))
            await Problem(await old.PostAsync($"api/cycles/{cycle.Id}/submissions", Body()), HttpStatusCode.Unauthorized);
        using var fresh = host.SignatoryClient(signatory, cycle.Id);
        Assert.Equal(HttpStatusCode.Created, (await fresh.PostAsync($"api/cycles/{cycle.Id}/submissions", Body())).StatusCode);
    }

    [Fact]
    public async Task Coordinator_status_lists_every_active_signatory_with_completion()
    {
        var cycle = await host.CreateCycleAsync();
        foreach (var s in host.ActiveSignatories.Take(3))
        {
            using var c = host.SignatoryClient(s.Id, cycle.Id);
            Assert.Equal(HttpStatusCode.Created, (await c.PostAsync($"api/cycles/{cycle.Id}/submissions", Body())).StatusCode);
        }
        using var coordinator = host.CoordinatorClient();
        var status = (await coordinator.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/status"))!;

        // Other tests may add signatories to the shared registry: count what the registry holds now.
        var active = (await host.Services.GetRequiredService<Nap.Signatories.ISignatoryRegistry>().ListAsync()).Count(s => s.Active);
        Assert.Equal(active, (int)status["expected"]!);
        Assert.Equal(3, (int)status["submitted"]!);
        Assert.Equal(active - 3, (int)status["missing"]!);
        Assert.Equal(Math.Round(300m / active, 1), (decimal)status["completionPercent"]!);
        Assert.Equal(active, status["signatories"]!.AsArray().Count);
        Assert.Equal(3, status["signatories"]!.AsArray().Count(s => (bool)s!["submitted"]!));
        Assert.Equal(active, status["byKind"]!.AsArray().Sum(k => (int)k!["expected"]!));
    }

    [Fact]
    public async Task Reference_endpoints_answer()
    {
        var framework = (await host.Client.GetFromJsonAsync<JsonObject>("api/framework"))!;
        Assert.Equal(5, framework["goals"]!.AsArray().Count);
        Assert.Equal("/api/submission-schema", (string)framework["submissionSchema"]!);
        var countries = (await host.Client.GetFromJsonAsync<JsonArray>("api/countries"))!;
        Assert.Contains(countries, c => (string)c!["code"]! == "XK");
        var cycles = (await host.Client.GetFromJsonAsync<JsonArray>("api/cycles"))!;
        Assert.Contains(cycles, c => (string)c!["id"]! == "2026");
        var health = await host.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var openApi = (await host.Client.GetFromJsonAsync<JsonObject>("api/openapi.json"))!;
        Assert.StartsWith("3.", (string)openApi["openapi"]!);
    }
}

/// <summary>Two app instances, each with its own (soon stale) view of the latest versions, never lose or duplicate one.</summary>
public sealed class TwoInstanceTests(DevHostFixture first) : IClassFixture<DevHostFixture>
{
    [Fact]
    public async Task Stale_instance_views_are_corrected_by_the_index_not_trusted()
    {
        var second = new DevHostFixture();
        await second.InitializeAsync();
        try
        {
            var cycle = await first.CreateCycleAsync();
            var signatory = first.ActiveSignatories.ElementAt(20).Id;
            using var a = first.SignatoryClient(signatory, cycle.Id);
            using var b = second.SignatoryClient(signatory, cycle.Id);
            var url = $"api/cycles/{cycle.Id}/submissions";
            async Task<(HttpStatusCode Status, int? Version)> Post(HttpClient client, int seed, string? ifMatch = null)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(SampleSubmissions.Valid(seed).ToJsonString(), Encoding.UTF8, "application/json") };
                if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                var response = await client.SendAsync(request);
                return (response.StatusCode, response.IsSuccessStatusCode ? (int?)(int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["version"]! : null);
            }

            Assert.Equal((HttpStatusCode.Created, 1), await Post(a, 1));          // A's snapshot: v1
            Assert.Equal((HttpStatusCode.Created, 2), await Post(b, 2));          // B loads v1, commits v2
            Assert.Equal((HttpStatusCode.Created, 3), await Post(a, 3, "\"2\"")); // A thinks v1; the index says v2
            Assert.Equal((HttpStatusCode.Created, 4), await Post(b, 4));          // B thinks v2; its ETag is stale
            Assert.Equal((HttpStatusCode.PreconditionFailed, null), await Post(a, 5, "\"3\""));
            Assert.Equal((HttpStatusCode.OK, 4), await Post(a, 4));               // same bytes as the latest: a retry

            var versions = await first.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory);
            Assert.Equal([1, 2, 3, 4], versions.Select(v => v.Receipt.Version));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
