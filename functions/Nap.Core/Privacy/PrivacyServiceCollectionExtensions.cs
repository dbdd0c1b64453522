using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>The privacy operations: the one-off split of stored bodies and the erasure of a person.</summary>
    public static IServiceCollection AddNapPrivacy(this IServiceCollection services)
    {
        services.TryAddSingleton<Nap.Keys.EncryptedBlobs>();
        services.TryAddSingleton<SubmissionPartsMigration>();
        services.TryAddSingleton<PersonErasure>();
        return services;
    }
}
