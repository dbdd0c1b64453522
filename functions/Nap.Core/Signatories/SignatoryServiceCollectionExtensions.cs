using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Signatories;

public static class SignatoryServiceCollectionExtensions
{
    /// <summary>The signatory registry (table <c>Signatories</c>), cached per instance for <c>Nap__RegistryCacheSeconds</c>.</summary>
    public static IServiceCollection AddNapSignatories(this IServiceCollection services)
    {
        services.TryAddSingleton<ISignatoryRegistry, TableSignatoryRegistry>();
        services.TryAddSingleton<SignatoryAdministration>();
        return services;
    }
}
