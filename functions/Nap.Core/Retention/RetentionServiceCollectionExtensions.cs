using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Nap.Retention;

public static class RetentionServiceCollectionExtensions
{
    public static IServiceCollection AddNapRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RetentionOptions>>().Value);
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<RetentionSweep>(sp, sp.GetRequiredService<RetentionOptions>()));
        return services;
    }
}
