using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Security;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Security;

/// <summary>The dev host started as if in Azure (WEBSITE_INSTANCE_ID set) without App Service Authentication.</summary>
public sealed class InAzureWithoutEasyAuthHost : DevHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["WEBSITE_INSTANCE_ID"] = "0123456789abcdef-test-instance" };
}

/// <summary>... and with it (WEBSITE_AUTH_ENABLED=True, as App Service sets it when Easy Auth is on).</summary>
public sealed class InAzureWithEasyAuthHost : DevHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["WEBSITE_INSTANCE_ID"] = "0123456789abcdef-test-instance",
        ["WEBSITE_AUTH_ENABLED"] = "True",
    };
}

public sealed class SignInNotConfiguredTests(InAzureWithoutEasyAuthHost host) : IClassFixture<InAzureWithoutEasyAuthHost>
{
    [Theory]
    [MemberData(nameof(StaffAccessTests.All), MemberType = typeof(StaffAccessTests))]
    public async Task A_forged_principal_is_never_trusted_and_staff_routes_answer_503(StaffAccessTests.StaffRoute route)
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.NewClient();
        var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path.Replace("{cycle}", cycle.Id, StringComparison.Ordinal));
        if (route.Body is not null) request.Content = new StringContent(route.Body, System.Text.Encoding.UTF8, "application/json");
        // Every role there is: without Easy Auth in front, anyone could have written this header.
        request.Headers.Add(ClientPrincipal.HeaderName, StaffPrincipals.Header([.. StaffRoles.All]));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("urn:nap1325:problem:sign-in-not-configured", (string)problem["type"]!);
        Assert.Equal("Sign-in is not configured.", (string)problem["title"]!);
        Assert.Null(await host.Services.GetRequiredService<Nap.Cycles.ICycleStore>().FindSettingsAsync(cycle.Id, "ministry-defence"));
    }

    [Fact]
    public void Start_up_logs_an_error_that_sign_in_is_not_configured() =>
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) && l.Contains("Staff sign-in is not configured", StringComparison.Ordinal));

    [Fact]
    public async Task Signatories_are_not_affected()
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.SignatoryClient("ministry-defence", cycle.Id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/cycles/{cycle.Id}/draft")).StatusCode);
    }
}

public sealed class SignInConfiguredTests(InAzureWithEasyAuthHost host) : IClassFixture<InAzureWithEasyAuthHost>
{
    [Fact]
    public async Task With_easy_auth_enabled_the_principal_is_trusted_and_no_error_is_logged()
    {
        var cycle = await host.CreateCycleAsync();
        using var client = host.StaffClient(StaffRoles.Reader);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/cycles/{cycle.Id}/status")).StatusCode);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("Staff sign-in is not configured", StringComparison.Ordinal));
    }
}
