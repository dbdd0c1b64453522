using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Cycles;

/// <summary>The cycles admin API over HTTP on the dev host, with the principals Easy Auth would inject.</summary>
public sealed class CycleAdministrationTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static JsonObject NewCycle(string id) => new()
    {
        ["id"] = id, ["periodStart"] = $"{id}-01-01", ["periodEnd"] = $"{id}-12-31", ["opensOn"] = $"{int.Parse(id) + 1}-01-15",
        ["deadline"] = $"{int.Parse(id) + 1}-03-01T17:00", ["reminderOffsetsDays"] = new JsonArray(14, 7, 1), ["overdueOffsetsDays"] = new JsonArray(3, 7), ["acceptLate"] = true, ["reportVersions"] = "latest",
    };

    private static HttpRequestMessage Put(string id, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/cycles/{id}") { Content = JsonContent.Create(body) };
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    [Fact]
    public async Task An_admin_opens_reads_edits_and_closes_a_cycle_under_its_etag()
    {
        var id = DevHostFixture.NewCycleId();
        using var admin = host.StaffClient(StaffRoles.Admin);

        var opened = await admin.PostAsJsonAsync("api/cycles", NewCycle(id));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal($"/api/cycles/{id}", opened.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("api/cycles", NewCycle(id))).StatusCode);

        var got = await admin.GetAsync($"api/cycles/{id}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        var etag = got.Headers.ETag!.Tag;
        var cycle = (await got.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal($"{int.Parse(id) + 1}-03-01T17:00", (string)cycle["deadline"]!);
        Assert.Equal("open", (string)cycle["status"]!);

        Assert.Equal((HttpStatusCode)428, (await admin.SendAsync(Put(id, new { deadline = $"{int.Parse(id) + 1}-03-15T17:00" }, null))).StatusCode);
        var edited = await admin.SendAsync(Put(id, new { deadline = $"{int.Parse(id) + 1}-03-15T17:00", acceptLate = false, reminderOffsetsDays = new[] { 7, 1 } }, etag));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.NotEqual(etag, edited.Headers.ETag!.Tag);
        var stored = (await host.Services.GetRequiredService<ICycleStore>().FindStoredAsync(id))!.Value.Cycle;
        Assert.Equal(new DateTime(int.Parse(id) + 1, 3, 15, 17, 0, 0), stored.Deadline);
        Assert.False(stored.AcceptLate);
        Assert.Equal([7, 1], stored.ReminderOffsetsDays);
        // An edit keeps what it leaves out, the final's version choice too.
        Assert.Equal(ReportVersionPolicy.Latest, stored.ReportVersions);
        Assert.Equal(new DateOnly(int.Parse(id) + 1, 1, 15), stored.OpensOn);

        // The first ETag is stale now: nothing changes.
        var stale = await admin.SendAsync(Put(id, new { acceptLate = true }, etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.False((await host.Services.GetRequiredService<ICycleStore>().FindStoredAsync(id))!.Value.Cycle.AcceptLate);

        using var reader = host.StaffClient(StaffRoles.Reader, StaffRoles.Coordinator);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendAsync(Put(id, new { acceptLate = true }, edited.Headers.ETag!.Tag))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"api/cycles/{id}/close", null)).StatusCode);

        var closed = await admin.PostAsync($"api/cycles/{id}/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("closed", (string)(await closed.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        Assert.Equal(CycleStatus.Closed, (await host.Services.GetRequiredService<ICycleStore>().FindStoredAsync(id))!.Value.Cycle.Status);

        var audit = await host.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(id), null, 100);
        var actions = audit.Entries.Select(e => $"{e.Action}:{e.Result}").ToList();
        Assert.Contains("cycle.open:ok", actions);
        Assert.Contains("cycle.open:refused-409", actions);
        Assert.Contains("cycle.edit:ok", actions);
        Assert.Contains("cycle.edit:refused-428", actions);
        Assert.Contains("cycle.edit:refused-412", actions);
        Assert.Contains("cycle.close:ok", actions);
        Assert.All(audit.Entries, e => Assert.Equal(StaffPrincipals.ObjectId, e.ActorId));
    }

    [Fact]
    public async Task Invalid_fields_are_422_with_json_pointers_and_nothing_is_stored()
    {
        var id = DevHostFixture.NewCycleId();
        using var admin = host.StaffClient(StaffRoles.Admin);
        var body = NewCycle(id);
        body["periodEnd"] = $"{int.Parse(id) - 1}-12-31";
        body["deadline"] = "1 March";
        body["reminderOffsetsDays"] = new JsonArray(14, 400);
        body.Remove("opensOn");
        var response = await admin.PostAsJsonAsync("api/cycles", body);
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["/deadline", "/opensOn", "/periodEnd", "/reminderOffsetsDays/1"],
            problem["errors"]!.AsArray().Select(e => (string)e!["pointer"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("1 March", problem.ToJsonString());
        Assert.Null(await host.Services.GetRequiredService<ICycleStore>().FindStoredAsync(id));

        var bad = await admin.PostAsJsonAsync("api/cycles", new { id = "twenty", periodStart = "2027-01-01", periodEnd = "2027-12-31", opensOn = "2028-01-01", deadline = "2028-03-01T17:00" });
        Assert.Equal("/id", (string)(await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![0]!["pointer"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/cycles/{DevHostFixture.NewCycleId()}")).StatusCode);
    }
}
