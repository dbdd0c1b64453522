using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Nap.Audit;
using Nap.Cycles;
using Microsoft.Extensions.DependencyInjection;
using Nap.Security;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Security;

/// <summary>Every staff route over HTTP on the dev host: no principal, the wrong role, the right role; CSRF; old tokens.</summary>
public sealed class StaffAccessTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    public sealed record StaffRoute(string Name, string Method, string Path, string? Body, string Role, string WrongRole, HttpStatusCode Success)
    {
        public override string ToString() => Name;
    }

    private const string Signatory = "ministry-defence";

    /// <summary>The route table: every HTTP function that serves staff, with the role it needs and a role that is not enough.</summary>
    public static readonly StaffRoute[] Routes =
    [
        new("GetCycleStatus", "GET", "api/cycles/{cycle}/status", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        new("ListReminderLedger", "GET", "api/cycles/{cycle}/reminders", null, StaffRoles.Reader, StaffRoles.Confidential, HttpStatusCode.OK),
        new("ListReports", "GET", "api/cycles/{cycle}/report", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        new("SetReminderPause", "PUT", $"api/cycles/{{cycle}}/signatories/{Signatory}/reminders", """{"paused":true}""", StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.OK),
        new("SetDeadlineExtension", "PUT", $"api/cycles/{{cycle}}/signatories/{Signatory}/extension", """{"deadline":null}""", StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.OK),
        new("RequestFinalReport", "POST", "api/cycles/{cycle}/report", null, StaffRoles.Coordinator, StaffRoles.Admin, HttpStatusCode.Accepted),
        new("GetReview", "GET", $"api/cycles/{{cycle}}/signatories/{Signatory}/review", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        // Past sign-in and role, a fresh cycle has nothing to review: 409 is the service's answer.
        new("ReviewSubmission", "POST", $"api/cycles/{{cycle}}/signatories/{Signatory}/review", """{"action":"accept","version":1}""", StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.Conflict),
        new("RevokeLink", "DELETE", "api/links/0123456789abcdef0123456789abcdef", null, StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.OK),
        new("RevokeSignatoryLinks", "DELETE", $"api/signatories/{Signatory}/links", null, StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.OK),
        new("ListAudit", "GET", "api/audit?cycle={cycle}", null, StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.OK),
        new("GetReportTexts", "GET", "api/cycles/{cycle}/report/texts", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        new("PutReportTexts", "PUT", "api/cycles/{cycle}/report/texts", """{"introduction":"Inleiding."}""", StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.OK),
        // No report compiled in a fresh cycle: past the role check the answer is the version's 404.
        new("DownloadReportFile", "GET", "api/cycles/{cycle}/report/1/annex.docx", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.NotFound),
        new("ErasePerson", "POST", "api/privacy/erasures", """{"email":"nobody@example.org"}""", StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.OK),
        // A fresh cycle has no version to redact: past sign-in and role, the answer is the version's 404.
        new("RedactVersion", "POST", $"api/cycles/{{cycle}}/signatories/{Signatory}/submissions/1/redactions",
            """{"replacements":[{"pointer":"/goals/G1/narratives/highlights/text","text":"[verwijderd]"}],"reason":"test"}""", StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.NotFound),
        new("ListSignatorySubmissions", "GET", $"api/cycles/{{cycle}}/signatories/{Signatory}/submissions", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        // Nothing submitted in a fresh cycle: past the role check, the version's 404.
        new("GetSignatorySubmission", "GET", $"api/cycles/{{cycle}}/signatories/{Signatory}/submissions/1", null, StaffRoles.Reader, StaffRoles.Confidential, HttpStatusCode.NotFound),
        new("DiffSignatorySubmissions", "GET", $"api/cycles/{{cycle}}/signatories/{Signatory}/submissions/diff?from=1&to=1", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.NotFound),
        new("GetCycleStatusCsv", "GET", "api/cycles/{cycle}/status.csv", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        // A fresh cycle has no ledger entries: past the role check, the entry's 404.
        new("RetryReminder", "POST", $"api/cycles/{{cycle}}/reminders/{Signatory}.invitation.0123456789abcdef01234567/retry", null, StaffRoles.Coordinator, StaffRoles.Reader, HttpStatusCode.NotFound),
        new("ListSignatories", "GET", "api/signatories", null, StaffRoles.Reader, StaffRoles.Admin, HttpStatusCode.OK),
        new("GetSignatory", "GET", $"api/signatories/{Signatory}", null, StaffRoles.Reader, StaffRoles.Confidential, HttpStatusCode.OK),
        // The registry is shared by every test: past the role check these change nothing (an invalid body, no If-Match, an unknown id, a preview).
        new("CreateSignatory", "POST", "api/signatories", "{}", StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.UnprocessableEntity),
        new("UpdateSignatory", "PUT", $"api/signatories/{Signatory}", "{}", StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.PreconditionRequired),
        new("DeactivateSignatory", "POST", "api/signatories/no-such-signatory/deactivate", null, StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.NotFound),
        new("ImportSignatories", "POST", "api/signatories/import?mode=preview", """{"signatories":[]}""", StaffRoles.Admin, StaffRoles.Reader, HttpStatusCode.OK),
        // Past sign-in and role, an invalid cycle is the service's 422 (a valid one would exist the second time).
        new("OpenCycle", "POST", "api/cycles", """{"id":"not-a-cycle"}""", StaffRoles.Admin, StaffRoles.Coordinator, (HttpStatusCode)422),
        new("GetCycle", "GET", "api/cycles/{cycle}", null, StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.OK),
        // Without If-Match, past the role check: 428.
        new("EditCycle", "PUT", "api/cycles/{cycle}", """{"acceptLate":false}""", StaffRoles.Admin, StaffRoles.Reader, (HttpStatusCode)428),
        new("CloseCycle", "POST", "api/cycles/{cycle}/close", null, StaffRoles.Admin, StaffRoles.Coordinator, HttpStatusCode.OK),
    ];

    public static TheoryData<StaffRoute> All()
    {
        var data = new TheoryData<StaffRoute>();
        foreach (var r in Routes) data.Add(r);
        return data;
    }

    private static HttpRequestMessage Request(StaffRoute route, string cycleId, string? principal = null, string? origin = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path.Replace("{cycle}", cycleId, StringComparison.Ordinal));
        if (route.Body is not null) request.Content = new StringContent(route.Body, Encoding.UTF8, "application/json");
        if (principal is not null) request.Headers.Add(ClientPrincipal.HeaderName, principal);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return request;
    }

    private static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode expected, string route)
    {
        Assert.True(response.StatusCode == expected, $"{route}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        return problem;
    }

    [Fact]
    public void The_route_table_covers_every_staff_function()
    {
        // A staff function is one that resolves a staff member; the table above must list each of them.
        var sources = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "functions", "Nap.Functions", "Api"), "*.cs")
            .Select(File.ReadAllText).ToList();
        var staffFunctions = sources.SelectMany(src => System.Text.RegularExpressions.Regex.Matches(src,
                @"\[Function\(""(?<name>\w+)""\)\](?:(?!\[Function\().)*?callers\.Staff\(request, StaffRoles\.(?<role>\w+)\)",
                System.Text.RegularExpressions.RegexOptions.Singleline))
            .Select(m => $"{m.Groups["name"].Value}:Nap.{m.Groups["role"].Value}").Order().ToList();
        Assert.Equal(Routes.Select(r => $"{r.Name}:{r.Role}").Order(), staffFunctions);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task Without_a_principal_a_staff_route_answers_401(StaffRoute route)
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.NewClient();
        var problem = await Problem(await client.SendAsync(Request(route, cycle.Id)), HttpStatusCode.Unauthorized, route.Name);
        Assert.Contains("/.auth/login/aad", (string)problem["detail"]!);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_coordinator_jwt_from_before_Entra_sign_in_gets_401(StaffRoute route)
    {
        var cycle = await host.CreateCycleAsync();
        // What nap-admin used to mint: signed with the app's key, role "coordinator".
        var key = new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String("bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=")) { KeyId = "local-1" };
        var now = DateTime.UtcNow;
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "nap1325", Audience = "nap1325-api", IssuedAt = now, NotBefore = now, Expires = now.AddHours(12),
            Claims = new Dictionary<string, object> { ["sub"] = "local-coordinator", ["role"] = "coordinator" },
            SigningCredentials = new(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using var client = host.NewClient();
        await Problem(await client.SendAsync(Request(route, cycle.Id, bearer: jwt)), HttpStatusCode.Unauthorized, route.Name);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_principal_without_the_role_gets_403_and_changes_nothing(StaffRoute route)
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.NewClient();
        var problem = await Problem(await client.SendAsync(Request(route, cycle.Id, StaffPrincipals.Header(route.WrongRole))), HttpStatusCode.Forbidden, route.Name);
        Assert.Contains(route.Role, (string)problem["detail"]!);
        Assert.Null(await host.Services.GetRequiredService<ICycleStore>().FindSettingsAsync(cycle.Id, Signatory));
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_principal_with_the_role_is_served(StaffRoute route)
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.NewClient();
        var response = await client.SendAsync(Request(route, cycle.Id, StaffPrincipals.Header(route.Role)));
        Assert.True(response.StatusCode == route.Success, $"{route.Name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_malformed_principal_gets_401(StaffRoute route)
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.NewClient();
        await Problem(await client.SendAsync(Request(route, cycle.Id, "eyJub3QiOiJhIHByaW5jaXBhbCJ9")), HttpStatusCode.Unauthorized, route.Name);
        await Problem(await client.SendAsync(Request(route, cycle.Id, new string('A', ClientPrincipal.MaxHeaderLength + 4))), HttpStatusCode.Unauthorized, route.Name);
    }

    [Fact]
    public async Task A_cross_origin_put_is_refused_and_changes_nothing()
    {
        var cycle = await host.CreateCycleAsync();
        var pause = Routes.Single(r => r.Name == "SetReminderPause");
        using var client = host.NewClient();
        var problem = await Problem(await client.SendAsync(Request(pause, cycle.Id, StaffPrincipals.Header(StaffRoles.Coordinator), origin: "https://evil.example")),
            HttpStatusCode.Forbidden, pause.Name);
        Assert.Equal("urn:nap1325:problem:cross-origin", (string)problem["type"]!);
        Assert.Null(await host.Services.GetRequiredService<ICycleStore>().FindSettingsAsync(cycle.Id, Signatory));
        var request = Routes.Single(r => r.Name == "RequestFinalReport");
        await Problem(await client.SendAsync(Request(request, cycle.Id, StaffPrincipals.Header(StaffRoles.Coordinator), origin: "null")), HttpStatusCode.Forbidden, request.Name);

        // The app's own pages send their own origin; scripts send none.
        var own = host.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(pause, cycle.Id, StaffPrincipals.Header(StaffRoles.Coordinator), origin: own))).StatusCode);
        Assert.True((await host.Services.GetRequiredService<ICycleStore>().FindSettingsAsync(cycle.Id, Signatory))!.RemindersPaused);
        // Reads carry no CSRF risk and are not refused for their origin.
        var status = Routes.Single(r => r.Name == "GetCycleStatus");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(status, cycle.Id, StaffPrincipals.Header(StaffRoles.Reader), origin: "https://evil.example"))).StatusCode);
    }

    [Fact]
    public async Task The_signatory_routes_ignore_a_staff_principal()
    {
        var cycle = await host.CreateCycleAsync();
        using var staff = host.StaffClient(StaffRoles.Admin, StaffRoles.Coordinator, StaffRoles.Confidential);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.GetAsync($"api/cycles/{cycle.Id}/draft")).StatusCode);
    }
}
