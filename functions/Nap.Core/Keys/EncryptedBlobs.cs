using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Nap.Storage;

namespace Nap.Keys;

/// <summary>
/// Client-side encrypted blobs (Azure.Storage.Blobs encryption v2: AES-GCM per blob, its key wrapped by the data key
/// of <see cref="IDataKeys"/>: the Key Vault key in Azure, the local key locally). Storage, its logs and anyone with
/// data-plane access only ever see ciphertext and the wrapping key's id.
/// </summary>
public sealed class EncryptedBlobs(NapStorage storage, IDataKeys keys)
{
    public async Task<BlobClient> BlobAsync(string container, string name, CancellationToken cancellationToken)
    {
        var client = (await storage.ContainerAsync(container, cancellationToken).ConfigureAwait(false)).GetBlobClient(name);
        return client.WithClientSideEncryptionOptions(new ClientSideEncryptionOptions(ClientSideEncryptionVersion.V2_0)
        {
            KeyEncryptionKey = await keys.CurrentAsync(cancellationToken).ConfigureAwait(false),
            KeyResolver = keys.Resolver,
            KeyWrapAlgorithm = keys.WrapAlgorithm,
        });
    }
}
