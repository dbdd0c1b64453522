using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Nap.Storage;

namespace Nap.Submissions;

/// <summary>Immutable public parts of submissions (<see cref="SubmissionParts"/>), addressed by the SHA-256 of the body as received.</summary>
public interface ISubmissionContentStore
{
    /// <summary>Stores the public part under <c>{cycleId}/{signatoryId}/{sha256}.json</c>; storing the same again is a no-op.</summary>
    Task<string> PutAsync(string cycleId, string signatoryId, string sha256, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);
    Task<BinaryData?> GetAsync(string blobName, CancellationToken cancellationToken = default);
}

/// <summary>
/// A version as indexed in Table Storage. <see cref="BlobName"/> holds the public part (<see cref="SubmissionParts"/>)
/// whose SHA-256 is <see cref="PublicSha256"/>; versions stored before the split (null) hold the body as received,
/// whose SHA-256 is the receipt's, until <c>nap-admin privacy migrate</c> splits them.
/// </summary>
public sealed record SubmissionVersion(SubmissionReceipt Receipt, string BlobName)
{
    public string? PublicSha256 { get; init; }
    /// <summary>The SHA-256 of the confidential part (same blob name, container <c>confidential</c>); null when there is none.</summary>
    public string? ConfidentialSha256 { get; init; }
    public bool IsSplit => PublicSha256 is not null;
    /// <summary>What the stored public blob must hash to.</summary>
    public string StoredSha256 => PublicSha256 ?? Receipt.Sha256;
    /// <summary>Set once a coordinator replaced free text in this version (<c>Privacy/VersionRedaction</c>); null otherwise.</summary>
    public RedactionMark? Redacted { get; init; }
}

/// <summary>
/// "Redacted on … by …": when (Amsterdam time, ISO 8601), by whom (the staff member's Entra object id), the SHA-256 the
/// receipt keeps (what the signatory sent) and the SHA-256 of the public part stored since.
/// </summary>
public sealed record RedactionMark(string On, string By, string OriginalSha256, string Sha256);

/// <summary>The index row that says which version is the latest; its ETag guards concurrent writers.</summary>
public sealed record LatestSubmission(SubmissionVersion Version, ETag ETag);

/// <summary>Everything one signatory-cycle commit writes, in one partition and one transaction.</summary>
public sealed record SubmissionCommit(SubmissionVersion Version, ETag? ExpectedLatest, string? IdempotencyKeyHash);

/// <summary>The Table Storage index: latest per signatory and cycle, one row per version, idempotency keys.</summary>
public interface ISubmissionIndex
{
    Task<LatestSubmission?> GetLatestAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
    Task<SubmissionVersion?> GetVersionAsync(string cycleId, string signatoryId, int version, CancellationToken cancellationToken = default);
    Task<SubmissionReceipt?> FindByIdempotencyKeyAsync(string cycleId, string signatoryId, string keyHash, CancellationToken cancellationToken = default);
    /// <summary>
    /// The new latest row's ETag; null when another writer got there first (latest moved, version or key taken):
    /// reload and try again.
    /// </summary>
    Task<ETag?> TryCommitAsync(SubmissionCommit commit, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<SubmissionVersion>> ListLatestAsync(string cycleId, CancellationToken cancellationToken = default);
    /// <summary>Every signatory's latest row in the cycle with its ETag, in one query.</summary>
    Task<IReadOnlyDictionary<string, LatestSubmission>> SnapshotLatestAsync(string cycleId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<SubmissionVersion>> ListVersionsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
}

public sealed class BlobSubmissionContentStore(NapStorage storage) : ISubmissionContentStore
{
    /// <summary>Blob metadata that marks a public part (<see cref="SubmissionParts"/>); bodies stored before the split have none.</summary>
    public const string PartKey = "part";
    public const string PublicPart = "public";

    public static string BlobName(string cycleId, string signatoryId, string sha256) => $"{cycleId}/{signatoryId}/{sha256}.json";

    public async Task<string> PutAsync(string cycleId, string signatoryId, string sha256, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.SubmissionsContainer, cancellationToken).ConfigureAwait(false);
        var name = BlobName(cycleId, signatoryId, sha256);
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = new Dictionary<string, string> { ["cycle"] = cycleId, ["signatory"] = signatoryId, ["sha256"] = sha256, [PartKey] = PublicPart },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Same name means same bytes: the body is already there, never overwritten.
        }
        return name;
    }

    public async Task<BinaryData?> GetAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.SubmissionsContainer, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

/// <summary>
/// Partition = cycle id. Row keys: <c>latest|{signatory}</c>, <c>version|{signatory}|{0000000001}</c>,
/// <c>idem|{signatory}|{key hash}</c>. One commit is one transaction in that one partition.
/// </summary>
public sealed class TableSubmissionIndex(NapStorage storage) : ISubmissionIndex
{
    public static string LatestKey(string signatoryId) => $"latest|{signatoryId}";
    public static string VersionKey(string signatoryId, int version) => $"version|{signatoryId}|{version.ToString("D10", CultureInfo.InvariantCulture)}";
    public static string IdempotencyKey(string signatoryId, string keyHash) => $"idem|{signatoryId}|{keyHash}";

