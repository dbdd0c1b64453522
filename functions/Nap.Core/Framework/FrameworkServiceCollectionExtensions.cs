using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Framework;

public static class FrameworkServiceCollectionExtensions
{
    /// <summary>The results framework from <c>Nap__FrameworkFile</c>; a relative path is resolved against the app's folder.</summary>
    public static IServiceCollection AddNapFramework(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var file = sp.GetRequiredService<NapOptions>().FrameworkFile;
            return ResultsFrameworkLoader.LoadFile(Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file));
        });
        return services;
    }
}
