using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Nap.DevHost;
using Nap.Functions.Http;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Security;

public sealed class StrictTransportSecurityHostFixture : DevHostFixture;

/// <summary>HSTS over HTTP on the dev host, which builds its pipeline from the same services as the worker.</summary>
public sealed class StrictTransportSecurityTests(StrictTransportSecurityHostFixture host) : IClassFixture<StrictTransportSecurityHostFixture>
{
    private static readonly Regex RouteParameter = new(@"\{\*?(?<name>[^}:?]+)[^}]*\}");

    [Fact]
    public async Task Every_http_function_answers_with_strict_transport_security_successes_and_errors_alike()
    {
        var functions = host.Services.GetRequiredService<ServedFunctions>().All.Where(f => f.Kind == TriggerKind.Http).ToList();
        Assert.True(functions.Count >= 10, $"only {functions.Count} HTTP functions served");
        var statuses = new HashSet<int>();
        foreach (var f in functions)
        {
            var path = "api/" + RouteParameter.Replace(f.Route!.TrimStart('/'), m => m.Groups["name"].Value == "cycleId" ? "2025" : "probe");
            var method = new HttpMethod(f.HttpMethods.Count > 0 ? f.HttpMethods[0] : "GET");
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Delete)
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            using var response = await host.Client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
            Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var values),
                $"{f.Name} ({method} /{path}) answered {(int)response.StatusCode} without Strict-Transport-Security");
            Assert.Equal(StrictTransportSecurity.HeaderValue, Assert.Single(values));
        }
        // Both kinds of answer were seen: successes (the form, health) and refusals (no token, bad body).
        Assert.Contains(statuses, s => s < 300);
        Assert.Contains(statuses, s => s >= 400);
    }

    [Fact]
    public void The_value_asks_for_a_year_and_subdomains()
    {
        var maxAge = int.Parse(Regex.Match(StrictTransportSecurity.HeaderValue, @"max-age=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maxAge >= 31536000);
        Assert.Contains("includeSubDomains", StrictTransportSecurity.HeaderValue);
    }
}
