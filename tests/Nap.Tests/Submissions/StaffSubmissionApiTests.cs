using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Nap.Audit;
using Nap.Security;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>Staff read submissions over HTTP on the dev host: versions, one version, a diff; confidential text only for Nap.Confidential, checked on the wire.</summary>
public sealed class StaffSubmissionApiTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private const string Canary = "CANARY-CONFIDENTIAL-Rahel-in-Goma";

    private string Signatory => host.ActiveSignatories.First(s => s.Kind == Nap.Signatories.SignatoryKind.CivilSocietyOrganisation).Id;

    /// <summary>A valid body whose first goal has a public contribution, a confidential one and a confidential lesson: the canary only in the confidential parts.</summary>
    private static JsonObject Body(int seed, string publicTitle, string confidentialDescription, string highlight, bool extra = false)
    {
        var body = SampleSubmissions.Valid(seed);
        var goal = (JsonObject)((JsonObject)body["goals"]!).First().Value!;
        var contributions = (JsonArray)goal["contributions"]!;
        var open = (JsonObject)contributions[0]!;
        open["title"] = publicTitle;
        var secret = (JsonObject)open.DeepClone();
        secret["title"] = Canary + " title";
        secret["description"] = confidentialDescription;
        secret["partners"] = new JsonArray(Canary + " partner");
        secret["confidential"] = true;
        contributions.Add(secret);
        if (extra)
        {
            var added = (JsonObject)open.DeepClone();
            added["title"] = "Added in version 2";
            contributions.Add(added);
        }
        goal["narratives"]!["highlights"]!["text"] = highlight;
        goal["narratives"]!["lessons"]!["text"] = Canary + " lesson";
        return body;
    }

    private async Task<JsonObject> SubmitAsync(string cycleId, JsonObject body)
    {
        using var client = host.SignatoryClient(Signatory, cycleId);
        var response = await client.PostAsync($"api/cycles/{cycleId}/submissions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<(HttpStatusCode Status, string Text, JsonObject Json)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text, JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task Versions_a_version_and_the_diff_carry_confidential_text_only_for_Nap_Confidential()
    {
        var cycle = await host.CreateCycleAsync();
        var first = await SubmitAsync(cycle.Id, Body(3, "Mediation training", Canary + " description", "Women joined the talks."));
        await SubmitAsync(cycle.Id, Body(3, "Mediation training for 40 women", Canary + " description, revised", "Women led the talks.", extra: true));
        var goal = ((JsonObject)first["contributionIds"]!).First().Key;
        // One confidential contribution, and a confidential lesson in every goal reported on.
        var confidentialItems = 1 + ((JsonObject)first["contributionIds"]!).Count;
        var ids = first["contributionIds"]![goal]!.AsArray().Select(i => (string)i!).ToList();
        var basePath = $"api/cycles/{cycle.Id}/signatories/{Signatory}/submissions";

        using var reader = host.StaffClient(StaffRoles.Reader);
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        foreach (var client in new[] { reader, coordinator })
        {
            var (status, text, list) = await GetAsync(client, basePath);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal((Signatory, cycle.Id), ((string)list["signatoryId"]!, (string)list["cycleId"]!));
            var versions = list["versions"]!.AsArray();
            Assert.Equal([1, 2], versions.Select(v => (int)v!["version"]!));
            Assert.All(versions, v => Assert.True((bool)v!["hasConfidential"]!));
            Assert.All(versions, v => Assert.EndsWith(":00", (string)v!["received"]!)); // Amsterdam offset, +01:00 or +02:00
            Assert.Equal((string)first["sha256"]!, (string)versions[0]!["sha256"]!);
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);

            (status, text, var one) = await GetAsync(client, basePath + "/1");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
            Assert.DoesNotContain("withheld\":true", text, StringComparison.Ordinal);
            Assert.False((bool)one["confidentialIncluded"]!);
            Assert.Equal(confidentialItems, (int)one["withheldConfidential"]!);
            var contributions = one["submission"]!["goals"]![goal]!["contributions"]!.AsArray();
            Assert.Equal([ids[0]], contributions.Select(c => (string)c!["id"]!));
            Assert.Equal("Mediation training", (string)contributions[0]!["title"]!);
            Assert.Null(one["submission"]!["goals"]![goal]!["narratives"]!["lessons"]);
            Assert.NotNull(one["submission"]!["contact"]);

            (status, text, var diff) = await GetAsync(client, $"{basePath}/diff?from=1&to=2");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
            Assert.Equal(2 * confidentialItems, (int)diff["withheldConfidential"]!);
            var changed = diff["changed"]!.AsArray().Single();
            Assert.Equal((ids[0], goal), ((string)changed!["id"]!, (string)changed["goal"]!));
            var title = changed["fields"]!.AsArray().Single(f => (string)f!["field"]! == "/title")!;
            Assert.Equal(("Mediation training", "Mediation training for 40 women"), ((string)title["before"]!, (string)title["after"]!));
            var added = diff["added"]!.AsArray().Single();
            Assert.Equal(("Added in version 2", goal), ((string)added!["title"]!, (string)added["goal"]!));
            Assert.Empty(diff["removed"]!.AsArray());
            var narrative = diff["narratives"]!.AsArray().Single();
            Assert.Equal(("highlights", "Women joined the talks.", "Women led the talks."),
                ((string)narrative!["narrative"]!, (string)narrative["before"]!, (string)narrative["after"]!));
        }

        // With Nap.Confidential the confidential parts are there, marked, and in the diff.
        using var trusted = host.StaffClient(StaffRoles.Reader, StaffRoles.Confidential);
        var (okStatus, fullText, full) = await GetAsync(trusted, basePath + "/1");
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Contains(Canary, fullText, StringComparison.Ordinal);
        Assert.True((bool)full["confidentialIncluded"]!);
        Assert.Equal(0, (int)full["withheldConfidential"]!);
        var all = full["submission"]!["goals"]![goal]!["contributions"]!.AsArray();
        Assert.Equal(ids, all.Select(c => (string)c!["id"]!));
        Assert.True((bool)all[1]!["confidential"]!);
        Assert.True((bool)full["submission"]!["goals"]![goal]!["narratives"]!["lessons"]!["confidential"]!);
        var (_, _, fullDiff) = await GetAsync(trusted, $"{basePath}/diff?from=1&to=2");
        var secretChange = fullDiff["changed"]!.AsArray().Single(c => (string)c!["id"]! == ids[1])!;
        Assert.True((bool)secretChange["confidential"]!);
        var description = secretChange["fields"]!.AsArray().Single(f => (string)f!["field"]! == "/description")!;
        Assert.Equal((Canary + " description", Canary + " description, revised"), ((string)description["before"]!, (string)description["after"]!));

        // Each read of content is in the trail, reads of confidential text under their own action.
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(AuditStorageNames.AuditTable);
        var actions = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycle.Id}")))
            if (e.GetString("SignatoryId") == Signatory) actions.Add(e.GetString("Action"));
        Assert.Equal(2, actions.Count(a => a == AuditActions.SubmissionRead));
        Assert.Equal(2, actions.Count(a => a == AuditActions.SubmissionDiff));
        Assert.Equal(1, actions.Count(a => a == AuditActions.SubmissionReadConfidential));
        Assert.Equal(1, actions.Count(a => a == AuditActions.SubmissionDiffConfidential));
    }

    [Fact]
    public async Task Unknown_versions_are_404_and_a_diff_without_from_or_to_is_a_400_with_pointers()
    {
        var cycle = await host.CreateCycleAsync();
        await SubmitAsync(cycle.Id, Body(4, "Only version", "secret", "Highlight"));
        var basePath = $"api/cycles/{cycle.Id}/signatories/{Signatory}/submissions";
        using var reader = host.StaffClient(StaffRoles.Reader);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(basePath + "/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(basePath + "/first")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(basePath + "/diff?from=1&to=2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"api/cycles/{cycle.Id}/signatories/no-such-signatory/submissions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"api/cycles/1999/signatories/{Signatory}/submissions")).StatusCode);

        var missing = await reader.GetAsync(basePath + "/diff?from=1");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var problem = (await missing.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["/to"], problem["errors"]!.AsArray().Select(e => (string)e!["pointer"]!));
        var both = (await (await reader.GetAsync(basePath + "/diff?from=x")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["/from", "/to"], both["errors"]!.AsArray().Select(e => (string)e!["pointer"]!));

        // The same version against itself: nothing changed.
        var same = (await (await reader.GetAsync(basePath + "/diff?from=1&to=1")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Empty(same["changed"]!.AsArray());
        Assert.Empty(same["added"]!.AsArray());

        // A signatory's own link is not a staff sign-in.
        using var signatory = host.SignatoryClient(Signatory, cycle.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signatory.GetAsync(basePath + "/1")).StatusCode);
    }
}
