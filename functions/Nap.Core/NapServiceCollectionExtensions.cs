using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nap.Audit;
using Nap.Countries;
using Nap.Cycles;
using Nap.Framework;
using Nap.Keys;
using Nap.Privacy;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;

namespace Nap;

public static class NapServiceCollectionExtensions
{
    /// <summary>
    /// Everything the application services need, for any host (Functions worker, dev host, CLI, tests): the features
    /// each register their own services; this only composes them. Settings are checked when the host starts.
    /// </summary>
    public static IServiceCollection AddNapCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<NapOptions>().Bind(configuration.GetSection(NapOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NapOptions>, NapOptionsValidation>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<NapOptions>>().Value);

        services.AddNapStorage(configuration);
        services.AddNapFramework();
        services.AddNapCountries();
        services.AddNapSecurity(configuration);
        services.AddNapSignatories();
        services.AddNapCycles();
        services.AddNapKeys(configuration); // submissions and drafts are encrypted with it
        services.AddNapSubmissions();
        services.AddNapAudit();
        services.AddNapPrivacy();

        services.AddHostedService<StartupValidation>();
        return services;
    }
}

/// <summary>Loads the framework and the country list when the host starts, so a bad file fails start, not the first request.</summary>
internal sealed class StartupValidation(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ResultsFramework>();
        _ = services.GetRequiredService<CountryCatalog>();
        _ = services.GetRequiredService<Submissions.SubmissionSchema>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The <c>Nap__…</c> settings, all problems at once.</summary>
internal sealed class NapOptionsValidation : IValidateOptions<NapOptions>
{
    public ValidateOptionsResult Validate(string? name, NapOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FrameworkFile)) problems.Add("Nap__FrameworkFile is empty");
        if (options.MaxBodyBytes <= 0) problems.Add("Nap__MaxBodyBytes must be positive");
        if (options.RegistryCacheSeconds < 0) problems.Add("Nap__RegistryCacheSeconds must not be negative");
        if (options.LatestSnapshotSeconds < 0) problems.Add("Nap__LatestSnapshotSeconds must not be negative");
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            problems.Add("Nap__PublicBaseUrl must be an absolute http(s) URL (links in emails start with it)");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
