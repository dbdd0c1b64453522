using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Nap.Storage;

/// <summary>What purging one blob did, in counts.</summary>
public sealed record PurgeResult(bool Deleted, int Versions, int Purged, int LeftSoftDeleted)
{
    public static readonly PurgeResult None = new(false, 0, 0, 0);
    public PurgeResult Add(PurgeResult other) =>
        new(Deleted || other.Deleted, Versions + other.Versions, Purged + other.Purged, LeftSoftDeleted + other.LeftSoftDeleted);
}

/// <summary>
/// Removes a blob for good, as far as the account allows: the blob itself, every blob version that versioning kept of
/// it, and the soft-deleted copies those deletes leave behind. The last step is Delete Blob with
/// <c>deletetype=permanent</c> on each version (REST 2020-02-10 and later), which the storage SDK does not expose: a
/// pipeline policy (<see cref="PermanentDeletePolicy"/>, in every client <see cref="StorageOptions.Apply"/> configures)
/// adds it to the deletes made inside <see cref="PermanentDeletes"/>. Azure refuses it unless the account's blob
/// soft-delete policy has <c>allowPermanentDelete</c>; then the copies stay soft-deleted (unreadable without an
/// undelete) until the soft-delete window ends, and the answer counts them.
/// </summary>
public static class BlobPurge
{
    public static async Task<PurgeResult> PurgeAsync(BlobContainerClient container, string name, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient(name);
        var deleted = (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;

        // With versioning on, deleting the blob keeps its content as a version; every earlier overwrite is one too.
        var versions = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = name, States = BlobStates.Version | BlobStates.Deleted }, cancellationToken)
                           .ConfigureAwait(false))
            if (item.Name == name && item.VersionId is { } id && !versions.Contains(id)) versions.Add(id);

        foreach (var id in versions)
        {
            try
            {
                await blob.WithVersion(id).DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409)
            {
                // Gone already, or soft-deleted by an earlier run: the permanent delete below takes it.
            }
        }

        int purged = 0, left = 0;
        using (PermanentDeletes())
        {
            foreach (var id in versions)
            {
                try
                {
                    await blob.WithVersion(id).DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    purged++;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    purged++; // nothing of it is left
                }
                catch (RequestFailedException ex) when (ex.Status is 400 or 403 or 409)
                {
                    left++; // permanent delete not allowed on this account: soft-deleted until the window ends
                }
            }
        }
        return new PurgeResult(deleted, versions.Count, purged, left);
    }

    /// <summary>Deletes started inside this scope ask for <c>deletetype=permanent</c>.</summary>
    public static IDisposable PermanentDeletes() =>
        HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [PermanentDeletePolicy.Property] = true });
}

/// <summary>Adds <c>deletetype=permanent</c> to a blob delete made inside <see cref="BlobPurge.PermanentDeletes"/>; inert otherwise.</summary>
public sealed class PermanentDeletePolicy : HttpPipelineSynchronousPolicy
{
    public const string Property = "nap.permanent-delete";

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Delete && message.TryGetProperty(Property, out var on) && on is true
            && !message.Request.Uri.Query.Contains("deletetype=", StringComparison.Ordinal))
            message.Request.Uri.AppendQuery("deletetype", "permanent");
    }
}
