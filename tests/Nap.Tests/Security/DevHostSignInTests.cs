using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nap.DevHost;
using Nap.Security;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Security;

/// <summary>The dev host's stand-in for Easy Auth: /.auth/login/aad, /.auth/me, /.auth/logout and the injected header.</summary>
public sealed class DevHostSignInTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [Fact]
    public async Task Signing_in_on_the_local_page_sets_a_session_that_later_requests_carry_as_the_principal()
    {
        var cycle = await host.CreateCycleAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        var page = await browser.GetAsync("/.auth/login/aad?post_login_redirect_uri=/api/cycles");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var role in StaffRoles.All) Assert.Contains($"value=\"{role}\"", html);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/.auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"api/cycles/{cycle.Id}/status")).StatusCode);

        var signIn = await browser.PostAsync("/.auth/login/aad", Form(("name", "Dana Local"), ("roles", StaffRoles.Reader), ("roles", "Nap.Bogus"), ("post_login_redirect_uri", "/api/cycles")));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/api/cycles", signIn.Headers.Location!.OriginalString);

        var me = (await browser.GetFromJsonAsync<JsonArray>("/.auth/me"))!;
        var claims = me[0]!["user_claims"]!.AsArray().Select(c => ((string)c!["typ"]!, (string)c["val"]!)).ToList();
        Assert.Contains(("name", "Dana Local"), claims);
        Assert.Contains(("roles", StaffRoles.Reader), claims);
        Assert.DoesNotContain(claims, c => c.Item2 == "Nap.Bogus");
        var objectId = EasyAuthStandIn.ObjectIdFor("Dana Local");
        Assert.Contains((ClientPrincipal.ObjectIdClaim, objectId), claims);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"api/cycles/{cycle.Id}/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PutAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders", JsonContent.Create(new { paused = true }))).StatusCode);

        // A request that brings its own principal keeps it (tests and scripts sign in that way).
        using (var own = new HttpRequestMessage(HttpMethod.Put, $"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders") { Content = JsonContent.Create(new { paused = true }) })
        {
            own.Headers.Add(ClientPrincipal.HeaderName, StaffPrincipals.Header(StaffRoles.Coordinator));
            var paused = (await (await browser.SendAsync(own)).Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(StaffPrincipals.ObjectId, (string)paused["changedBy"]!);
        }

        var logout = await browser.GetAsync("/.auth/logout");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"api/cycles/{cycle.Id}/status")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task The_sign_in_never_redirects_off_the_host(string target)
    {
        using var browser = Browser(new CookieContainer());
        var signIn = await browser.PostAsync("/.auth/login/aad", Form(("name", "Eve"), ("post_login_redirect_uri", target)));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/.auth/me", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_sign_in_without_a_name_is_refused_and_the_name_is_escaped()
    {
        using var browser = Browser(new CookieContainer());
        var refused = await browser.PostAsync("/.auth/login/aad", Form(("name", " "), ("post_login_redirect_uri", "/\"><script>x</script>")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("<script>", await refused.Content.ReadAsStringAsync());
    }
}
