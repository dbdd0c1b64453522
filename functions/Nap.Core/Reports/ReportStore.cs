using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Nap.Storage;

namespace Nap.Reports;

/// <summary>Tables and containers of the report feature (besides <see cref="StorageNames.ReportsContainer"/>).</summary>
public static class ReportStorageNames
{
    /// <summary>Coordinators' requests for a final report; a blob trigger picks them up. Outside the submissions trigger path.</summary>
    public const string RequestsContainer = "report-requests";
    public const string VersionsTable = "ReportVersions";
    public const string AggregatesTable = "ReportAggregates";
}

public static class PublishStatus
{
    public const string Pending = "pending";
    public const string Published = "published";
    public const string Failed = "failed";
}

public sealed record StoredReportFile(string Name, string Extension, string BlobName, string ContentType, long Bytes, string Sha256, string? ItemId, string? WebUrl);

/// <summary>A report version as recorded in Table Storage.</summary>
public sealed record ReportVersion(
    string CycleId,
    int Version,
    ReportKind Kind,
    string Status,
    DateTimeOffset CreatedAt,
    string? InputHash,
    string? RequestId,
    int Submissions,
    IReadOnlyList<StoredReportFile> Files,
    string PublishStatus,
    string? PublishTarget,
    int PublishAttempts,
    string? PublishErrorType,
    DateTimeOffset? PublishedAt);

/// <summary>The latest version of a kind (null: none yet) and the ETag of the row that points to it (null: no row yet).</summary>
public sealed record ReportPointer(ReportVersion? Version, ETag? ETag);

/// <summary>A coordinator's request for a final report, and what became of it.</summary>
public sealed record ReportRequest(string CycleId, string RequestId, string Status, DateTimeOffset RequestedAt, int? ReportVersion, string Language = "nl");

/// <summary>
/// Report versions (table <c>ReportVersions</c>, partition = cycle) and their files (container <c>reports</c>, under
/// <c>{cycleId}/{version}/</c>); the aggregates are <see cref="IReportAggregates"/>. Every transaction stays in the
/// cycle's partition.
/// </summary>
public sealed partial class ReportStore(NapStorage storage)
{
    private const string CounterKey = "version-counter";
    public const string ScheduleKey = "draft-schedule";
    private static readonly string[] FileKinds = ["Docx", "Json", "Csv"];

    public static string VersionKey(int version) => "version|" + version.ToString("D10", CultureInfo.InvariantCulture);
    public static string LatestKey(ReportKind kind) => "latest|" + kind.ToString().ToLowerInvariant();
    public static string RequestKey(string requestId) => "request|" + requestId;
    public static string BlobPrefix(string cycleId, int version) => $"{cycleId}/{version.ToString(CultureInfo.InvariantCulture)}/";
    public static string StaffLineageBlobName(string cycleId, int version) => BlobPrefix(cycleId, version) + "staff-lineage.json";

