using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Nap.Storage;

namespace Nap.Drafts;

/// <summary>A draft as stored: the envelope bytes the form sent, and when it was saved (UTC).</summary>
public sealed record StoredDraft(BinaryData Body, DateTimeOffset SavedAt);

/// <summary>One private, overwritable draft per signatory and cycle.</summary>
public interface IDraftStore
{
    Task<StoredDraft?> GetAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
    Task PutAsync(string cycleId, string signatoryId, StoredDraft draft, CancellationToken cancellationToken = default);
    /// <summary>True when a draft was there. Deleting a missing draft is not an error: a retried delete succeeds.</summary>
    Task<bool> DeleteAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Drafts as blobs <c>drafts/{cycleId}/{signatoryId}.json</c>, in their own container so that nothing reading
/// <c>submissions</c> (compilation, publication) can ever see a draft. Last write wins: a draft is one person's
/// scratch space, and the submission itself is guarded by If-Match.
/// </summary>
public sealed class BlobDraftStore(NapStorage storage) : IDraftStore
{
    private const string SavedAtKey = "savedat";

    public static string BlobName(string cycleId, string signatoryId) => $"{cycleId}/{signatoryId}.json";

    private async Task<BlobClient> Blob(string cycleId, string signatoryId, CancellationToken ct)
    {
        var container = await storage.ContainerAsync(StorageNames.DraftsContainer, ct).ConfigureAwait(false);
        return container.GetBlobClient(BlobName(cycleId, signatoryId));
    }

    public async Task<StoredDraft?> GetAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var blob = await Blob(cycleId, signatoryId, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var savedAt = result.Details.Metadata.TryGetValue(SavedAtKey, out var s)
                          && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : result.Details.LastModified;
            return new StoredDraft(result.Content, savedAt);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task PutAsync(string cycleId, string signatoryId, StoredDraft draft, CancellationToken cancellationToken = default)
    {
        var blob = await Blob(cycleId, signatoryId, cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(draft.Body, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string>
            {
                ["cycle"] = cycleId,
                ["signatory"] = signatoryId,
                [SavedAtKey] = draft.SavedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var blob = await Blob(cycleId, signatoryId, cancellationToken).ConfigureAwait(false);
        return (await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
    }
}