    private Task<TableClient> Table(CancellationToken ct) => storage.TableAsync(StorageNames.SubmissionsTable, ct);

    public async Task<LatestSubmission?> GetLatestAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, LatestKey(signatoryId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? new LatestSubmission(FromEntity(hit.Value!), hit.Value!.ETag) : null;
    }

    public async Task<SubmissionVersion?> GetVersionAsync(string cycleId, string signatoryId, int version, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, VersionKey(signatoryId, version), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? FromEntity(hit.Value!) : null;
    }

    public async Task<SubmissionReceipt?> FindByIdempotencyKeyAsync(string cycleId, string signatoryId, string keyHash, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, IdempotencyKey(signatoryId, keyHash), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? FromEntity(hit.Value!).Receipt : null;
    }

    public async Task<ETag?> TryCommitAsync(SubmissionCommit commit, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            var responses = await table.SubmitTransactionAsync(BuildActions(commit), cancellationToken).ConfigureAwait(false);
            // Action 1 is the latest row; an answer without an ETag only costs the next writer a read.
            return responses.Value.Count > 1 && responses.Value[1].Headers.ETag is { } etag ? etag : default(ETag);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    public async Task<IReadOnlyDictionary<string, LatestSubmission>> SnapshotLatestAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var snapshot = new Dictionary<string, LatestSubmission>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(
                           x => x.PartitionKey == cycleId && x.RowKey.CompareTo("latest|") > 0 && x.RowKey.CompareTo("latest}") < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var version = FromEntity(e);
            snapshot[version.Receipt.SignatoryId] = new LatestSubmission(version, e.ETag);
        }
        return snapshot;
    }

    /// <summary>The transaction's actions; all share the cycle's partition, as Azure requires.</summary>
    public static IReadOnlyList<TableTransactionAction> BuildActions(SubmissionCommit commit)
    {
        var v = commit.Version;
        var r = v.Receipt;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, ToEntity(v, VersionKey(r.SignatoryId, r.Version))),
            commit.ExpectedLatest is { } etag
                ? new(TableTransactionActionType.UpdateReplace, ToEntity(v, LatestKey(r.SignatoryId)), etag)
                : new(TableTransactionActionType.Add, ToEntity(v, LatestKey(r.SignatoryId))),
        };
        if (commit.IdempotencyKeyHash is { } key)
            actions.Add(new(TableTransactionActionType.Add, ToEntity(v, IdempotencyKey(r.SignatoryId, key))));
        return actions;
    }

    public async Task<IReadOnlyList<SubmissionVersion>> ListLatestAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var list = new List<SubmissionVersion>();
        await foreach (var e in table.QueryAsync<TableEntity>(
                           x => x.PartitionKey == cycleId && x.RowKey.CompareTo("latest|") > 0 && x.RowKey.CompareTo("latest}") < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntity(e));
        return list;
    }

    public async Task<IReadOnlyList<SubmissionVersion>> ListVersionsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var from = $"version|{signatoryId}|";
        var to = $"version|{signatoryId}}}";
        var list = new List<SubmissionVersion>();
        await foreach (var e in table.QueryAsync<TableEntity>(
                           x => x.PartitionKey == cycleId && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo(to) < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntity(e));
        return list;
    }

    private static TableEntity ToEntity(SubmissionVersion v, string rowKey)
    {
        var e = Columns(v, rowKey);
        if (v.PublicSha256 is { } p) e["PublicSha256"] = p;
        if (v.ConfidentialSha256 is { } c) e["ConfidentialSha256"] = c;
        if (v.Redacted is { } r) { e["RedactedAt"] = DateTimeOffset.Parse(r.On, CultureInfo.InvariantCulture); e["RedactedBy"] = r.By; }
        return e;
    }

    private static TableEntity Columns(SubmissionVersion v, string rowKey) => new(v.Receipt.CycleId, rowKey)
    {
        ["SubmissionId"] = v.Receipt.SubmissionId,
        ["SignatoryId"] = v.Receipt.SignatoryId,
        ["Version"] = v.Receipt.Version,
        ["ReceivedAt"] = v.Receipt.ReceivedAt,
        ["Sha256"] = v.Receipt.Sha256,
        ["Late"] = v.Receipt.Late,
        ["BlobName"] = v.BlobName,
    };

    private static SubmissionVersion FromEntity(TableEntity e)
    {
        var receivedAt = e.GetDateTimeOffset("ReceivedAt")!.Value;
        return new SubmissionVersion(new SubmissionReceipt(
            e.GetString("SubmissionId"),
            e.PartitionKey,
            e.GetString("SignatoryId"),
            e.GetInt32("Version")!.Value,
            receivedAt,
            Api.AmsterdamTime.Format(receivedAt),
            e.GetString("Sha256"),
            e.GetBoolean("Late") ?? false), e.GetString("BlobName"))
        {
            PublicSha256 = e.GetString("PublicSha256"),
            ConfidentialSha256 = e.GetString("ConfidentialSha256"),
            Redacted = e.GetDateTimeOffset("RedactedAt") is { } at && e.GetString("RedactedBy") is { } by && e.GetString("PublicSha256") is { } sha
                ? new RedactionMark(Api.AmsterdamTime.Format(at), by, e.GetString("Sha256"), sha)
                : null,
        };
    }
}
