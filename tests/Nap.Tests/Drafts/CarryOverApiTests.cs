using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nap.Tests.Form;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Drafts;

/// <summary>"Start from last year": POST /api/cycles/{cycleId}/draft/carry-over against the dev host on Azurite.</summary>
public sealed class CarryOverApiTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private const string Secret = "CANARY-partner-in-Bukavu";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
    private static StringContent Json(JsonNode body) => Json(body.ToJsonString());
    private string Signatory(int i) => host.ActiveSignatories.ElementAt(i).Id;

    /// <summary>The shared valid base, plus a third, confidential contribution in G1.</summary>
    private static JsonObject LastYear()
    {
        var body = InvalidCases.Base;
        body["goals"]!["G1"]!["contributions"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "c-safe-houses",
            ["title"] = Secret,
            ["focus"] = new JsonArray("national"),
            ["outcomes"] = new JsonArray("G1.1"),
            ["budgetSpentEur"] = 99,
            ["confidential"] = true,
        });
        return body;
    }

    private async Task<JsonObject> SubmitAsync(string signatory, string cycleId, JsonObject body)
    {
        using var client = host.SignatoryClient(signatory, cycleId);
        var response = await client.PostAsync($"api/cycles/{cycleId}/submissions", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> CarryOverAsync(HttpClient client, string cycleId, string? body = """{"copyConfidential":false}""")
    {
        var response = await client.PostAsync($"api/cycles/{cycleId}/draft/carry-over", body is null ? null : Json(body));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static JsonArray Contributions(JsonObject answer, string goal) => answer["draft"]!["submission"]!["goals"]![goal]!["contributions"]!.AsArray();

    [Fact]
    public async Task Carry_over_copies_what_describes_the_work_keeps_ids_and_shows_last_years_values_beside_it()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(1);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using var client = host.SignatoryClient(signatory, current.Id);

        // Before: GET draft offers the previous cycle.
        var offer = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{current.Id}/draft"))!;
        Assert.Null(offer["draft"]);
        Assert.Equal(previous.Id, (string)offer["carryOverFrom"]!);

        var (status, answer) = await CarryOverAsync(client, current.Id);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(0, (int)answer["draft"]!["basedOnVersion"]!);
        var g1 = Contributions(answer, "G1");
        // The confidential contribution is not copied unless asked, nor its values.
        Assert.Equal(["c-mediation-2026"], g1.Select(c => (string)c!["id"]!));
        Assert.DoesNotContain(Secret, answer.ToJsonString(), StringComparison.Ordinal);
        Assert.False(answer["carryOver"]!["previous"]!.AsObject().ContainsKey("c-safe-houses"));
        var c = g1[0]!.AsObject();
        Assert.Equal("Mediation training for women leaders", (string)c["title"]!);
        Assert.Equal("Two cohorts trained.", (string)c["description"]!);
        Assert.Equal(["SD", "NL"], c["countries"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["G1.1"], c["outcomes"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["Partner A", "Partner B"], c["partners"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("NL-KVK-41198677-PRJ-42", (string)c["iatiActivityId"]!);
        Assert.Equal(["https://www.example.org/annual-report-2026"], c["links"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(previous.Id, (string)c["carriedOver"]!["cycle"]!);
        Assert.Equal(1, (int)c["carriedOver"]!["version"]!);
        Assert.False((bool)c["confirmed"]!);
        // Indicator values and budgets are not copied; they come back read-only, by contribution id.
        Assert.False(c.ContainsKey("indicatorResults"));
        Assert.False(c.ContainsKey("budgetSpentEur"));
        var shown = answer["carryOver"]!["previous"]!["c-mediation-2026"]!;
        Assert.Equal(1000.5m, (decimal)shown["budgetSpentEur"]!);
        Assert.Equal(10m, (decimal)shown["indicatorResults"]![0]!["value"]!);
        Assert.Equal("persons", (string)shown["indicatorResults"]![0]!["unit"]!);
        Assert.Null(shown["indicatorResults"]![0]!["comment"]);
        Assert.Equal((previous.Id, 1, false), ((string)answer["carryOver"]!["cycle"]!, (int)answer["carryOver"]!["version"]!, (bool)answer["carryOver"]!["copyConfidential"]!));
        // Narratives (about the year) and the contact person are not copied.
        Assert.Null(answer["draft"]!["submission"]!["goals"]!["G1"]!["narratives"]);
        Assert.Null(answer["draft"]!["submission"]!["contact"]);
        Assert.Equal(["c-gender-analysis"], Contributions(answer, "G2").Select(x => (string)x!["id"]!));

        // The draft is stored: GET draft shows it with last year's values, and no longer offers a carry-over.
        var view = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{current.Id}/draft"))!;
        Assert.Null(view["carryOverFrom"]);
        Assert.Equal(answer["draft"]!["submission"]!.ToJsonString(), view["draft"]!["submission"]!.ToJsonString());
        Assert.Equal(answer["carryOver"]!.ToJsonString(), view["carryOver"]!.ToJsonString());
        // The log names ids, never content.
        Assert.DoesNotContain("Mediation training", host.Logs.All, StringComparison.Ordinal);
        Assert.Contains(host.Logs.All.Split('\n'), l => l.Contains("Carried 2 contributions", StringComparison.Ordinal) && l.Contains(signatory, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Carry_over_twice_returns_the_same_draft_and_an_edit_of_it_without_duplicating_anything()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(2);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using var client = host.SignatoryClient(signatory, current.Id);

        var (first, created) = await CarryOverAsync(client, current.Id, body: null);
        Assert.Equal(HttpStatusCode.Created, first);
        // The form edits the draft (autosave); a retried or second carry-over neither rebuilds nor duplicates it.
        var edited = created["draft"]!["submission"]!.DeepClone().AsObject();
        edited["goals"]!["G1"]!["contributions"]![0]!["title"] = "Mediation training, year two";
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"api/cycles/{current.Id}/draft",
            Json(new JsonObject { ["basedOnVersion"] = 0, ["submission"] = edited }))).StatusCode);

        var response = await client.PostAsync($"api/cycles/{current.Id}/draft/carry-over", Json("""{"copyConfidential":false}"""));
        var again = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(edited.ToJsonString(), again["draft"]!["submission"]!.ToJsonString());
        Assert.Single(Contributions(again, "G1"));
        Assert.Single(Contributions(again, "G2"));
        Assert.Equal(created["carryOver"]!.ToJsonString(), again["carryOver"]!.ToJsonString());

        // Deleting the draft (start over) lets a new carry-over build it afresh.
        await client.DeleteAsync($"api/cycles/{current.Id}/draft");
        var (third, rebuilt) = await CarryOverAsync(client, current.Id);
        Assert.Equal(HttpStatusCode.Created, third);
        Assert.Equal("Mediation training for women leaders", (string)Contributions(rebuilt, "G1")[0]!["title"]!);
    }

    [Fact]
    public async Task Carry_over_is_409_with_a_draft_not_made_by_it_or_after_a_submission_and_404_without_a_previous_submission()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(3);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using var client = host.SignatoryClient(signatory, current.Id);

        // A draft the signatory started empty: carry-over does not overwrite it.
        await client.PutAsync($"api/cycles/{current.Id}/draft", Json("""{"basedOnVersion":0,"submission":{"contact":{"name":"Started empty"}}}"""));
        var (withDraft, problem) = await CarryOverAsync(client, current.Id);
        Assert.Equal(HttpStatusCode.Conflict, withDraft);
        Assert.EndsWith(":draft-exists", (string)problem["type"]!, StringComparison.Ordinal);
        var view = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{current.Id}/draft"))!;
        Assert.Equal("Started empty", (string)view["draft"]!["submission"]!["contact"]!["name"]!);

        // Once something is submitted in this cycle, carry-over is over.
        await client.DeleteAsync($"api/cycles/{current.Id}/draft");
        await SubmitAsync(signatory, current.Id, InvalidCases.Base);
        var (afterSubmit, submitted) = await CarryOverAsync(client, current.Id);
        Assert.Equal(HttpStatusCode.Conflict, afterSubmit);
        Assert.EndsWith(":already-submitted", (string)submitted["type"]!, StringComparison.Ordinal);
        Assert.Null((await client.GetFromJsonAsync<JsonObject>($"api/cycles/{current.Id}/draft"))!["carryOverFrom"]);

        // Nothing submitted last year: 404, and GET draft offers nothing.
        using var newcomer = host.SignatoryClient(Signatory(4), current.Id);
        Assert.Null((await newcomer.GetFromJsonAsync<JsonObject>($"api/cycles/{current.Id}/draft"))!["carryOverFrom"]);
        var (none, noneProblem) = await CarryOverAsync(newcomer, current.Id);
        Assert.Equal(HttpStatusCode.NotFound, none);
        Assert.Equal("application/problem+json", (await newcomer.PostAsync($"api/cycles/{current.Id}/draft/carry-over", null)).Content.Headers.ContentType!.MediaType);
        Assert.Contains(previous.Id, (string)noneProblem["detail"]!, StringComparison.Ordinal);

        // A bad body is refused with its pointer.
        var (bad, badProblem) = await CarryOverAsync(newcomer, current.Id, """{"copyConfidential":"yes","extra":1}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad);
        Assert.Equal(["/copyConfidential", "/extra"], badProblem["errors"]!.AsArray().Select(e => (string)e!["pointer"]!).Order());
    }

    [Fact]
    public async Task Confidential_contributions_are_copied_only_when_asked_and_then_stay_confidential()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(5);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using var client = host.SignatoryClient(signatory, current.Id);

        var (status, answer) = await CarryOverAsync(client, current.Id, """{"copyConfidential":true}""");

        Assert.Equal(HttpStatusCode.Created, status);
        var g1 = Contributions(answer, "G1");
        Assert.Equal(["c-mediation-2026", "c-safe-houses"], g1.Select(c => (string)c!["id"]!));
        Assert.Equal(Secret, (string)g1[1]!["title"]!);
        Assert.True((bool)g1[1]!["confidential"]!);
        Assert.False(g1[1]!.AsObject().ContainsKey("budgetSpentEur"));
        Assert.Equal(99m, (decimal)answer["carryOver"]!["previous"]!["c-safe-houses"]!["budgetSpentEur"]!);
        Assert.True((bool)answer["carryOver"]!["copyConfidential"]!);
        Assert.DoesNotContain(Secret, host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_accepted_version_is_carried_over_rather_than_a_later_one()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(6);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using (var coordinator = host.CoordinatorClient())
        {
            var accept = await coordinator.PostAsync($"api/cycles/{previous.Id}/signatories/{signatory}/review", Json("""{"action":"accept","version":1}"""));
            Assert.True(accept.IsSuccessStatusCode, await accept.Content.ReadAsStringAsync());
        }
        var later = LastYear();
        later["goals"]!["G1"]!["contributions"]![0]!["title"] = "Changed after acceptance";
        await SubmitAsync(signatory, previous.Id, later);
        using var client = host.SignatoryClient(signatory, current.Id);

        var (status, answer) = await CarryOverAsync(client, current.Id);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, (int)answer["carryOver"]!["version"]!);
        Assert.Equal("Mediation training for women leaders", (string)Contributions(answer, "G1")[0]!["title"]!);
    }

    [Fact]
    public async Task A_link_for_the_new_cycle_reads_last_years_data_only_through_carry_over()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(7);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using var client = host.SignatoryClient(signatory, current.Id);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"api/cycles/{previous.Id}/submissions/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"api/cycles/{previous.Id}/draft")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CarryOverAsync(client, previous.Id)).Status);
        Assert.Equal(HttpStatusCode.Created, (await CarryOverAsync(client, current.Id)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"api/cycles/{previous.Id}/submissions/mine")).StatusCode);
        using var anonymous = host.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"api/cycles/{current.Id}/draft/carry-over", Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task A_carried_contribution_must_be_confirmed_before_it_is_submitted_and_keeps_its_id()
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = Signatory(8);
        await SubmitAsync(signatory, previous.Id, LastYear());
        using var client = host.SignatoryClient(signatory, current.Id);
        var (_, answer) = await CarryOverAsync(client, current.Id);
        var submission = answer["draft"]!["submission"]!.DeepClone().AsObject();
        submission["contact"] = new JsonObject { ["name"] = "Amina Contact", ["email"] = "amina@example.org" };

        var refused = await client.PostAsync($"api/cycles/{current.Id}/submissions", Json(submission));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray()
            .Select(e => ((string)e!["pointer"]!, (string)e["code"]!)).ToList();
        Assert.Equal([("/goals/G1/contributions/0/confirmed", "unconfirmed"), ("/goals/G2/contributions/0/confirmed", "unconfirmed")], errors.Order());

        foreach (var goal in new[] { "G1", "G2" }) submission["goals"]![goal]!["contributions"]![0]!["confirmed"] = true;
        var stored = await client.PostAsync($"api/cycles/{current.Id}/submissions", Json(submission));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var ids = (await stored.Content.ReadFromJsonAsync<JsonObject>())!["contributionIds"]!;
        Assert.Equal("c-mediation-2026", (string)ids["G1"]![0]!);
        Assert.Equal("c-gender-analysis", (string)ids["G2"]![0]!);
    }
}
