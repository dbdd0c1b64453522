using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Nap.Keys;

namespace Nap.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Signatories' signed links (settings <c>Tokens__…</c>, checked when the host starts; the signing key in Key Vault
    /// when <c>Keys__VaultUri</c> is set, else a local key file) and staff sign-in through Easy Auth.
    /// </summary>
    public static IServiceCollection AddNapSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidation>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TokenOptions>>().Value);
        services.TryAddSingleton<ILinkKeys>(sp =>
        {
            var options = sp.GetRequiredService<TokenOptions>();
            // The Functions host registers the vault client (AddNapKeys); other hosts (nap-admin) sign in the same vault
            // with their own Azure credential.
            var vault = sp.GetService<IKeyVaultKeys>() ?? (KeysOptions.From(configuration).VaultUri is { } uri
                ? new KeyVaultKeysClient(uri, new Azure.Identity.DefaultAzureCredential(new Azure.Identity.DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] }))
                : null);
            return vault is not null
                ? new KeyVaultLinkKeys(vault, options.LinkKeyName, sp.GetRequiredService<TimeProvider>())
                : LocalLinkKeys.OpenOrCreate(options.LocalKeyFile ?? LocalKeyFile.DefaultPath(options.LinkKeyName));
        });
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<SignatoryLinks>();
        services.TryAddSingleton<LinkRevocations>();
        services.TryAddSingleton<LinkRevocationService>();
        services.TryAddSingleton<AccessGuard>();
        // Staff: Easy Auth's principal, trusted only where Easy Auth is on (checked, and logged, at start).
        services.TryAddSingleton(_ => new StaffSignIn(configuration));
        services.AddHostedService<StaffSignInCheck>();
        return services;
    }
}

internal sealed class TokenOptionsValidation : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options) =>
        options.Problems() is { Count: > 0 } p ? ValidateOptionsResult.Fail("Token settings are not valid: " + string.Join("; ", p)) : ValidateOptionsResult.Success;
}
