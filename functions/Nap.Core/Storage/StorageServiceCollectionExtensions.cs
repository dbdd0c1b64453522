using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The app's storage account (setting <c>NapStorage</c>: a connection string or identity-based URIs; the time budget
    /// of one operation <c>Storage__RequestBudgetSeconds</c>) and the health probe that reads it for real.
    /// </summary>
    public static IServiceCollection AddNapStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => NapStorage.FromConfiguration(configuration));
        services.TryAddSingleton<StorageHealth>();
        return services;
    }
}
