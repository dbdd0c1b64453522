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

namespace Nap.Tests.Security;

/// <summary>The audit trail over HTTP: a row per staff action and per read of submission content, nothing personal in any.</summary>
public sealed class AuditTrailTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private const string Signatory = "ministry-defence";
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The raw rows of a cycle's partition, as stored.</summary>
    private async Task<List<TableEntity>> RowsAsync(string cycleId)
    {
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(AuditStorageNames.AuditTable);
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycleId}"))) rows.Add(e);
        return rows;
    }

    [Fact]
    public async Task Every_staff_action_and_every_content_read_leaves_one_row_with_ids_only()
    {
        var cycle = await host.CreateCycleAsync();
        const string canary = "CANARY-Fatima-human-rights-defender-Goma";
        using var signatory = host.SignatoryClient(Signatory, cycle.Id);
        Assert.Equal(HttpStatusCode.Created, (await signatory.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(SampleSubmissions.Valid(3, canary).ToJsonString()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signatory.PutAsync($"api/cycles/{cycle.Id}/draft",
            Json("""{"basedOnVersion":1,"submission":{"contact":{"name":"CANARY"}}}""".Replace("CANARY", canary, StringComparison.Ordinal)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signatory.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signatory.GetAsync($"api/cycles/{cycle.Id}/draft")).StatusCode);

        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        var settings = $"api/cycles/{cycle.Id}/signatories/{Signatory}";
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsync($"{settings}/reminders", Json("""{"paused":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsync($"{settings}/reminders", Json("""{"paused":false}"""))).StatusCode);
        var later = cycle.Deadline.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsync($"{settings}/extension", Json($$"""{"deadline":"{{later}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await coordinator.PutAsync($"{settings}/extension", Json("""{"deadline":"2000-01-01T00:00"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsync($"{settings}/extension", Json("""{"deadline":null}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await coordinator.PostAsync($"api/cycles/{cycle.Id}/report", null)).StatusCode);
        // Reads that show no submission content leave no row.
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync($"api/cycles/{cycle.Id}/status")).StatusCode);

        var rows = (await RowsAsync(cycle.Id)).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            ("Signatory", Signatory, "submission.read", (string?)Signatory, (int?)1, "ok"),
            ("Signatory", Signatory, "draft.read", Signatory, 1, "ok"),
            ("Staff", StaffPrincipals.ObjectId, "reminders.pause", Signatory, null, "ok"),
            ("Staff", StaffPrincipals.ObjectId, "reminders.resume", Signatory, null, "ok"),
            ("Staff", StaffPrincipals.ObjectId, "deadline.extend", Signatory, null, "ok"),
            ("Staff", StaffPrincipals.ObjectId, "deadline.extend", Signatory, null, "refused-422"),
            ("Staff", StaffPrincipals.ObjectId, "deadline.extension-removed", Signatory, null, "ok"),
            ("Staff", StaffPrincipals.ObjectId, "report.request", null, null, "ok"),
        ], rows.Select(r => (r.GetString("ActorKind"), r.GetString("ActorId"), r.GetString("Action"), (string?)r.GetString("SignatoryId"), r.GetInt32("Version"), r.GetString("Result"))));

        // Nothing personal, nothing of the content: no names, no addresses, no free text.
        var everything = string.Join('\n', rows.SelectMany(r => r.Select(p => $"{p.Key}={p.Value}")));
        var registry = host.Signatories.Single(s => s.Id == Signatory);
        Assert.DoesNotContain("CANARY", everything);
        Assert.DoesNotContain(StaffPrincipals.Name, everything);
        Assert.DoesNotContain(registry.Name, everything);
        Assert.DoesNotContain("@", everything);
        // Only these properties, ever: ids, an action, a result.
        string[] allowed = ["PartitionKey", "RowKey", "Timestamp", "odata.etag", "At", "ActorKind", "ActorId", "Action", "SignatoryId", "Version", "Result"];
        Assert.All(rows, r => Assert.Empty(r.Keys.Except(allowed)));
    }

    [Fact]
    public async Task Admins_page_through_the_trail_with_filters_and_export_it_as_csv()
    {
        var cycle = await host.CreateCycleAsync();
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        var signatories = host.ActiveSignatories.Take(5).Select(s => s.Id).ToList();
        foreach (var id in signatories)
            Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsync($"api/cycles/{cycle.Id}/signatories/{id}/reminders", Json("""{"paused":true}"""))).StatusCode);

        using var admin = host.StaffClient(StaffRoles.Admin);
        var seen = new List<JsonObject>();
        string? url = $"api/audit?cycle={cycle.Id}&pageSize=2";
        var pages = 0;
        while (url is not null)
        {
            var response = await admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            var entries = page["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
            Assert.True(entries.Count <= 2);
            seen.AddRange(entries.Where(e => (string)e["action"]! == "reminders.pause"));
            pages++;
            url = response.Headers.TryGetValues("Link", out var link)
                ? link.Single().Split('>')[0].TrimStart('<').TrimStart('/')
                : null;
            Assert.Equal(url is null, page["continuation"] is null);
        }
        Assert.True(pages >= 3);
        Assert.Equal(signatories.Order(), seen.Select(e => (string)e["signatoryId"]!).Order());
        Assert.All(seen, e => Assert.Equal(("staff", StaffPrincipals.ObjectId, "reminders.pause", cycle.Id), ((string)e["actorKind"]!, (string)e["actorId"]!, (string)e["action"]!, (string)e["cycleId"]!)));

        static List<JsonNode> Pauses(JsonObject page) => page["entries"]!.AsArray().Where(e => (string)e!["action"]! == "reminders.pause").Select(e => e!).ToList();
        var one = (await admin.GetFromJsonAsync<JsonObject>($"api/audit?cycle={cycle.Id}&signatory={signatories[2]}"))!;
        Assert.Equal(signatories[2], (string)Assert.Single(one["entries"]!.AsArray())!["signatoryId"]!);
        var future = (await admin.GetFromJsonAsync<JsonObject>($"api/audit?cycle={cycle.Id}&from=2999-01-01"))!;
        Assert.Empty(future["entries"]!.AsArray());
        var window = (await admin.GetFromJsonAsync<JsonObject>($"api/audit?cycle={cycle.Id}&from=2000-01-01&to=2999-01-01T00:00:00Z"))!;
        Assert.Equal(5, Pauses(window).Count);

        var csv = await admin.GetAsync($"api/audit?cycle={cycle.Id}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,actorKind,actorId,action,cycle,signatory,version,result", lines[0]);
        var pauses = lines.Skip(1).Where(l => l.Contains(",reminders.pause,", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, pauses.Count);
        Assert.All(lines.Skip(1), l => Assert.Matches($",staff,{StaffPrincipals.ObjectId},(reminders.pause|audit.read|audit.export),{cycle.Id},", l));
        Assert.All(pauses, l => Assert.Matches($"^\\d{{4}}-\\d\\d-\\d\\dT[0-9:.]+Z,staff,{StaffPrincipals.ObjectId},reminders.pause,{cycle.Id},[a-z0-9-]+,,ok$", l));

        // Reading the trail is itself recorded, outside the cycle's actions only by action name.
        var reads = await admin.GetFromJsonAsync<JsonObject>($"api/audit?cycle={cycle.Id}&pageSize=1000");
        var actions = reads!["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToList();
        Assert.Contains("audit.read", actions);
        Assert.Contains("audit.export", actions);
    }

    [Theory]
    [InlineData("cycle=abc", "/cycle")]
    [InlineData("signatory=Not%20An%20Id", "/signatory")]
    [InlineData("from=yesterday", "/from")]
    [InlineData("from=2026-12-02&to=2026-12-01", "/to")]
    [InlineData("pageSize=0", "/pageSize")]
    [InlineData("format=xml", "/format")]
    [InlineData("cycle=2026&cycle=2027", "/cycle")]
    public async Task Bad_query_parameters_are_400_problems_that_point_at_the_parameter(string query, string pointer)
    {
        using var admin = host.StaffClient(StaffRoles.Admin);
        var response = await admin.GetAsync("api/audit?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(pointer, (string)problem["errors"]![0]!["pointer"]!);
    }
}
