using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Nap.Keys;
using Nap.Storage;

namespace Nap.Reports;

/// <summary>
/// The keyed hash published files carry for each submission instead of its SHA-256: HMAC-SHA256, under a key only the
/// app holds, of the SHA-256 of the bytes the signatory sent (the receipt's hash). A plain SHA-256 in a published file
/// would let anyone confirm a guessed body (an organisation's known wording, a name); without the key nobody can.
/// Staff, who hold the key through the app, trace a figure by computing the keyed hash of a stored version's receipt
/// SHA-256 (<see cref="Of"/>); the staff lineage and the signatory's receipt keep the plain SHA-256.
/// </summary>
public sealed class PublishedHash
{
    public const string Algorithm = "HMAC-SHA256";
    private readonly byte[] _key;

    public PublishedHash(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32) throw new ArgumentException("The published-hash key has at least 32 bytes.", nameof(key));
        _key = key.ToArray();
        // Names the key (in the report and its input hash) without revealing it.
        KeyId = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("nap-published-hash-key-id\n"), .. _key]))[..16];
    }

    /// <summary>A fingerprint of the key: reports made under another key say so, and their input hash differs.</summary>
    public string KeyId { get; }

    /// <summary>The keyed hash of the submission whose receipt SHA-256 (hex) is <paramref name="sha256"/>.</summary>
    public string Of(string sha256) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Convert.FromHexString(sha256)));
}

/// <summary>The app's key for <see cref="PublishedHash"/>.</summary>
public interface IPublishedHashKey
{
    Task<PublishedHash> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The published-hash key without a secret in settings or a vault secret: 32 random bytes, created on first use and
/// stored wrapped (encrypted) by the data key (<see cref="IDataKeys"/>: the Key Vault key in Azure, which never leaves
/// the vault, the local key file locally) in the reports container, blob <see cref="BlobName"/>, with the wrapping key's
/// id and algorithm in its metadata. Unwrapped once per process. Two instances creating it at once: the first upload
/// wins (If-None-Match), the other reads it. Deleting the blob makes a new key, and with it new published hashes.
/// </summary>
public sealed class WrappedPublishedHashKey(NapStorage storage, IDataKeys keys) : IPublishedHashKey
{
    public const string BlobName = "keys/published-hash.key";
    private const string KeyIdMetadata = "kekid";
    private const string AlgorithmMetadata = "alg";
    private Task<PublishedHash>? _key;
    private readonly Lock _gate = new();

    public Task<PublishedHash> GetAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            // A failed load (storage or vault unreachable) is not cached: the next compilation tries again.
            if (_key is null || _key.IsFaulted || _key.IsCanceled) _key = LoadAsync();
            return _key.WaitAsync(cancellationToken);
        }
    }

    private async Task<PublishedHash> LoadAsync()
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer).ConfigureAwait(false);
        var blob = container.GetBlobClient(BlobName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var stored = (await blob.DownloadContentAsync().ConfigureAwait(false)).Value;
                var kek = await keys.Resolver.ResolveAsync(stored.Details.Metadata[KeyIdMetadata]).ConfigureAwait(false);
                var key = await kek.UnwrapKeyAsync(stored.Details.Metadata[AlgorithmMetadata], stored.Content.ToMemory()).ConfigureAwait(false);
                try { return new PublishedHash(key); }
                finally { CryptographicOperations.ZeroMemory(key); }
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && attempt < 2)
            {
                var key = RandomNumberGenerator.GetBytes(32);
                try
                {
                    var kek = await keys.CurrentAsync().ConfigureAwait(false);
                    var wrapped = await kek.WrapKeyAsync(keys.WrapAlgorithm, key).ConfigureAwait(false);
                    await blob.UploadAsync(BinaryData.FromBytes(wrapped), new BlobUploadOptions
                    {
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                        Metadata = new Dictionary<string, string> { [KeyIdMetadata] = kek.KeyId, [AlgorithmMetadata] = keys.WrapAlgorithm },
                    }).ConfigureAwait(false);
                }
                catch (RequestFailedException conflict) when (conflict.Status is 409 or 412)
                {
                    // Another instance stored its key first: read that one.
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }
        }
    }
}
