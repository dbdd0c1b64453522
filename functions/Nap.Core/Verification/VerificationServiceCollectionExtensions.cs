using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Nap.Verification;

public static class VerificationServiceCollectionExtensions
{
    /// <summary>One-time codes and verified sessions for reading confidential parts back (table <c>Verifications</c>). Needs the mail sender (reminders).</summary>
    public static IServiceCollection AddNapVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.Section));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<VerificationOptions>>().Value;
            var problems = o.Problems();
            return problems.Count == 0 ? o : throw new InvalidOperationException("Verification settings are not valid: " + string.Join("; ", problems));
        });
        services.TryAddSingleton<IVerificationStore, TableVerificationStore>();
        services.TryAddSingleton<VerificationService>();
        return services;
    }
}
