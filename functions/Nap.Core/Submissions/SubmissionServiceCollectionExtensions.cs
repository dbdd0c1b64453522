using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Submissions;

public static class SubmissionServiceCollectionExtensions
{
    /// <summary>
    /// Intake: the parser, the immutable bodies (blob container <c>submissions</c>) and their index (table
    /// <c>Submissions</c>). The received-notifier does nothing until a feature (reminders: receipts) adds its own.
    /// </summary>
    public static IServiceCollection AddNapSubmissions(this IServiceCollection services)
    {
        services.TryAddSingleton<ISubmissionContentStore, BlobSubmissionContentStore>();
        services.TryAddSingleton<ISubmissionIndex, TableSubmissionIndex>();
        services.TryAddSingleton<Nap.Keys.EncryptedBlobs>();
        services.TryAddSingleton<IConfidentialPartStore, BlobConfidentialPartStore>();
        services.TryAddSingleton<ISubmissionContactStore, TableSubmissionContactStore>();
        services.TryAddSingleton<SubmissionPartsReader>();
        services.TryAddSingleton<SubmissionParser>();
        services.TryAddSingleton<SubmissionSchema>();
        services.TryAddSingleton<ISubmissionReceivedNotifier, NoSubmissionReceivedNotifier>();
        services.TryAddSingleton<LatestSubmissionCache>();
        services.TryAddSingleton<SubmissionService>();
        services.TryAddSingleton<StaffSubmissions>();
        return services;
    }
}
