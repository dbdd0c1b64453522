using Azure.Core.Cryptography;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Nap.Keys;

/// <summary>Settings <c>Keys__VaultUri</c> (empty: the local key) and <c>Keys__KeyName</c>.</summary>
public sealed class KeysOptions
{
    public Uri? VaultUri { get; init; }
    public string KeyName { get; init; } = "data-kek";
    /// <summary>Where the local key lives when no vault is configured (not an app setting: local only).</summary>
    public string? LocalKeyFile { get; init; }

    public static KeysOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Keys");
        var vault = section["VaultUri"];
        return new KeysOptions
        {
            VaultUri = string.IsNullOrWhiteSpace(vault) ? null : new Uri(vault, UriKind.Absolute),
            KeyName = string.IsNullOrWhiteSpace(section["KeyName"]) ? "data-kek" : section["KeyName"]!,
            LocalKeyFile = string.IsNullOrWhiteSpace(section["LocalKeyFile"]) ? null : section["LocalKeyFile"],
        };
    }
}

/// <summary>
/// The key-encryption key for client-side encrypted blobs and the resolver that reads them: the Key Vault key
/// (current version, looked up once per process) in Azure, the local key otherwise.
/// </summary>
public interface IDataKeys
{
    Task<IKeyEncryptionKey> CurrentAsync(CancellationToken cancellationToken = default);
    IKeyEncryptionKeyResolver Resolver { get; }
    /// <summary>The wrap algorithm to give <c>ClientSideEncryptionOptions.KeyWrapAlgorithm</c>.</summary>
    string WrapAlgorithm { get; }
}

public sealed class KeyVaultDataKeys(KeyVaultKeysClient client, string keyName) : IDataKeys
{
    private readonly Lazy<Task<IKeyEncryptionKey>> _current = new(async () =>
        new KeyVaultKeyEncryptionKey(client, (await client.GetKeyAsync(keyName).ConfigureAwait(false)).KeyId));

    public Task<IKeyEncryptionKey> CurrentAsync(CancellationToken cancellationToken = default) => _current.Value.WaitAsync(cancellationToken);
    public IKeyEncryptionKeyResolver Resolver { get; } = new KeyVaultKeyResolver(client);
    public string WrapAlgorithm => LocalKeyEncryptionKey.WrapAlgorithm;
}

public sealed class LocalDataKeys(LocalKeyEncryptionKey key) : IDataKeys
{
    public Task<IKeyEncryptionKey> CurrentAsync(CancellationToken cancellationToken = default) => Task.FromResult<IKeyEncryptionKey>(key);
    public IKeyEncryptionKeyResolver Resolver => key;
    public string WrapAlgorithm => LocalKeyEncryptionKey.WrapAlgorithm;
}

public static class KeysServiceCollectionExtensions
{
    /// <summary>Key operations: Key Vault with the app's managed identity (AZURE_CLIENT_ID) when Keys__VaultUri is set, else the local key.</summary>
    public static IServiceCollection AddNapKeys(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IDataKeys))) return services; // core and the function app both ask for it
        var options = KeysOptions.From(configuration);
        services.AddSingleton(options);
        if (options.VaultUri is { } vault)
        {
            services.AddSingleton(_ => new KeyVaultKeysClient(vault,
                new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] })));
            services.AddSingleton<IKeyVaultKeys>(sp => sp.GetRequiredService<KeyVaultKeysClient>());
            services.AddSingleton<IDataKeys>(sp => new KeyVaultDataKeys(sp.GetRequiredService<KeyVaultKeysClient>(), options.KeyName));
        }
        else
        {
            services.AddSingleton<IDataKeys>(_ => new LocalDataKeys(
                LocalKeyEncryptionKey.OpenOrCreate(options.LocalKeyFile ?? LocalKeyEncryptionKey.DefaultPath(options.KeyName), options.KeyName)));
        }
        return services;
    }
}
