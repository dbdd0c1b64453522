using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Cycles;

public static class CycleServiceCollectionExtensions
{
    /// <summary>Reporting cycles and per-signatory settings (tables <c>Cycles</c>, <c>CycleSignatorySettings</c>), and where a cycle stands.</summary>
    public static IServiceCollection AddNapCycles(this IServiceCollection services)
    {
        services.TryAddSingleton<ICycleStore, TableCycleStore>();
        services.TryAddSingleton<CycleStatusService>();
        services.TryAddSingleton<CycleAdministration>();
        return services;
    }
}
