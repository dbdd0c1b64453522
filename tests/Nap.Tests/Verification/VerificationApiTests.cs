using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Infrastructure;
using Nap.Tests.Reminders;

namespace Nap.Tests.Verification;

/// <summary>
/// The one-time code over HTTP on the dev host (fake clock, WireMock as Graph): confidential parts are withheld from a
/// link alone, shown with a verified session; the code's lifetime, tries, rate limit and recipient.
/// </summary>
public sealed partial class VerificationApiTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    private const string Signatory = "brug-foundation";
    private const string Secret = "CANARY-CONFIDENTIAL-Amina-in-Bukavu";

    [GeneratedRegex(@"Code: (\d{6})")]
    private static partial Regex CodeLine();

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private Contact ContactOf(ContactRole role) => host.ContactOf(Signatory, role);

    private HttpClient LinkFor(string cycleId, Contact contact, string? session = null)
    {
        var token = host.Tokens.IssueAsync(new LinkClaims(Signatory, cycleId, ReminderLedger.RecipientHash(contact.Email)), host.Time.GetUtcNow().AddDays(20)).GetAwaiter().GetResult();
        var client = host.ClientWith(token);
        if (session is not null) client.DefaultRequestHeaders.Add("X-Nap-Session", session);
        return client;
    }

    private static JsonObject WithSecret(int seed)
    {
        var body = SampleSubmissions.Valid(seed);
        foreach (var (_, g) in body["goals"]!.AsObject()) g!["narratives"]!["lessons"]!["text"] = Secret;
        return body;
    }

    private async Task SubmitAsync(HttpClient link, string cycleId, JsonObject body)
    {
        var response = await link.PostAsync($"api/cycles/{cycleId}/submissions", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> RequestCodeAsync(HttpClient link, string cycleId, string to)
    {
        var before = CodesTo(to).Count;
        var response = await link.PostAsync($"api/cycles/{cycleId}/verification", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var codes = CodesTo(to);
        Assert.Equal(before + 1, codes.Count);
        return codes[^1];
    }

    private List<string> CodesTo(string address) => host.Graph.Accepted()
        .Where(m => m.To.Contains(address) && CodeLine().IsMatch(m.Text ?? m.Html))
        .Select(m => CodeLine().Match(m.Text ?? m.Html).Groups[1].Value).ToList();

    private static async Task<(HttpStatusCode Status, JsonObject Body)> ConfirmAsync(HttpClient link, string cycleId, string code)
    {
        var response = await link.PostAsync($"api/cycles/{cycleId}/verification/confirm", Json(new JsonObject { ["code"] = code }));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static async Task<JsonObject> GetAsync(HttpClient link, string path)
    {
        var response = await link.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static string Wrong(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Without_confidential_parts_the_link_alone_reads_everything_back()
    {
        var cycle = await host.CreateScopedCycleAsync();
        using var link = LinkFor(cycle.Id, ContactOf(ContactRole.Primary));
        var body = SampleSubmissions.Valid(21);
        foreach (var (_, g) in body["goals"]!.AsObject()) g!["narratives"]!["lessons"]!["confidential"] = false;
        await SubmitAsync(link, cycle.Id, body);
        var mine = await GetAsync(link, $"api/cycles/{cycle.Id}/submissions/mine");
        Assert.False((bool)mine["confidentialWithheld"]!);
        Assert.Equal("Lesson", (string)mine["submission"]!["goals"]!.AsObject().First().Value!["narratives"]!["lessons"]!["text"]!);
    }

    [Fact]
    public async Task Confidential_parts_need_a_code_sent_only_to_the_links_contact_and_the_session_is_bound_to_that_link()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var secondary = ContactOf(ContactRole.Secondary);
        var primary = ContactOf(ContactRole.Primary);
        using var link = LinkFor(cycle.Id, secondary);
        // Writing never needs the code.
        await SubmitAsync(link, cycle.Id, WithSecret(22));
        var draftPut = await link.PutAsync($"api/cycles/{cycle.Id}/draft", Json(new JsonObject { ["basedOnVersion"] = 1, ["submission"] = WithSecret(23) }));
        Assert.Equal(HttpStatusCode.OK, draftPut.StatusCode);

        // The link alone: confidential parts withheld (placeholders at their places), flagged, for the version and the draft.
        var raw = await (await link.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
        var mine = JsonNode.Parse(raw)!;
        Assert.True((bool)mine["confidentialWithheld"]!);
        Assert.True((bool)mine["submission"]!["goals"]!.AsObject().First().Value!["narratives"]!["lessons"]!["withheld"]!);
        Assert.Equal("Highlight", (string)mine["submission"]!["goals"]!.AsObject().First().Value!["narratives"]!["highlights"]!["text"]!);
        var v1 = await (await link.GetAsync($"api/cycles/{cycle.Id}/submissions/mine?version=1")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, v1, StringComparison.Ordinal);
        var draftRaw = await (await link.GetAsync($"api/cycles/{cycle.Id}/draft")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, draftRaw, StringComparison.Ordinal);
        Assert.True((bool)JsonNode.Parse(draftRaw)!["confidentialWithheld"]!);

        // The code goes to the link's contact (the secondary), nobody else.
        var toPrimary = CodesTo(primary.Email).Count;
        var code = await RequestCodeAsync(link, cycle.Id, secondary.Email);
        Assert.Equal(toPrimary, CodesTo(primary.Email).Count);
        var mail = host.Graph.Accepted().Last(m => m.To.Contains(secondary.Email));
        Assert.Equal([secondary.Email], mail.To);
        Assert.DoesNotContain(code, mail.Subject, StringComparison.Ordinal);

        var (status, session) = await ConfirmAsync(link, cycle.Id, code);
        Assert.Equal(HttpStatusCode.OK, status);
        var token = (string)session["sessionToken"]!;
        Assert.True(DateTimeOffset.Parse((string)session["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture) <= host.Time.GetUtcNow().AddHours(8));

        using (var verified = LinkFor(cycle.Id, secondary, token))
        {
            // A link minted anew for the same contact has another id: the session was for the link that asked.
            var other = await GetAsync(verified, $"api/cycles/{cycle.Id}/submissions/mine");
            Assert.True((bool)other["confidentialWithheld"]!);
        }
        link.DefaultRequestHeaders.Add("X-Nap-Session", token);
        var full = await GetAsync(link, $"api/cycles/{cycle.Id}/submissions/mine");
        Assert.False((bool)full["confidentialWithheld"]!);
        Assert.Equal(Secret, (string)full["submission"]!["goals"]!.AsObject().First().Value!["narratives"]!["lessons"]!["text"]!);
        Assert.Contains(Secret, await (await link.GetAsync($"api/cycles/{cycle.Id}/draft")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The code is used once; neither code nor session token is in any log line.
        var (again, againBody) = await ConfirmAsync(link, cycle.Id, code);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.EndsWith(":no-code", (string)againBody["type"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(code, host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token, host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, host.Logs.All, StringComparison.Ordinal);

        // The session ends after 8 hours.
        host.Time.Advance(TimeSpan.FromHours(8));
        Assert.True((bool)(await GetAsync(link, $"api/cycles/{cycle.Id}/submissions/mine"))["confidentialWithheld"]!);
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var contact = ContactOf(ContactRole.Primary);
        using var link = LinkFor(cycle.Id, contact);
        await SubmitAsync(link, cycle.Id, WithSecret(24));
        var code = await RequestCodeAsync(link, cycle.Id, contact.Email);
        host.Time.Advance(TimeSpan.FromMinutes(10));
        var (status, body) = await ConfirmAsync(link, cycle.Id, code);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith(":code-expired", (string)body["type"]!, StringComparison.Ordinal);

        var fresh = await RequestCodeAsync(link, cycle.Id, contact.Email);
        host.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(link, cycle.Id, fresh)).Status);
    }

    [Fact]
    public async Task Five_wrong_tries_lock_the_code_even_for_the_right_one_until_a_new_code()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var contact = ContactOf(ContactRole.Primary);
        using var link = LinkFor(cycle.Id, contact);
        await SubmitAsync(link, cycle.Id, WithSecret(25));
        var code = await RequestCodeAsync(link, cycle.Id, contact.Email);
        for (var i = 1; i <= 4; i++)
        {
            var (status, body) = await ConfirmAsync(link, cycle.Id, Wrong(code));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Equal(("/code", "wrong-code", 5 - i), ((string)body["errors"]![0]!["pointer"]!, (string)body["errors"]![0]!["code"]!, (int)body["errors"]![0]!["max"]!));
        }
        var (fifth, fifthBody) = await ConfirmAsync(link, cycle.Id, Wrong(code));
        Assert.Equal(HttpStatusCode.Conflict, fifth);
        Assert.EndsWith(":code-locked", (string)fifthBody["type"]!, StringComparison.Ordinal);
        var (right, rightBody) = await ConfirmAsync(link, cycle.Id, code);
        Assert.Equal(HttpStatusCode.Conflict, right);
        Assert.EndsWith(":code-locked", (string)rightBody["type"]!, StringComparison.Ordinal);
        // Not a number of six digits: refused without counting as a try.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ConfirmAsync(link, cycle.Id, "12a456")).Status);

        var fresh = await RequestCodeAsync(link, cycle.Id, contact.Email);
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(link, cycle.Id, fresh)).Status);
    }

    [Fact]
    public async Task Asking_for_codes_is_rate_limited_per_contact_with_retry_after()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var contact = ContactOf(ContactRole.Primary);
        using var link = LinkFor(cycle.Id, contact);
        for (var i = 0; i < 3; i++) await RequestCodeAsync(link, cycle.Id, contact.Email);
        var sent = CodesTo(contact.Email).Count;
        var refused = await link.PostAsync($"api/cycles/{cycle.Id}/verification", null);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalMinutes, 1, 60);
        Assert.Equal(sent, CodesTo(contact.Email).Count);

        // Only the last code works; after the window a new one may be asked for.
        host.Time.Advance(retryAfter);
        var code = await RequestCodeAsync(link, cycle.Id, contact.Email);
        Assert.Equal(HttpStatusCode.OK, (await ConfirmAsync(link, cycle.Id, code)).Status);
    }
}
