using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nap.Countries;
using Nap.Cycles;
using Nap.Framework;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;

namespace Nap;

public static class NapServiceCollectionExtensions
{
    /// <summary>Everything the application services need, for any host (Functions worker, dev host, CLI, tests).</summary>
    public static IServiceCollection AddNapCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<NapOptions>().Bind(configuration.GetSection(NapOptions.Section));
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<NapOptions>>().Value);

        services.TryAddSingleton(sp =>
        {
            var file = sp.GetRequiredService<NapOptions>().FrameworkFile;
            return ResultsFrameworkLoader.LoadFile(Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file));
        });
        services.TryAddSingleton(_ => CountryCatalog.LoadEmbedded());
        services.TryAddSingleton(sp => NapStorage.FromConfiguration(configuration));
        services.TryAddSingleton<StorageHealth>();
        services.TryAddSingleton(sp => new TokenService(sp.GetRequiredService<IOptions<TokenOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton<ISignatoryRegistry, TableSignatoryRegistry>();
        services.TryAddSingleton<ICycleStore, TableCycleStore>();
        services.TryAddSingleton<ISubmissionContentStore, BlobSubmissionContentStore>();
        services.TryAddSingleton<ISubmissionIndex, TableSubmissionIndex>();
        services.TryAddSingleton<AccessGuard>();
        services.TryAddSingleton<SubmissionParser>();
        services.TryAddSingleton<ISubmissionReceivedNotifier, NoSubmissionReceivedNotifier>();
        services.TryAddSingleton<LatestSubmissionCache>();
        services.TryAddSingleton<SubmissionService>();
        services.TryAddSingleton<CycleStatusService>();

        services.AddHostedService<StartupValidation>();
        return services;
    }
}

/// <summary>Loads the framework and checks the token keys when the host starts, so a bad file fails start, not the first request.</summary>
internal sealed class StartupValidation(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ResultsFramework>();
        _ = services.GetRequiredService<TokenService>();
        _ = services.GetRequiredService<CountryCatalog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
