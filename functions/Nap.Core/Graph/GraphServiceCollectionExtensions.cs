using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace Nap.Graph;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="GraphOptions"/> always; a singleton <see cref="GraphServiceClient"/> only when Graph is configured
    /// (<c>Graph__TenantId</c> set, or <c>Graph__Credential=managedidentity</c>). Features ask for
    /// <c>GetService&lt;GraphServiceClient&gt;()</c> and fall back to their local stand-in when it is null.
    /// Safe to call from several features.
    /// </summary>
    public static IServiceCollection AddNapGraph(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(GraphRegistered))) return services;
        services.AddSingleton<GraphRegistered>();
        services.AddOptions<GraphOptions>().Bind(configuration.GetSection(GraphOptions.Section));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<GraphOptions>>().Value);
        var options = new GraphOptions();
        configuration.GetSection(GraphOptions.Section).Bind(options);
        if (options.IsConfigured)
            services.TryAddSingleton(sp =>
            {
                var o = sp.GetRequiredService<GraphOptions>();
                return GraphClientBuilder.Create(o, GraphClientBuilder.CreateCredential(o));
            });
        return services;
    }

    private sealed class GraphRegistered;
}