    /// <summary>Stores the staff lineage of a version (same content for the same version: overwriting is harmless).</summary>
    public async Task SaveStaffLineageAsync(ReportVersion version, IReadOnlyList<StaffLineageEntry> lineage, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(StaffLineageBlobName(version.CycleId, version.Version)).UploadAsync(
            BinaryData.FromBytes(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { version.CycleId, version.Version, lineage }, Api.NapJson.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The staff lineage of a version, or null when it has none.</summary>
    public async Task<(byte[] Content, long Length, string Sha256)?> FindStaffLineageAsync(ReportVersion version, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = (await container.GetBlobClient(StaffLineageBlobName(version.CycleId, version.Version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
            return (bytes, bytes.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public Task<TableClient> VersionsAsync(CancellationToken ct) => storage.TableAsync(ReportStorageNames.VersionsTable, ct);

    /// <summary>The latest compiled version of this kind, if any.</summary>
    public async Task<ReportVersion?> FindLatestAsync(string cycleId, ReportKind kind, CancellationToken cancellationToken = default) =>
        (await ReadLatestAsync(cycleId, kind, cancellationToken).ConfigureAwait(false)).Version;

    /// <summary>The latest version of this kind and the ETag of the pointer to it: <see cref="SaveAsync"/> moves the pointer only from this state.</summary>
    public async Task<ReportPointer> ReadLatestAsync(string cycleId, ReportKind kind, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var pointer = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, LatestKey(kind), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!pointer.HasValue) return new ReportPointer(null, null);
        var version = await FindAsync(cycleId, pointer.Value!.GetInt32("Version")!.Value, cancellationToken).ConfigureAwait(false);
        return new ReportPointer(version, pointer.Value.ETag);
    }

    public async Task<ReportVersion?> FindAsync(string cycleId, int version, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, VersionKey(version), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? FromEntity(hit.Value!) : null;
    }

    /// <summary>Every version of the cycle, newest first.</summary>
    public async Task<IReadOnlyList<ReportVersion>> ListAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ReportVersion>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId && x.RowKey.CompareTo("version|") > 0 && x.RowKey.CompareTo("version}") < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntity(e));
        list.Reverse();
        return list;
    }

    /// <summary>
    /// Stores a compiled report as the next version: the number is taken together with a "compiling" row in one
    /// transaction, the files are uploaded, then the row turns "compiled" and becomes the latest of its kind, in one
    /// transaction that holds only if the latest pointer is still as <paramref name="expected"/> (read before the
    /// report's inputs). Otherwise another compilation got there first: this version's row and files are removed and
    /// null is returned, so two compilations of the same inputs make one version and a slower compilation of older
    /// inputs never moves the pointer back. A crash in between leaves a "compiling" row that no one reuses; the next
    /// compilation takes a new number.
    /// </summary>
    public Task<ReportVersion?> SaveAsync(ReportBundle bundle, string? requestId, DateTimeOffset now, ReportPointer expected, CancellationToken cancellationToken = default) =>
        SaveAsync(bundle.Report, async (target, token) =>
        {
            var written = new List<WrittenReportFile>();
            foreach (var f in bundle.Files)
            {
                var stream = await target(f.Name, f.ContentType, token).ConfigureAwait(false);
                await stream.WriteAsync(f.Content, token).ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
                written.Add(new WrittenReportFile(f.Name, f.ContentType, f.Content.LongLength, f.Sha256));
            }
            return written;
        }, requestId, now, expected, cancellationToken);

    /// <summary>
    /// As above, with the files written by <paramref name="writeFiles"/> straight into the version's blobs (block blob
    /// write streams), so no file needs to be held in memory. A file whose writing fails is never committed, and the
    /// files of a failed attempt are removed: the version stays a "compiling" row without files, as after a crash.
    /// </summary>
    public async Task<ReportVersion?> SaveAsync(CompiledReport report, Func<ReportFileTarget, CancellationToken, Task<IReadOnlyList<WrittenReportFile>>> writeFiles,
        string? requestId, DateTimeOffset now, ReportPointer expected, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var version = await AllocateAsync(table, report.CycleId, report.Kind, now, cancellationToken).ConfigureAwait(false);

        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        var prefix = BlobPrefix(report.CycleId, version);
        var opened = new System.Collections.Concurrent.ConcurrentBag<string>();
        IReadOnlyList<WrittenReportFile> written;
        try
        {
            written = await writeFiles(BlobTarget(container, prefix, opened.Add), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var blobName in opened)
            {
                try
                {
                    await container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
                catch (RequestFailedException)
                {
                }
            }
            throw;
        }

        var files = new List<StoredReportFile>();
        foreach (var f in written)
        {
            var blobName = prefix + f.Name;
            // The SHA-256 is known only once the file is written, so the metadata follows the commit.
            await container.GetBlobClient(blobName).SetMetadataAsync(
                new Dictionary<string, string> { ["sha256"] = f.Sha256, ["cycle"] = report.CycleId, ["reportVersion"] = version.ToString(CultureInfo.InvariantCulture) },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            files.Add(new StoredReportFile(f.Name, Capitalize(f.Extension), blobName, f.ContentType, f.Bytes, f.Sha256, null, null));
        }

        var entity = new TableEntity(report.CycleId, VersionKey(version))
        {
            ["Version"] = version,
            ["Kind"] = report.Kind.ToString().ToLowerInvariant(),
            ["Status"] = "compiled",
            ["CreatedAt"] = now,
            ["InputHash"] = report.InputHash,
            ["RequestId"] = requestId,
            ["Submissions"] = report.Lineage.Count,
            ["Included"] = report.Lineage.Count(l => l.Included),
            ["Contributions"] = report.Totals.Contributions,
            ["PublishStatus"] = PublishStatus.Pending,
            ["PublishAttempts"] = 0,
        };
        foreach (var f in files)
        {
            entity[f.Extension + "Name"] = f.Name;
            entity[f.Extension + "Blob"] = f.BlobName;
            entity[f.Extension + "ContentType"] = f.ContentType;
            entity[f.Extension + "Bytes"] = f.Bytes;
            entity[f.Extension + "Sha256"] = f.Sha256;
        }
        var pointer = new TableEntity(report.CycleId, LatestKey(report.Kind)) { ["Version"] = version, ["InputHash"] = report.InputHash };
        try
        {
            await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity),
                expected.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, pointer, etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, pointer),
            ], cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            await DiscardAsync(table, container, report.CycleId, version, files).ConfigureAwait(false);
            return null;
        }
        return FromEntity(entity);
    }

    /// <summary>Removes a version that lost the race for the latest pointer. Best effort: what is left over is a "compiling" row, as after a crash.</summary>
    private static async Task DiscardAsync(TableClient table, Azure.Storage.Blobs.BlobContainerClient container, string cycleId, int version, List<StoredReportFile> files)
    {
        try
        {
            foreach (var f in files)
                await container.GetBlobClient(f.BlobName).DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            await table.DeleteEntityAsync(cycleId, VersionKey(version), ETag.All, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>Blocks of 1 MiB: what a report file holds in memory while it is written to its blob (three files side by side; 1 MiB keeps that small next to the report, and 50,000 blocks still allow 48 GiB).</summary>
    private const int WriteBufferSize = 1024 * 1024;

    /// <summary>Report files written as block blobs under <paramref name="prefix"/>, each committed when its stream is disposed (the benchmark writes through this too).</summary>
    public static ReportFileTarget BlobTarget(Azure.Storage.Blobs.BlobContainerClient container, string prefix, Action<string>? opened = null) =>
        async (name, contentType, token) =>
        {
            opened?.Invoke(prefix + name);
            return await container.GetBlockBlobClient(prefix + name).OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                BufferSize = WriteBufferSize,
            }, token).ConfigureAwait(false);
        };

    private static async Task<int> AllocateAsync(TableClient table, string cycleId, ReportKind kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var counter = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, CounterKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var next = (counter.HasValue ? counter.Value!.GetInt32("Last") ?? 0 : 0) + 1;
            var counterEntity = new TableEntity(cycleId, CounterKey) { ["Last"] = next };
            var row = new TableEntity(cycleId, VersionKey(next))
            {
                ["Version"] = next,
                ["Kind"] = kind.ToString().ToLowerInvariant(),
                ["Status"] = "compiling",
                ["CreatedAt"] = now,
                ["PublishStatus"] = PublishStatus.Pending,
            };
            try
            {
                await table.SubmitTransactionAsync(
                [
                    counter.HasValue
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counterEntity, counter.Value!.ETag)
                        : new TableTransactionAction(TableTransactionActionType.Add, counterEntity),
                    new TableTransactionAction(TableTransactionActionType.Add, row),
                ], cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records where the files went; a failure keeps the version and counts the attempt, for the next compile to retry.</summary>
    public async Task<ReportVersion> RecordPublicationAsync(ReportVersion version, string target, IReadOnlyList<(string Extension, string ItemId, string WebUrl)>? published,
        string? errorType, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(version.CycleId, VersionKey(version.Version))
        {
            ["PublishStatus"] = published is null ? PublishStatus.Failed : PublishStatus.Published,
            ["PublishTarget"] = target,
            ["PublishAttempts"] = version.PublishAttempts + 1,
            ["PublishErrorType"] = errorType ?? "",
            ["PublishedAt"] = published is null ? null : now,
        };
        foreach (var (ext, itemId, webUrl) in published ?? [])
        {
            entity[ext + "ItemId"] = itemId;
            entity[ext + "WebUrl"] = webUrl;
        }
        await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        return (await FindAsync(version.CycleId, version.Version, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The stored file as a stream from Blob Storage, for the download route.</summary>
    public async Task<Stream> OpenReadAsync(StoredReportFile file, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        return (await container.GetBlobClient(file.BlobName).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Content;
    }

    public async Task<BinaryData> DownloadAsync(StoredReportFile file, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        return (await container.GetBlobClient(file.BlobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
    }

    /// <summary>
    /// The stored file as a seekable stream that reads the blob in ranges as it goes (for publishing: an upload session
    /// reads it slice by slice, and a final is sent twice). Fails if the blob changes while it is read.
    /// </summary>
    public async Task<Stream> OpenForPublishingAsync(StoredReportFile file, CancellationToken cancellationToken = default)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, cancellationToken).ConfigureAwait(false);
        return await container.GetBlobClient(file.BlobName).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);
    }

    // ---- final report requests ----

    public async Task<ReportRequest?> FindRequestAsync(string cycleId, string requestId, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, RequestKey(requestId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? RequestFromEntity(hit.Value!) : null;
    }

    /// <summary>Adds the request row; false when it already exists (a retried request).</summary>
    public async Task<bool> TryAddRequestAsync(string cycleId, string requestId, string requestedBy, DateTimeOffset now, string language, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(cycleId, RequestKey(requestId))
            {
                ["RequestId"] = requestId,
                ["Status"] = "pending",
                ["RequestedAt"] = now,
                ["RequestedBy"] = requestedBy,
                ["Language"] = language,
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task CompleteRequestAsync(string cycleId, string requestId, int reportVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(cycleId, RequestKey(requestId))
        {
            ["RequestId"] = requestId,
            ["Status"] = "compiled",
            ["ReportVersion"] = reportVersion,
            ["CompletedAt"] = now,
        }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReportRequest>> ListRequestsAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ReportRequest>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId && x.RowKey.CompareTo("request|") > 0 && x.RowKey.CompareTo("request}") < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(RequestFromEntity(e));
        return list.OrderByDescending(r => r.RequestedAt).ToList();
    }

    private static ReportRequest RequestFromEntity(TableEntity e) => new(
        e.PartitionKey, e.GetString("RequestId"), e.GetString("Status") ?? "pending",
        e.GetDateTimeOffset("RequestedAt") ?? DateTimeOffset.MinValue, e.GetInt32("ReportVersion"), e.GetString("Language") is "en" ? "en" : "nl");

    private static ReportVersion FromEntity(TableEntity e)
    {
        var files = new List<StoredReportFile>();
        foreach (var k in FileKinds)
        {
            if (e.GetString(k + "Blob") is not { Length: > 0 } blob) continue;
            files.Add(new StoredReportFile(e.GetString(k + "Name"), k, blob, e.GetString(k + "ContentType"), e.GetInt64(k + "Bytes") ?? 0,
                e.GetString(k + "Sha256"), e.GetString(k + "ItemId"), e.GetString(k + "WebUrl")));
        }
        return new ReportVersion(
            e.PartitionKey,
            e.GetInt32("Version")!.Value,
            e.GetString("Kind") == "final" ? ReportKind.Final : ReportKind.Draft,
            e.GetString("Status") ?? "compiling",
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            e.GetString("InputHash"),
            e.GetString("RequestId"),
            e.GetInt32("Submissions") ?? 0,
            files,
            e.GetString("PublishStatus") ?? PublishStatus.Pending,
            e.GetString("PublishTarget"),
            e.GetInt32("PublishAttempts") ?? 0,
            e.GetString("PublishErrorType") is { Length: > 0 } err ? err : null,
            e.GetDateTimeOffset("PublishedAt"));
    }

    private static string Capitalize(string extension) => extension.Length == 0 ? extension : char.ToUpperInvariant(extension[0]) + extension[1..].ToLowerInvariant();
}
