using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Nap.Audit;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Signatories;

/// <summary>The registry over HTTP on the dev host with staff principals: create, edit under If-Match, deactivate, import with a preview.</summary>
[Collection(RegistryWriters.Name)]
public sealed class SignatoryApiTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static string NewId() => "console-" + Guid.NewGuid().ToString("N")[..10];

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static object Body(string id, string primary, string secondary, string name = "Stichting Console") => new
    {
        id,
        name,
        kind = "civil-society-organisation",
        language = "nl",
        contacts = new[]
        {
            new { name = "Eerste Contact", email = primary, role = "primary" },
            new { name = "Tweede Contact", email = secondary, role = "secondary" },
        },
    };

    private static async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await client.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!, response);
    }

    private async Task<List<string>> AuditActionsAsync(string signatoryId)
    {
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(AuditStorageNames.AuditTable);
        var actions = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SignatoryId eq {signatoryId}"))) actions.Add(e.GetString("Action"));
        return actions;
    }

    [Fact]
    public async Task An_admin_creates_edits_under_if_match_and_deactivates_and_a_changed_address_ends_its_links()
    {
        var id = NewId();
        var primary = $"{id}-a@example.org";
        var secondary = $"{id}-b@example.org";
        using var admin = host.StaffClient(StaffRoles.Admin);
        using var reader = host.StaffClient(StaffRoles.Reader);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(reader, HttpMethod.Post, "api/signatories", Json(Body(id, primary, secondary)))).Status);
        var (status, created, response) = await SendAsync(admin, HttpMethod.Post, "api/signatories", Json(Body(id, primary, secondary)));
        Assert.True(status == HttpStatusCode.Created, created.ToJsonString());
        Assert.Equal($"/api/signatories/{id}", response.Headers.Location?.ToString());
        var etag = response.Headers.ETag!.ToString();
        Assert.Equal(etag, (string)created["etag"]!);
        Assert.Equal(("civil-society-organisation", true, "secondary"), ((string)created["kind"]!, (bool)created["active"]!, (string)created["contacts"]![1]!["role"]!));
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(admin, HttpMethod.Post, "api/signatories", Json(Body(id, primary, secondary)))).Status);

        // Every problem at once, each by pointer, none repeating the value.
        var (invalid, problem, _) = await SendAsync(admin, HttpMethod.Post, "api/signatories", Json(new
        {
            id = "Not An Id", name = "", kind = "club", language = "de",
            contacts = new[] { new { name = "", email = "CANARY-not-an-address", role = "boss" } },
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Equal(["/contacts", "/contacts/0/email", "/contacts/0/name", "/contacts/0/role", "/id", "/kind", "/language", "/name"],
            problem["errors"]!.AsArray().Select(e => (string)e!["pointer"]!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("CANARY", problem.ToJsonString(), StringComparison.Ordinal);

        var list = (await reader.GetFromJsonAsync<JsonObject>("api/signatories"))!;
        var listed = list["signatories"]!.AsArray().Single(s => (string)s!["id"]! == id)!;
        Assert.Equal(etag, (string)listed["etag"]!);
        Assert.Equal(primary, (string)listed["contacts"]![0]!["email"]!);
        var (_, got, getResponse) = await SendAsync(reader, HttpMethod.Get, $"api/signatories/{id}");
        Assert.Equal(etag, getResponse.Headers.ETag!.ToString());
        Assert.Equal("Stichting Console", (string)got["name"]!);

        // Links to both contacts work.
        var cycle = await host.CreateCycleAsync();
        var toPrimary = await host.Links.IssueAsync(id, cycle.Id, primary);
        var toSecondary = await host.Links.IssueAsync(id, cycle.Id, secondary);
        async Task<HttpStatusCode> MineAsync(string token)
        {
            using var client = host.ClientWith(token);
            return (await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.NotFound, await MineAsync(toSecondary)); // signed in, nothing submitted

        var edit = Json(Body(id, primary, $"{id}-new@example.org", "Stichting Console Nieuw"));
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await SendAsync(admin, HttpMethod.Put, $"api/signatories/{id}", edit)).Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(admin, HttpMethod.Put, $"api/signatories/{id}", Json(Body(id, primary, $"{id}-new@example.org")), "\"stale\"")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(admin, HttpMethod.Put, $"api/signatories/{id}", Json(Body("other-id", primary, secondary)), etag)).Status);
        var (edited, after, editResponse) = await SendAsync(admin, HttpMethod.Put, $"api/signatories/{id}", Json(Body(id, primary, $"{id}-new@example.org", "Stichting Console Nieuw")), etag);
        Assert.True(edited == HttpStatusCode.OK, after.ToJsonString());
        Assert.Equal("Stichting Console Nieuw", (string)after["name"]!);
        var newEtag = editResponse.Headers.ETag!.ToString();
        Assert.NotEqual(etag, newEtag);
        // The old ETag is stale now; nothing changed by the refused edit.
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(admin, HttpMethod.Put, $"api/signatories/{id}", Json(Body(id, primary, secondary)), etag)).Status);

        // The link sent to the replaced address no longer works; the other one does.
        Assert.Equal(HttpStatusCode.Unauthorized, await MineAsync(toSecondary));
        Assert.Equal(HttpStatusCode.NotFound, await MineAsync(toPrimary));

        var (deactivated, inactive, _) = await SendAsync(admin, HttpMethod.Post, $"api/signatories/{id}/deactivate");
        Assert.Equal(HttpStatusCode.OK, deactivated);
        Assert.False((bool)inactive["active"]!);
        Assert.Equal(HttpStatusCode.Forbidden, await MineAsync(toPrimary));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, HttpMethod.Post, "api/signatories/no-such-signatory-here/deactivate")).Status);

        var actions = await AuditActionsAsync(id);
        Assert.Equal(1, actions.Count(a => a == AuditActions.RegistryDeactivate));
        Assert.True(actions.Count(a => a == AuditActions.RegistryUpdate) >= 1);
    }

    [Fact]
    public async Task An_import_preview_lists_each_problem_by_row_and_writes_nothing_and_a_clean_apply_writes_all()
    {
        var a = NewId();
        var b = NewId();
        var bad = string.Join("\r\n",
            "id;name;kind;language;active;contact_name;contact_email;contact_role",
            $"{a};Stichting A;other;nl;true;Anna;{a}@example.org;primary",
            $"{b};Stichting B;club;nl;true;Bert;{b}@example.org;primary",
            $"{a}-x;Stichting C;other;nl;true;Cees;CANARY-no-address;primary",
            "");
        using var admin = host.StaffClient(StaffRoles.Admin);
        var registry = host.Services.GetRequiredService<ISignatoryRegistry>();
        StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

        var (status, preview, _) = await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=preview", Csv(bad));
        Assert.True(status == HttpStatusCode.OK, preview.ToJsonString());
        Assert.Equal(3, (int)preview["rows"]!);
        var problems = preview["problems"]!.AsArray();
        Assert.Equal([(3, "/3/kind", "unknown-value"), (4, "/4/contact_email", "invalid-email")],
            problems.Select(p => ((int)p!["row"]!, (string)p["pointer"]!, (string)p["code"]!)));
        Assert.Equal([a], preview["changes"]!["add"]!.AsArray().Select(x => (string)x!));
        Assert.DoesNotContain("CANARY", preview.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await registry.ReadAsync(a));

        var (refused, problem, _) = await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=apply", Csv(bad));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal([(3, "/3/kind"), (4, "/4/contact_email")], problem["errors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["pointer"]!)));
        Assert.Null(await registry.ReadAsync(a));
        Assert.Null(await registry.ReadAsync(b));

        var good = bad.Replace(";club;", ";other;", StringComparison.Ordinal).Replace("CANARY-no-address", $"{a}-x@example.org", StringComparison.Ordinal);
        (status, var applied, _) = await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=apply", Csv(good));
        Assert.True(status == HttpStatusCode.OK, applied.ToJsonString());
        Assert.Empty(applied["problems"]!.AsArray());
        Assert.Equal(new[] { a, b, a + "-x" }.Order(), applied["changes"]!["add"]!.AsArray().Select(x => (string)x!).Order());
        Assert.Equal("Stichting B", (await registry.ReadAsync(b))!.Name);

        // JSON too; the same registry again is unchanged, a renamed one an update.
        var json = new JsonObject
        {
            ["signatories"] = new JsonArray(
                new JsonObject { ["id"] = a, ["name"] = "Stichting A", ["kind"] = "other", ["language"] = "nl", ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Anna", ["email"] = $"{a}@example.org", ["role"] = "primary" }) },
                new JsonObject { ["id"] = b, ["name"] = "Stichting B2", ["kind"] = "other", ["language"] = "nl", ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Bert", ["email"] = $"{b}@example.org", ["role"] = "primary" }) }),
        };
        (status, var jsonPreview, _) = await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=preview", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(jsonPreview["changes"]!["add"]!.AsArray());
        Assert.Equal([b], jsonPreview["changes"]!["update"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(1, (int)jsonPreview["changes"]!["unchanged"]!);
        Assert.Equal("Stichting B", (await registry.ReadAsync(b))!.Name);

        json["signatories"]![1]!["contacts"]![0]!["email"] = "not-an-address";
        (status, var jsonBad, _) = await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=preview", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal([(2, "/signatories/1/contacts/0/email")], jsonBad["problems"]!.AsArray().Select(p => ((int)p!["row"]!, (string)p["pointer"]!)));

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=maybe", Csv(good))).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await SendAsync(admin, HttpMethod.Post, "api/signatories/import?mode=preview", new StringContent(good, Encoding.UTF8, "text/plain"))).Status);
        using var coordinator = host.CoordinatorClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(coordinator, HttpMethod.Post, "api/signatories/import?mode=preview", Csv(good))).Status);
    }
}
