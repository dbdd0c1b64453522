using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Nap.Keys;

namespace Nap.Security;

/// <summary>
/// The asymmetric key that signs signatory links (RS256). The private key cannot be read by the app: in Azure it is a
/// non-exportable Key Vault key that the app may only ask to sign; locally an RSA key in a file outside the repository.
/// Checking a link needs only public keys, looked up by the JWT's <c>kid</c> and cached, so a link signed by the
/// previous key version stays valid after a rotation (until that version is disabled in the vault).
/// </summary>
public interface ILinkKeys
{
    /// <summary>The <c>kid</c> of the key (version) that signs new links.</summary>
    Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default);

    /// <summary>An RS256 signature (RSASSA-PKCS1-v1_5, SHA-256) over <paramref name="sha256Digest"/> by key <paramref name="keyId"/>.</summary>
    Task<byte[]> SignAsync(string keyId, byte[] sha256Digest, CancellationToken cancellationToken = default);

    /// <summary>The public key of <paramref name="keyId"/>, or null when there is no such enabled key.</summary>
    Task<RSA?> PublicKeyAsync(string keyId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Link keys in Key Vault: the key <c>{name}</c> (RSA, sign only for the app, not exportable); <c>kid</c> is the key
/// version. The current version is looked up again every <see cref="CurrentKeyRefresh"/>, so a rotation signs new
/// links within minutes; public keys are cached per version for <see cref="PublicKeyRefresh"/> (so disabling a
/// version in the vault refuses its links within that time). Unknown versions are remembered as unknown for a while,
/// so forged <c>kid</c>s do not each cost a vault call.
/// </summary>
public sealed class KeyVaultLinkKeys(IKeyVaultKeys vault, string keyName, TimeProvider time) : ILinkKeys
{
    public static readonly TimeSpan CurrentKeyRefresh = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan PublicKeyRefresh = TimeSpan.FromHours(1);
    private static readonly TimeSpan UnknownKeyRefresh = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (RSA? Key, string? VaultKeyId, DateTimeOffset Until)> _public = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _currentLock = new(1, 1);
    private (string Version, DateTimeOffset Until)? _current;

    public async Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default)
    {
        if (_current is { } c && time.GetUtcNow() < c.Until) return c.Version;
        await _currentLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } again && time.GetUtcNow() < again.Until) return again.Version;
            var key = await vault.GetKeyAsync(keyName, cancellationToken: cancellationToken).ConfigureAwait(false);
            var version = VersionOf(key.KeyId);
            Remember(version, key);
            _current = (version, time.GetUtcNow() + CurrentKeyRefresh);
            return version;
        }
        finally
        {
            _currentLock.Release();
        }
    }

    public async Task<byte[]> SignAsync(string keyId, byte[] sha256Digest, CancellationToken cancellationToken = default)
    {
        var vaultKeyId = _public.TryGetValue(keyId, out var known) && known.VaultKeyId is { } id ? id
            : (await vault.GetKeyAsync(keyName, keyId, cancellationToken).ConfigureAwait(false)).KeyId;
        return (await vault.SignAsync(vaultKeyId, "RS256", sha256Digest, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<RSA?> PublicKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (!IsVersion(keyId)) return null;
        if (_public.TryGetValue(keyId, out var cached) && time.GetUtcNow() < cached.Until) return cached.Key;
        KeyVaultKey key;
        try
        {
            key = await vault.GetKeyAsync(keyName, keyId, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            _public[keyId] = (null, null, time.GetUtcNow() + UnknownKeyRefresh);
            return null;
        }
        return Remember(keyId, key);
    }

    private RSA? Remember(string version, KeyVaultKey key)
    {
        RSA? rsa = null;
        if (key.Enabled && key.KeyType is "RSA" or "RSA-HSM" && key.Modulus is { } n && key.Exponent is { } e)
        {
            rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
        }
        _public[version] = (rsa, key.KeyId, time.GetUtcNow() + (rsa is null ? UnknownKeyRefresh : PublicKeyRefresh));
        return rsa;
    }

    private static string VersionOf(string vaultKeyId) =>
        vaultKeyId.TrimEnd('/').Split('/')[^1] is { } v && IsVersion(v) ? v : throw new InvalidOperationException("Key Vault answered with a key id without a version.");

    // Key Vault versions are 32 hex digits; anything else in a kid is refused before any request.
    private static bool IsVersion(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigit);
}

/// <summary>
/// The local stand-in (dev host, tests, nap-admin against local storage): an RSA 3072 key in a PEM file outside the
/// repository (by default <c>{LocalApplicationData}/nap1325/keys/link-signing.pem</c>, user-only), created on first
/// use. Its <c>kid</c> is <c>local-</c> and a thumbprint of the public key.
/// </summary>
public sealed class LocalLinkKeys : ILinkKeys, IDisposable
{
    private readonly RSA _rsa;
    private readonly RSA _public;
    private readonly string _kid;

    public LocalLinkKeys(RSA rsa)
    {
        _rsa = rsa;
        _public = RSA.Create();
        _public.ImportParameters(rsa.ExportParameters(false));
        _kid = "local-" + Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];
    }

    public static LocalLinkKeys OpenOrCreate(string path) => new(LocalKeyFile.OpenOrCreateRsa(path, 3072));

    public Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default) => Task.FromResult(_kid);

    public Task<byte[]> SignAsync(string keyId, byte[] sha256Digest, CancellationToken cancellationToken = default) =>
        keyId == _kid ? Task.FromResult(_rsa.SignHash(sha256Digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            : throw new InvalidOperationException("Only the local key can sign here.");

    public Task<RSA?> PublicKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(keyId == _kid ? _public : null);

    public void Dispose()
    {
        _rsa.Dispose();
        _public.Dispose();
    }
}
