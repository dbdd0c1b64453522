using Azure.Core.Cryptography;

namespace Nap.Keys;

/// <summary>
/// A Key Vault key as the key-encryption key of Azure.Storage.Blobs client-side encryption (v2, AES-GCM): the blob's
/// content key is wrapped and unwrapped in the vault, the private key never leaves it. <see cref="KeyId"/> is the
/// versioned key id, which the SDK records in the blob's encryption metadata, so a blob stays readable after the key
/// is rotated (the old version stays enabled for unwrap).
/// </summary>
public sealed class KeyVaultKeyEncryptionKey(IKeyVaultKeys keys, string keyId) : IKeyEncryptionKey
{
    public string KeyId { get; } = keyId;

    public async Task<byte[]> WrapKeyAsync(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        (await keys.WrapKeyAsync(KeyId, algorithm, key, cancellationToken).ConfigureAwait(false)).Value;

    public async Task<byte[]> UnwrapKeyAsync(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default) =>
        (await keys.UnwrapKeyAsync(KeyId, algorithm, encryptedKey, cancellationToken).ConfigureAwait(false)).Value;

    // The SDK's synchronous blob methods call these; the app uses the asynchronous ones. Off the caller's context, so
    // a synchronous caller with a synchronization context cannot deadlock.
    public byte[] WrapKey(string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        Task.Run(() => WrapKeyAsync(algorithm, key, cancellationToken), cancellationToken).GetAwaiter().GetResult();

    public byte[] UnwrapKey(string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default) =>
        Task.Run(() => UnwrapKeyAsync(algorithm, encryptedKey, cancellationToken), cancellationToken).GetAwaiter().GetResult();
}

/// <summary>Resolves the key id recorded in an encrypted blob's metadata to that Key Vault key (of the configured vault only).</summary>
public sealed class KeyVaultKeyResolver(KeyVaultKeysClient keys) : IKeyEncryptionKeyResolver
{
    public IKeyEncryptionKey Resolve(string keyId, CancellationToken cancellationToken = default)
    {
        keys.ParseKeyId(keyId); // refuses a key id of another vault before anything is sent
        return new KeyVaultKeyEncryptionKey(keys, keyId);
    }

    public Task<IKeyEncryptionKey> ResolveAsync(string keyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolve(keyId, cancellationToken));
}
