using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Nap.Audit;
using Nap.Storage;
using Nap.Submissions;

namespace Nap.Privacy;

public static class PrivacyAuditActions
{
    public const string Migrate = "privacy.migrate";
    public const string Erase = "privacy.erase";
    public const string Redact = "privacy.redact";
}

/// <summary>What a migration run did, in counts only.</summary>
public sealed record MigrationResult(int Split, int AlreadySplit, int Failed);

/// <summary>
/// One-off: splits the submission bodies stored before intake split them (<see cref="SubmissionParts"/>). Per blob: the
/// body is checked against its receipt's SHA-256, the confidential part written encrypted and the contact as a row,
/// then the blob is overwritten by its public part (same name, so report input hashes and lineage do not change), its
/// earlier blob versions deleted, and the index rows (version, latest, idempotency) get the parts' hashes. Idempotent:
/// a blob already marked as public part only gets its rows completed; a run stopped anywhere is finished by the next.
/// A body that does not match its hash is counted and left as it is.
/// </summary>
public sealed class SubmissionPartsMigration(NapStorage storage, IConfidentialPartStore confidential, ISubmissionContactStore contacts, IAuditLog audit)
{
    public async Task<MigrationResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.SubmissionsTable, cancellationToken).ConfigureAwait(false);
        var container = await storage.ContainerAsync(StorageNames.SubmissionsContainer, cancellationToken).ConfigureAwait(false);
        var rowsByBlob = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
            if (e.GetString("BlobName") is { } blob && e.GetString("Sha256") is not null)
                (rowsByBlob.TryGetValue(blob, out var list) ? list : rowsByBlob[blob] = []).Add(e);

        int split = 0, already = 0, failed = 0;
        foreach (var (blobName, rows) in rowsByBlob)
        {
            if (rows.All(r => r.GetString("PublicSha256") is not null)) { already++; continue; }
            try
            {
                await MigrateAsync(table, container.GetBlobClient(blobName), rows, cancellationToken).ConfigureAwait(false);
                split++;
            }
            catch (Exception ex) when (ex is RequestFailedException or InvalidDataException)
            {
                failed++; // one bad item never blocks the rest; the next run tries it again
            }
        }
        await audit.AppendAsync(new AuditEvent(AuditActor.AdminTool, PrivacyAuditActions.Migrate, Result: failed == 0 ? AuditResults.Ok : $"failed-{failed}"),
            cancellationToken).ConfigureAwait(false);
        return new MigrationResult(split, already, failed);
    }

    private async Task MigrateAsync(TableClient table, BlobClient blob, List<TableEntity> rows, CancellationToken ct)
    {
        var first = rows[0];
        var (cycleId, signatoryId, sha256) = (first.PartitionKey, first.GetString("SignatoryId"), first.GetString("Sha256"));
        var download = (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value;
        var bytes = download.Content.ToArray();
        string publicSha;
        string? confidentialSha;
        if (download.Details.Metadata.TryGetValue(BlobSubmissionContentStore.PartKey, out var part) && part == BlobSubmissionContentStore.PublicPart)
        {
            // Overwritten by an earlier run that stopped before the rows: finish those.
            publicSha = SubmissionParts.Hash(bytes);
            confidentialSha = await confidential.GetAsync(blob.Name, ct).ConfigureAwait(false) is { } c ? SubmissionParts.Hash(c) : null;
        }
        else
        {
            if (SubmissionParts.Hash(bytes) != sha256) throw new InvalidDataException("The stored body does not match its receipt's SHA-256.");
            var parts = SubmissionParts.Split(bytes);
            if (parts.Confidential is { } secret) await confidential.PutAsync(blob.Name, secret, ct).ConfigureAwait(false);
            if (parts.Contact is { } contact) await contacts.PutAsync(cycleId, signatoryId, sha256, contact, ct).ConfigureAwait(false);
            var metadata = new Dictionary<string, string>(download.Details.Metadata) { [BlobSubmissionContentStore.PartKey] = BlobSubmissionContentStore.PublicPart };
            await blob.UploadAsync(BinaryData.FromBytes(parts.Public), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfMatch = download.Details.ETag },
            }, ct).ConfigureAwait(false);
            await DeleteEarlierVersionsAsync(blob, ct).ConfigureAwait(false);
            publicSha = parts.PublicSha256;
            confidentialSha = parts.ConfidentialSha256;
        }
        foreach (var row in rows)
        {
            var update = new TableEntity(row.PartitionKey, row.RowKey) { ["PublicSha256"] = publicSha };
            if (confidentialSha is not null) update["ConfidentialSha256"] = confidentialSha;
            try
            {
                // The row's ETag: a latest row moved on by a new submission meanwhile is not this blob's any more.
                await table.UpdateEntityAsync(update, row.ETag, TableUpdateMode.Merge, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
            }
        }
    }

    /// <summary>Earlier versions of a blob still hold what was overwritten (blob versioning): they go too.</summary>
    internal static async Task DeleteEarlierVersionsAsync(BlobClient blob, CancellationToken ct)
    {
        var container = blob.GetParentBlobContainerClient();
        var earlier = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.Version, blob.Name, ct).ConfigureAwait(false))
            if (item.Name == blob.Name && item.VersionId is { } id && item.IsLatestVersion != true) earlier.Add(id);
        foreach (var id in earlier)
        {
            try
            {
                await blob.WithVersion(id).DeleteAsync(cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }
}
