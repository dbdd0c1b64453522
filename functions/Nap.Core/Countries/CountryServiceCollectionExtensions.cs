using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Countries;

public static class CountryServiceCollectionExtensions
{
    /// <summary>ISO 3166 countries and the regions signatories report on, embedded in the assembly.</summary>
    public static IServiceCollection AddNapCountries(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => CountryCatalog.LoadEmbedded());
        return services;
    }
}
