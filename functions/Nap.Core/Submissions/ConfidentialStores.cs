using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Nap.Keys;
using Nap.Storage;

namespace Nap.Submissions;

/// <summary>The confidential parts of submissions (<see cref="SubmissionParts"/>), encrypted, in their own container.</summary>
public interface IConfidentialPartStore
{
    /// <summary>Stores under the public part's name; the same name always holds the same plaintext, so a retry rewrites it harmlessly.</summary>
    Task PutAsync(string blobName, byte[] part, CancellationToken cancellationToken = default);
    /// <summary>The plaintext, or null when there is none.</summary>
    Task<byte[]?> GetAsync(string blobName, CancellationToken cancellationToken = default);
    Task<bool> DeleteAsync(string blobName, CancellationToken cancellationToken = default);
}

/// <summary>
/// Blobs <c>confidential/{cycleId}/{signatoryId}/{sha256}.json</c>. The report compiler is given no client for this
/// container (it reads <see cref="ISubmissionContentStore"/> only), and the app's role on it is its own.
/// </summary>
public sealed class BlobConfidentialPartStore(EncryptedBlobs blobs) : IConfidentialPartStore
{
    public async Task PutAsync(string blobName, byte[] part, CancellationToken cancellationToken = default)
    {
        var blob = await blobs.BlobAsync(StorageNames.ConfidentialContainer, blobName, cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(BinaryData.FromBytes(part), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var blob = await blobs.BlobAsync(StorageNames.ConfidentialContainer, blobName, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var blob = await blobs.BlobAsync(StorageNames.ConfidentialContainer, blobName, cancellationToken).ConfigureAwait(false);
        return (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
    }
}

/// <summary>The contact person of each stored version, kept apart from the hashed bodies so that it can be erased.</summary>
public interface ISubmissionContactStore
{
    Task PutAsync(string cycleId, string signatoryId, string sha256, ContactPerson contact, CancellationToken cancellationToken = default);
    Task<ContactPerson?> GetAsync(string cycleId, string signatoryId, string sha256, CancellationToken cancellationToken = default);
    /// <summary>Deletes every contact record with this email (case-insensitive); returns how many.</summary>
    Task<int> EraseAsync(string email, CancellationToken cancellationToken = default);
}

/// <summary>Table <c>SubmissionContacts</c>: partition = cycle, row key <c>{signatoryId}|{sha256}</c>, Name, Email.</summary>
public sealed class TableSubmissionContactStore(NapStorage storage) : ISubmissionContactStore
{
    public static string RowKey(string signatoryId, string sha256) => $"{signatoryId}|{sha256}";

    private Task<TableClient> Table(CancellationToken ct) => storage.TableAsync(StorageNames.SubmissionContactsTable, ct);

    public async Task PutAsync(string cycleId, string signatoryId, string sha256, ContactPerson contact, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(cycleId, RowKey(signatoryId, sha256))
        {
            ["SignatoryId"] = signatoryId,
            ["Name"] = contact.Name,
            ["Email"] = contact.Email,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContactPerson?> GetAsync(string cycleId, string signatoryId, string sha256, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, RowKey(signatoryId, sha256), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? new ContactPerson(hit.Value!.GetString("Name") ?? "", hit.Value!.GetString("Email") ?? "") : null;
    }

    public async Task<int> EraseAsync(string email, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var erased = 0;
        // A full scan: the table holds one small row per version, and erasure is rare. Table queries compare exactly,
        // so the case-insensitive match is done here.
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Email"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(e.GetString("Email"), email, StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                await table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                erased++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
        return erased;
    }
}
