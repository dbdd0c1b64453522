using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nap.Configuration;

namespace Nap.Tests.Hosting;

/// <summary>Bad settings stop the host when it starts, every problem listed, instead of failing the first request that needs them.</summary>
public sealed class StartupValidationTests
{
    private static IHost Host(params (string Key, string Value)[] overrides)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        ((IConfigurationBuilder)builder.Configuration).Add(new LocalSettingsSource(LocalSettingsSource.Find()));
        builder.Configuration.AddInMemoryCollection(overrides.Select(o => KeyValuePair.Create(o.Key, (string?)o.Value)));
        builder.Services.AddNapCore(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task The_sample_settings_start()
    {
        using var host = Host();
        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Bad_app_settings_stop_the_start_with_every_problem()
    {
        using var host = Host(("Nap:MaxBodyBytes", "0"), ("Nap:PublicBaseUrl", "not a url"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Nap__MaxBodyBytes must be positive", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nap__PublicBaseUrl must be an absolute http(s) URL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_settings_are_checked_by_the_token_service_rules_on_start()
    {
        using var host = Host(("Tokens:MaxLifetimeDays", "0"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Tokens__MaxLifetimeDays must be 1-366", ex.Message, StringComparison.Ordinal);
    }
}
