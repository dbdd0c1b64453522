using System.Security.Cryptography;
using Azure.Core.Cryptography;

namespace Nap.Keys;

/// <summary>
/// The local stand-in for the Key Vault key (dev host, tests): an RSA 3072 key in a PEM file outside the repository,
/// created on first use (by default under the user's local application data, readable by the user only). Wraps with
/// RSA-OAEP-256 like the vault. Its key id is <c>local:{name}:{thumbprint}</c>, so a blob encrypted with another local
/// key is refused rather than garbled.
/// </summary>
public sealed class LocalKeyEncryptionKey : IKeyEncryptionKey, IKeyEncryptionKeyResolver, IDisposable
{
    public const string WrapAlgorithm = "RSA-OAEP-256";
    private readonly RSA _rsa;

    private LocalKeyEncryptionKey(RSA rsa, string name)
    {
        _rsa = rsa;
        var thumbprint = Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];
        KeyId = $"local:{name}:{thumbprint}";
    }

    public string KeyId { get; }

    /// <summary>The default key file: <c>{LocalApplicationData}/nap1325/keys/{name}.pem</c>.</summary>
    public static string DefaultPath(string name) => LocalKeyFile.DefaultPath(name);

    /// <summary>Loads the key file, or creates it (and its folder) when there is none.</summary>
    public static LocalKeyEncryptionKey OpenOrCreate(string path, string name = "data-kek") =>
        new(LocalKeyFile.OpenOrCreateRsa(path, 3072), name);

    private static RSAEncryptionPadding Padding(string algorithm) => algorithm switch
    {
        "RSA-OAEP-256" => RSAEncryptionPadding.OaepSHA256,
        "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1,
        _ => throw new NotSupportedException($"Key wrap algorithm {algorithm} is not supported by the local key; use {WrapAlgorithm}."),
    };

    public byte[] WrapKey(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        _rsa.Encrypt(key.ToArray(), Padding(algorithm));

    public byte[] UnwrapKey(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default) =>
        _rsa.Decrypt(encryptedKey.ToArray(), Padding(algorithm));

    public Task<byte[]> WrapKeyAsync(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        Task.FromResult(WrapKey(algorithm, key, cancellationToken));

    public Task<byte[]> UnwrapKeyAsync(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(UnwrapKey(algorithm, encryptedKey, cancellationToken));

    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default) =>
        keyId == KeyId ? this : throw new InvalidOperationException("The blob was encrypted with another key than this machine's local key.");

    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve(keyId, cancellationToken));

    public void Dispose() => _rsa.Dispose();
}
