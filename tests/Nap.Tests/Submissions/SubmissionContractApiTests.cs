using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nap.Tests.Form;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>The contract over HTTP: the served schema, ids assigned and returned, earlier own versions, problems of a draft.</summary>
public sealed class SubmissionContractApiTests(MailCapturingHostFixture host) : IClassFixture<MailCapturingHostFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_schema_is_served_with_an_etag_revalidates_with_304_and_is_linked_from_the_framework()
    {
        var framework = (await host.Client.GetFromJsonAsync<JsonObject>("api/framework"))!;
        var link = (string)framework["submissionSchema"]!;
        Assert.Equal("/api/submission-schema", link);

        var response = await host.Client.GetAsync(link.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var schema = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string)schema["$schema"]!);
        Assert.Equal(200, (int)schema["$defs"]!["title"]!["maxLength"]!);
        Assert.Contains("G1.1.a", schema["$defs"]!["result-G1"]!["properties"]!["indicator"]!["enum"]!.AsArray().Select(c => (string)c!));

        using var again = new HttpRequestMessage(HttpMethod.Get, link.TrimStart('/'));
        again.Headers.IfNoneMatch.Add(etag);
        var revalidated = await host.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ids_left_out_are_assigned_returned_and_kept_and_an_earlier_version_can_be_read_back()
    {
        var cycle = await host.CreateCycleAsync();
        // The base has a confidential contribution: reading it back to edit needs the emailed one-time code.
        using var client = await host.VerifiedSignatoryClientAsync(host.ActiveSignatories.ElementAt(4).Id, cycle.Id);
        var body = InvalidCases.Base;
        body["goals"]!["G1"]!["contributions"]![0]!.AsObject().Remove("id");

        var first = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(body));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var receipt = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["G1-1"], receipt["contributionIds"]!["G1"]!.AsArray().Select(i => (string)i!));
        Assert.Equal(["c-gender-analysis"], receipt["contributionIds"]!["G2"]!.AsArray().Select(i => (string)i!));

        var mine = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/mine"))!;
        Assert.Equal("G1-1", (string)mine["submission"]!["goals"]!["G1"]!["contributions"]![0]!["id"]!);

        var edited = mine["submission"]!.DeepClone();
        edited["goals"]!["G1"]!["contributions"]![0]!["title"] = "Second version";
        using var second = new HttpRequestMessage(HttpMethod.Post, $"api/cycles/{cycle.Id}/submissions") { Content = Json(edited) };
        second.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(second)).StatusCode);

        var v1 = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/mine?version=1"))!;
        Assert.Equal(1, (int)v1["receipt"]!["version"]!);
        Assert.Equal("Mediation training for women leaders", (string)v1["submission"]!["goals"]!["G1"]!["contributions"]![0]!["title"]!);
        var latest = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/mine"))!;
        Assert.Equal(2, (int)latest["receipt"]!["version"]!);
        Assert.Equal("G1-1", (string)latest["submission"]!["goals"]!["G1"]!["contributions"]![0]!["id"]!);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine?version=3")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine?version=first")).StatusCode);
    }

    [Fact]
    public async Task Duplicate_ids_are_refused_with_422_at_the_later_one()
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.SignatoryClient(host.ActiveSignatories.ElementAt(5).Id, cycle.Id);
        var c = InvalidCases.Named("two contributions with one id");
        var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(c.Submission));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray();
        Assert.Contains(errors, e => (string)e!["pointer"]! == "/goals/G2/contributions/0/id" && (string)e["code"]! == "duplicate");
    }

    [Fact]
    public async Task A_draft_save_answers_with_the_problems_a_submit_would_get_with_their_limits()
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.SignatoryClient(host.ActiveSignatories.ElementAt(6).Id, cycle.Id);
        var c = InvalidCases.Named("title too long");
        var saved = await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(new JsonObject { ["basedOnVersion"] = 0, ["submission"] = c.Submission }));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var problems = (await saved.Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray();
        var problem = Assert.Single(problems)!;
        Assert.Equal((c.Pointer, c.Code, 200m), ((string)problem["pointer"]!, (string)problem["code"]!, (decimal)problem["max"]!));

        var fine = await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(new JsonObject { ["basedOnVersion"] = 0, ["submission"] = InvalidCases.Base }));
        Assert.Empty((await fine.Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray());
    }
}
