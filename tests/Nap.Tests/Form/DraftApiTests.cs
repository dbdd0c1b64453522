using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Cycles;
using Nap.Drafts;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

public sealed class DraftApiTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
    private string Signatory(int i) => host.ActiveSignatories.ElementAt(i).Id;

    [Fact]
    public async Task An_incomplete_draft_is_stored_privately_and_read_back_with_the_signatory_and_deadline()
    {
        var cycle = await host.CreateCycleAsync(deadlineInDays: 20);
        var signatory = host.ActiveSignatories.ElementAt(4);
        using var client = host.SignatoryClient(signatory.Id, cycle.Id);
        const string draft = """{"basedOnVersion":0,"submission":{"contact":{"name":"Half typed"},"goals":{"G1":{"contributions":[{"title":""}]}}}}""";

        var put = await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(draft));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = (await put.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$", (string)saved["savedAtLocal"]!);
        var blob = host.Services.GetRequiredService<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.DraftsContainer)
            .GetBlobClient(BlobDraftStore.BlobName(cycle.Id, signatory.Id));
        // Stored encrypted (client-side, as a whole): the blob holds ciphertext and names the wrapping key.
        var stored = (await blob.DownloadContentAsync()).Value;
        Assert.DoesNotContain("Half typed", Encoding.UTF8.GetString(stored.Content.ToArray()), StringComparison.Ordinal);
        Assert.True(stored.Details.Metadata.ContainsKey("encryptiondata"));

        var view = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!;
        Assert.Equal(signatory.Id, (string)view["signatory"]!["id"]!);
        Assert.Equal(signatory.Name, (string)view["signatory"]!["name"]!);
        Assert.Equal(signatory.Language, (string)view["signatory"]!["language"]!);
        Assert.Equal(Nap.Api.AmsterdamTime.Format(cycle.DeadlineUtc), (string)view["cycle"]!["deadline"]!);
        Assert.False((bool)view["cycle"]!["deadlinePassed"]!);
        Assert.Equal(0, (int)view["draft"]!["basedOnVersion"]!);
        Assert.Equal("Half typed", (string)view["draft"]!["submission"]!["contact"]!["name"]!);

        // Another signatory sees nothing of it.
        using var other = host.SignatoryClient(Signatory(5), cycle.Id);
        var otherView = (await other.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!;
        Assert.Null(otherView["draft"]);
        // Nothing of the draft's content reaches the log.
        Assert.DoesNotContain("Half typed", host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_with_characters_a_submission_may_not_hold_is_stored_and_answered_with_their_pointers()
    {
        // The draft keeps what was typed; its answer names what a submit would refuse, as the parser does (InvalidCases).
        var cycle = await host.CreateCycleAsync(deadlineInDays: 20);
        using var client = host.SignatoryClient(Signatory(5), cycle.Id);
        const string draft = """{"basedOnVersion":0,"submission":{"contact":{"name":"Amina\u202Ex","email":"a@example.org"},"goals":{"G1":{"narratives":{"highlights":{"text":"A \uFFFE b"},"lessons":{"text":"\uD800 lone"}},"contributions":[{"title":"Zero\u200Bwidth","description":"Zero\u200Bwidth is fine here","focus":["national"],"outcomes":["G1.1"]}]}}}}""";

        var put = await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(draft));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var problems = (await put.Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray()
            .Select(p => ((string)p!["pointer"]!, (string)p["code"]!)).ToList();
        Assert.Contains(("/contact/name", "invalid-characters"), problems);
        Assert.Contains(("/goals/G1/narratives/highlights/text", "invalid-characters"), problems);
        Assert.Contains(("/goals/G1/narratives/lessons/text", "invalid-characters"), problems);
        Assert.Contains(("/goals/G1/contributions/0/title", "invalid-characters"), problems);
        Assert.DoesNotContain(problems, p => p.Item1 == "/goals/G1/contributions/0/description");
    }

    [Fact]
    public async Task Saving_again_replaces_the_draft_and_delete_removes_it_idempotently()
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.SignatoryClient(Signatory(6), cycle.Id);
        await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json("""{"basedOnVersion":0,"submission":{"contact":{"name":"first"}}}"""));
        await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json("""{"basedOnVersion":2,"submission":{"contact":{"name":"second"}}}"""));

        var view = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!;
        Assert.Equal(2, (int)view["draft"]!["basedOnVersion"]!);
        Assert.Equal("second", (string)view["draft"]!["submission"]!["contact"]!["name"]!);

        var first = (await (await client.DeleteAsync($"api/cycles/{cycle.Id}/draft")).Content.ReadFromJsonAsync<JsonObject>())!;
        var second = await client.DeleteAsync($"api/cycles/{cycle.Id}/draft");
        Assert.True((bool)first["deleted"]!);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False((bool)(await second.Content.ReadFromJsonAsync<JsonObject>())!["deleted"]!);
        Assert.Null((await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!["draft"]);
    }

    [Theory]
    [InlineData("[1,2]", 422, "")]
    [InlineData("\"text\"", 422, "")]
    [InlineData("""{"basedOnVersion":0,"submission":[]}""", 422, "/submission")]
    [InlineData("""{"basedOnVersion":-1,"submission":{}}""", 422, "/basedOnVersion")]
    [InlineData("""{"submission":{}}""", 422, "/basedOnVersion")]
    [InlineData("""{"basedOnVersion":0,"submission":{},"extra":1}""", 422, "/extra")]
    [InlineData("""{"basedOnVersion":0,"submission":{""", 400, null)]
    public async Task A_draft_that_is_not_a_json_object_envelope_is_refused(string body, int status, string? pointer)
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.SignatoryClient(Signatory(7), cycle.Id);

        var response = await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        if (pointer is not null)
        {
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(problem["errors"]!.AsArray(), e => (string)e!["pointer"]! == pointer);
        }
    }

    [Fact]
    public async Task Drafts_are_as_deep_and_large_as_submissions_may_be_and_no_more()
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.SignatoryClient(Signatory(8), cycle.Id);
        var deep = """{"basedOnVersion":0,"submission":""" + string.Concat(Enumerable.Repeat("""{"a":""", 20)) + "1" + new string('}', 20) + "}";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(deep))).StatusCode);

        var big = """{"basedOnVersion":0,"submission":{"contact":{"name":" """ + new string('x', 1_000_001) + "\"}}}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(big))).StatusCode);
    }

    [Fact]
    public async Task Drafts_need_a_signatory_token_for_that_cycle_and_an_open_cycle()
    {
        var cycle = await host.CreateCycleAsync();
        var other = await host.CreateCycleAsync();
        const string body = """{"basedOnVersion":0,"submission":{}}""";
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/cycles/{cycle.Id}/draft")).StatusCode);
        using var coordinator = host.CoordinatorClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await coordinator.PutAsync($"api/cycles/{cycle.Id}/draft", Json(body))).StatusCode);
        using var wrongCycle = host.SignatoryClient(Signatory(9), other.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrongCycle.PutAsync($"api/cycles/{cycle.Id}/draft", Json(body))).StatusCode);
        using var client = host.SignatoryClient(Signatory(9), cycle.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/cycles/1999/draft")).StatusCode);

        var closed = await host.CreateCycleAsync(status: CycleStatus.Closed);
        using var closedClient = host.SignatoryClient(Signatory(9), closed.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await closedClient.PutAsync($"api/cycles/{closed.Id}/draft", Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await closedClient.GetAsync($"api/cycles/{closed.Id}/draft")).StatusCode);
    }
}
