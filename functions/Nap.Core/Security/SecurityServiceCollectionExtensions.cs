using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Nap.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Signatories' signed links (settings <c>Tokens__…</c>, checked when the host starts) and staff sign-in through Easy Auth.</summary>
    public static IServiceCollection AddNapSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidation>());
        services.TryAddSingleton(sp => new TokenService(sp.GetRequiredService<IOptions<TokenOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AccessGuard>();
        // Staff: Easy Auth's principal, trusted only where Easy Auth is on (checked, and logged, at start).
        services.TryAddSingleton(_ => new StaffSignIn(configuration));
        services.AddHostedService<StaffSignInCheck>();
        return services;
    }
}

/// <summary>The token settings are valid when a <see cref="TokenService"/> accepts them: its rules, written once.</summary>
internal sealed class TokenOptionsValidation : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        try
        {
            _ = new TokenService(options, TimeProvider.System);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
