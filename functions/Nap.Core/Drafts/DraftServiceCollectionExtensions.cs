using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Drafts;

public static class DraftServiceCollectionExtensions
{
    /// <summary>Server-side drafts of the web form (blob container <c>drafts</c>, client-side encrypted), and carry-over into them.</summary>
    public static IServiceCollection AddNapDrafts(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<Nap.Keys.EncryptedBlobs>();
        services.TryAddSingleton<IDraftStore, BlobDraftStore>();
        services.TryAddSingleton<DraftService>();
        services.TryAddSingleton<ICarryOverStore, BlobCarryOverStore>();
        services.TryAddSingleton<CarryOverService>();
        return services;
    }
}
