using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Nap.Keys;
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
/// scratch space, and the submission itself is guarded by If-Match. Nothing compiles drafts, so each is encrypted as a
/// whole (<see cref="EncryptedBlobs"/>); a draft saved before encryption is read as it is and encrypted at its next save.
/// </summary>
public sealed class BlobDraftStore(EncryptedBlobs blobs) : IDraftStore
{
    private const string SavedAtKey = "savedat";

    public static string BlobName(string cycleId, string signatoryId) => $"{cycleId}/{signatoryId}.json";

    private Task<BlobClient> Blob(string cycleId, string signatoryId, CancellationToken ct) =>
        blobs.BlobAsync(StorageNames.DraftsContainer, BlobName(cycleId, signatoryId), ct);

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
