using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>The privacy operations: the one-off split of stored bodies, the erasure of a person and the redaction of a version.</summary>
    public static IServiceCollection AddNapPrivacy(this IServiceCollection services)
    {
        services.TryAddSingleton<Nap.Keys.EncryptedBlobs>();
        services.TryAddSingleton<SubmissionPartsMigration>();
        services.TryAddSingleton<PersonErasure>();
        services.TryAddSingleton<VersionRedaction>();
        return services;
    }
}
