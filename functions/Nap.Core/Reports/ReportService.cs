using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Framework;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>What a compilation did: the version it made or found unchanged.</summary>
public sealed record CompileOutcome(ReportVersion? Version, bool Created);

/// <summary>The answer to a coordinator's request for the final report.</summary>
public sealed record ReportRequestReceipt(string CycleId, string RequestId, string Status, DateTimeOffset RequestedAt, int? ReportVersion, bool Created);

/// <summary>What <c>GET /api/cycles/{cycleId}/report</c> shows.</summary>
public sealed record ReportListing(string CycleId, IReadOnlyList<ReportRequest> Requests, IReadOnlyList<ReportVersionView> Versions);

public sealed record ReportVersionView(
    int Version,
    ReportKind Kind,
    string Status,
    DateTimeOffset CreatedAt,
    string CreatedAtLocal,
    string? InputHash,
    string? RequestId,
    int Submissions,
    string PublishStatus,
    string? PublishTarget,
    int PublishAttempts,
    IReadOnlyList<ReportFileView> Files);

/// <summary>A file of a report version as the API lists it: <see cref="Url"/> downloads it through the API (no storage keys or SAS).</summary>
public sealed record ReportFileView(string File, string Name, string ContentType, long Bytes, string Sha256, string Url, string? PublishedUrl);

/// <summary>A stored report file ready to stream: its ETag is its SHA-256, its download name carries the version.</summary>
public sealed record ReportFileDownload(string ContentType, long Length, string ETag, string DownloadName, Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>
/// The yearly report: compiles drafts as submissions arrive and finals on request, stores every version with its
/// files and aggregates, and publishes the files. A compilation whose inputs did not change makes no new version;
/// it only retries publishing if the last attempt failed.
/// </summary>
public sealed partial class ReportService(
    ICycleStore cycles,
    ISignatoryRegistry registry,
    ISubmissionIndex index,
    ResultsFramework framework,
    ReportCompiler compiler,
    ReportHistory history,
    ReportStore store,
    IReportAggregates aggregates,
    DraftCompilationScheduler scheduler,
    IReportPublisher publisher,
    NapStorage storage,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ReportService> logger,
    ReportVersionSelector versions,
    IPublishedHashKey publishedHashKey)
{
    /// <summary>A submission body was stored: recompile the cycle's draft, coalesced with the other events of a burst.</summary>
    public async Task<int> OnSubmissionStoredAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        if (!ReportingCycle.IsValidId(cycleId)) return 0;
        return await scheduler.SignalAsync(cycleId, ct => CompileAsync(cycleId, ReportKind.Draft, null, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The recovery timer: every cycle whose draft is marked dirty while no one holds its lease (the compiling
    /// instance crashed, or its compilation failed) is compiled now, instead of waiting for a submission that may never
    /// come. A cycle that fails is logged by type and left dirty for the next run; the others go on. Returns the
    /// number of compilations.
    /// </summary>
    public async Task<int> CompileStaleDraftsAsync(CancellationToken cancellationToken = default)
    {
        var compilations = 0;
        // Every cycle, not only open ones: a cycle closed right after its last submission still needs that draft.
        foreach (var cycle in await cycles.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                compilations += await CompileStaleDraftAsync(cycle.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRecoveryFailed(logger, cycle.Id, ex.GetType().FullName ?? "unknown");
            }
        }
        return compilations;
    }

    /// <summary>One cycle of <see cref="CompileStaleDraftsAsync"/>: compiles its draft if it is dirty and no one holds its lease.</summary>
    public Task<int> CompileStaleDraftAsync(string cycleId, CancellationToken cancellationToken = default) =>
        ReportingCycle.IsValidId(cycleId)
            ? scheduler.RecoverAsync(cycleId, ct => CompileAsync(cycleId, ReportKind.Draft, null, ct), cancellationToken)
            : Task.FromResult(0);

    /// <summary>
    /// Compiles the cycle's report of this kind unless its inputs are unchanged, then publishes it. Safe to run
    /// concurrently: when another compilation moves the latest pointer first, this one discards its version and looks
    /// again, so the same inputs make one version and the pointer only moves to inputs read after it.
    /// </summary>
    public Task<CompileOutcome> CompileAsync(string cycleId, ReportKind kind, string? requestId, CancellationToken cancellationToken = default) =>
        CompileAsync(cycleId, kind, requestId, "nl", cancellationToken);

    /// <summary>As above, with the annex in <paramref name="language"/> ("nl" or "en"); drafts are Dutch.</summary>
    public async Task<CompileOutcome> CompileAsync(string cycleId, ReportKind kind, string? requestId, string language, CancellationToken cancellationToken = default)
    {
        var lostRace = false;
        for (var attempt = 1; ; attempt++)
        {
            // The pointer strictly before the inputs: a version that replaces it was compiled from inputs read after it was set.
            var latest = await store.ReadLatestAsync(cycleId, kind, cancellationToken).ConfigureAwait(false);
            // Three independent reads, side by side.
            var cycleRead = cycles.FindAsync(cycleId, cancellationToken);
            var latestRead = index.ListLatestAsync(cycleId, cancellationToken);
            var registryRead = registry.ListAsync(cancellationToken);
            var textsRead = store.FindTextsAsync(cycleId, cancellationToken);
            await Task.WhenAll(cycleRead, latestRead, registryRead, textsRead).ConfigureAwait(false);
            var cycle = await cycleRead.ConfigureAwait(false);
            if (cycle is null)
            {
                LogNoCycle(logger, cycleId);
                return new CompileOutcome(null, false);
            }
            // Drafts use the latest versions; a final those its cycle's reportVersions setting names.
            var selection = await versions.SelectAsync(cycle, kind, await latestRead.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var earlier = await history.EarlierCyclesAsync(cycle, cancellationToken).ConfigureAwait(false);
            var inputs = new ReportInputs(cycle, kind, selection.Versions, await registryRead.ConfigureAwait(false), framework,
                language, (await textsRead.ConfigureAwait(false)).Texts, selection.Review, earlier)
            {
                PublishedHash = await publishedHashKey.GetAsync(cancellationToken).ConfigureAwait(false),
            };
            if (latest.Version is { } previous && previous.InputHash == inputs.InputHash)
            {
                LogUnchanged(logger, cycleId, kind, previous.Version);
                // The compilation that made it is still storing its aggregates and publishing: not ours to repeat.
                if (lostRace) return new CompileOutcome(previous, false);
                await RepairAggregatesAsync(previous, inputs, cancellationToken).ConfigureAwait(false);
                if (previous.PublishStatus != PublishStatus.Published)
                    previous = await PublishAsync(previous, cancellationToken).ConfigureAwait(false);
                return new CompileOutcome(previous, false);
            }

            var version = await CompileAndStoreAsync(inputs, requestId, latest, cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                LogLostRace(logger, cycleId, kind, attempt);
                lostRace = true;
                if (attempt >= MaxAttempts) throw new InvalidOperationException($"The {kind} report of cycle {cycleId} kept being overtaken by other compilations.");
                continue;
            }
            // Published from the stored blobs, one file at a time, with the compiled report no longer held.
            version = await PublishAsync(version, cancellationToken).ConfigureAwait(false);
            return new CompileOutcome(version, true);
        }
    }

    /// <summary>Compiles, writes the files straight into the version's blobs and stores the aggregates; null when another compilation moved the pointer first.</summary>
    private async Task<ReportVersion?> CompileAndStoreAsync(ReportInputs inputs, string? requestId, ReportPointer latest, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var report = await compiler.CompileAsync(inputs, cancellationToken).ConfigureAwait(false);
        // The files go into their blobs as they are written: JSON and CSV are never whole in memory.
        var version = await store.SaveAsync(report, (target, ct) => compiler.WriteAsync(report, target, ct), requestId, time.GetUtcNow(), latest,
            cancellationToken).ConfigureAwait(false);
        if (version is null) return null;
        // The staff's lineage with the plain SHA-256s, beside the files but never published.
        await store.SaveStaffLineageAsync(version, StaffLineage(inputs, report), cancellationToken).ConfigureAwait(false);
        LogCompiled(logger, inputs.Cycle.Id, inputs.Kind, version.Version, inputs.Submissions.Count, report.DataQuality.Skipped.Count,
            (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // After the pointer: a failure here fails this compilation, and the next one (unchanged inputs) repairs it.
        await aggregates.SaveAsync(report, version.Version, cancellationToken).ConfigureAwait(false);
        return version;
    }

    private const int MaxAttempts = 5;

    /// <summary>Every submission of the inputs with its receipt SHA-256 and the keyed hash the published files carry for it.</summary>
    public static IReadOnlyList<StaffLineageEntry> StaffLineage(ReportInputs inputs, CompiledReport report)
    {
        var included = report.Lineage.ToDictionary(l => l.SubmissionId, l => l.Included, StringComparer.Ordinal);
        return inputs.Submissions.Select(s => new StaffLineageEntry(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version, s.Receipt.Sha256,
            inputs.PublishedHash.Of(s.Receipt.Sha256), s.BlobName, included.GetValueOrDefault(s.Receipt.SubmissionId), s.Redacted)).ToList();
    }

    /// <summary>
    /// The aggregates of the latest version, if an earlier compilation failed to write them: computed again from the
    /// same inputs (so the same figures), without a new version.
    /// </summary>
    private async Task RepairAggregatesAsync(ReportVersion latest, ReportInputs inputs, CancellationToken cancellationToken)
    {
        var stored = await aggregates.FindVersionAsync(latest.CycleId, latest.Kind, cancellationToken).ConfigureAwait(false);
        if (stored >= latest.Version) return;
        LogRepairingAggregates(logger, latest.CycleId, latest.Kind, latest.Version);
        using var report = await compiler.CompileAsync(inputs, cancellationToken).ConfigureAwait(false);
        await aggregates.SaveAsync(report, latest.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes a version's files from Blob Storage, one at a time, and records the outcome.</summary>
    private async Task<ReportVersion> PublishAsync(ReportVersion version, CancellationToken cancellationToken)
    {
        var published = new List<(string, string, string)>();
        try
        {
            foreach (var file in version.Files)
            {
                // Read from the blob as it is sent: a file of tens of megabytes is never whole in memory. One stream
                // per upload, since the HTTP request that sends it disposes it.
                async Task<PublishedFile> SendAsync(string name)
                {
                    await using var content = await store.OpenForPublishingAsync(file, cancellationToken).ConfigureAwait(false);
                    return await publisher.PublishAsync(version.CycleId, name, file.ContentType, content, cancellationToken).ConfigureAwait(false);
                }
                // A final goes out under its own versioned name, which a newer final never replaces (what someone
                // forwarded stays what it was), and under the stable name that is always the latest. Drafts keep one name.
                var result = await SendAsync(version.Kind == ReportKind.Final ? VersionedName(file.Name, version.Version) : file.Name).ConfigureAwait(false);
                if (version.Kind == ReportKind.Final) await SendAsync(file.Name).ConfigureAwait(false);
                published.Add((file.Extension, result.ItemId, result.WebUrl));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: messages of HTTP errors can quote the request.
            LogPublishFailed(logger, version.CycleId, version.Version, publisher.Target, ex.GetType().FullName ?? "unknown");
            return await store.RecordPublicationAsync(version, publisher.Target, null, ex.GetType().Name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        LogPublished(logger, version.CycleId, version.Version, publisher.Target, published.Count);
        return await store.RecordPublicationAsync(version, publisher.Target, published, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    // ---- final report on request ----

    /// <summary>
    /// Records a coordinator's request and drops a request blob for the <c>CompileFinalReport</c> trigger: the HTTP call
    /// does no compiling itself. The same Idempotency-Key gives the same request.
    /// </summary>
    public Task<ReportRequestReceipt> RequestFinalAsync(string cycleId, StaffMember coordinator, string? idempotencyKey, CancellationToken cancellationToken = default) =>
        RequestFinalAsync(cycleId, coordinator, idempotencyKey, null, cancellationToken);

    /// <summary>As above, for an annex in <paramref name="language"/> ("nl", the default, or "en").</summary>
    public Task<ReportRequestReceipt> RequestFinalAsync(string cycleId, StaffMember coordinator, string? idempotencyKey, string? language, CancellationToken cancellationToken = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(coordinator), AuditActions.ReportRequest, ReportingCycle.IsValidId(cycleId) ? cycleId : null),
            () => RequestAsync(cycleId, coordinator, idempotencyKey, language, cancellationToken), cancellationToken);

    private async Task<ReportRequestReceipt> RequestAsync(string cycleId, StaffMember coordinator, string? idempotencyKey, string? language, CancellationToken cancellationToken)
    {
        var cycle = await RequireCycleAsync(cycleId, cancellationToken).ConfigureAwait(false);
        if (language is not null && !ReportLanguage.IsSupported(language))
            throw new ProblemException(Problem.Validation([new FieldError("/lang", "unsupported-language", "The annex is written in nl or en.")]));
        if (idempotencyKey is { Length: 0 or > 200 })
            throw new ProblemException(new Problem(400, Problem.TypeBase + "idempotency-key", "Invalid Idempotency-Key.", "Use 1–200 characters, e.g. a UUID."));
        var requestId = idempotencyKey is null
            ? Guid.NewGuid().ToString("N")
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cycle.Id + "\n" + idempotencyKey)))[..32];

        var now = time.GetUtcNow();
        var created = await store.TryAddRequestAsync(cycle.Id, requestId, coordinator.ObjectId, now, language ?? "nl", cancellationToken).ConfigureAwait(false);
        var container = await storage.ContainerAsync(ReportStorageNames.RequestsContainer, cancellationToken).ConfigureAwait(false);
        try
        {
            await container.GetBlobClient(RequestBlobName(cycle.Id, requestId)).UploadAsync(
                BinaryData.FromObjectAsJson(new { cycleId = cycle.Id, requestId, requestedAt = now }, NapJson.Options),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // A retried request: its blob is already there and its trigger has fired.
        }
        LogRequested(logger, cycle.Id, requestId, created);
        var request = await store.FindRequestAsync(cycle.Id, requestId, cancellationToken).ConfigureAwait(false);
        return new ReportRequestReceipt(cycle.Id, requestId, request?.Status ?? "pending", request?.RequestedAt ?? now, request?.ReportVersion, created);
    }

    public static string RequestBlobName(string cycleId, string requestId) => $"{cycleId}/{requestId}.json";

    /// <summary>The request blob's trigger: compile the final report and mark the request done. Safe to run twice.</summary>
    public async Task<CompileOutcome> CompileFinalAsync(string cycleId, string blobName, CancellationToken cancellationToken = default)
    {
        var requestId = Path.GetFileNameWithoutExtension(blobName);
        if (!ReportingCycle.IsValidId(cycleId) || requestId.Length is 0 or > 64) return new CompileOutcome(null, false);
        var request = await store.FindRequestAsync(cycleId, requestId, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            LogUnknownRequest(logger, cycleId, requestId);
            return new CompileOutcome(null, false);
        }
        var outcome = await CompileAsync(cycleId, ReportKind.Final, requestId, request.Language, cancellationToken).ConfigureAwait(false);
        if (outcome.Version is { } v)
            await store.CompleteRequestAsync(cycleId, requestId, v.Version, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Versions, files and requests of a cycle, for coordinators.</summary>
    public async Task<ReportListing> ListAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var cycle = await RequireCycleAsync(cycleId, cancellationToken).ConfigureAwait(false);
        var versions = await store.ListAsync(cycle.Id, cancellationToken).ConfigureAwait(false);
        var requests = await store.ListRequestsAsync(cycle.Id, cancellationToken).ConfigureAwait(false);
        return new ReportListing(cycle.Id, requests, versions.Select(v => new ReportVersionView(v.Version, v.Kind, v.Status, v.CreatedAt,
            AmsterdamTime.Format(v.CreatedAt), v.InputHash, v.RequestId, v.Submissions, v.PublishStatus, v.PublishTarget, v.PublishAttempts,
            v.Files.Select(f => new ReportFileView(ApiFileName(f.Extension), f.Name, f.ContentType, f.Bytes, f.Sha256,
                $"/api/cycles/{v.CycleId}/report/{v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{ApiFileName(f.Extension)}", f.WebUrl)).ToList())).ToList());
    }

    /// <summary>The staff lineage of a version, downloaded through the same route; never published.</summary>
    public const string StaffLineageFile = "lineage.json";

    /// <summary>The file names of the download route: annex.docx, report.json, report.csv (and <see cref="StaffLineageFile"/>).</summary>
    public static string ApiFileName(string extension) => extension.ToLowerInvariant() switch
    {
        "docx" => "annex.docx",
        "json" => "report.json",
        _ => "report.csv",
    };

    /// <summary>One stored file of a report version, for <c>GET /api/cycles/{cycleId}/report/{version}/{file}</c>.</summary>
    public async Task<ReportFileDownload> FindFileAsync(string cycleId, string version, string file, StaffMember reader, CancellationToken cancellationToken = default)
    {
        var cycle = await RequireCycleAsync(cycleId, cancellationToken).ConfigureAwait(false);
        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
            throw new ProblemException(Problem.NotFound("There is no such report version."));
        var stored = await store.FindAsync(cycle.Id, number, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Status != "compiled") throw new ProblemException(Problem.NotFound("There is no such report version."));
        if (file == StaffLineageFile)
        {
            // Staff only (the route needs Nap.Reader): the plain SHA-256s the published files do not carry.
            var lineage = await store.FindStaffLineageAsync(stored, cancellationToken).ConfigureAwait(false)
                          ?? throw new ProblemException(Problem.NotFound("This report version has no staff lineage (compiled before it existed)."));
            await audit.AppendAsync(new AuditEvent(AuditActor.Of(reader), AuditActions.ReportDownload, cycle.Id, null, stored.Version), cancellationToken).ConfigureAwait(false);
            return new ReportFileDownload("application/json", lineage.Length, "\"" + lineage.Sha256 + "\"",
                ReportCompiler.FileBaseName(cycle.Id, stored.Kind) + "-v" + stored.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-lineage.json",
                _ => Task.FromResult<Stream>(new MemoryStream(lineage.Content, writable: false)));
        }
        var hit = stored.Files.FirstOrDefault(f => ApiFileName(f.Extension) == file)
                  ?? throw new ProblemException(Problem.NotFound("Files are annex.docx, report.json and report.csv."));
        await audit.AppendAsync(new AuditEvent(AuditActor.Of(reader), AuditActions.ReportDownload, cycle.Id, null, stored.Version), cancellationToken).ConfigureAwait(false);
        return new ReportFileDownload(hit.ContentType, hit.Bytes, "\"" + hit.Sha256 + "\"", VersionedName(hit.Name, stored.Version),
            ct => store.OpenReadAsync(hit, ct));
    }

    /// <summary>"voortgangsrapportage-nap-iv-2026.docx" of version 7 is "voortgangsrapportage-nap-iv-2026-v7.docx".</summary>
    public static string VersionedName(string fileName, int version) =>
        Path.GetFileNameWithoutExtension(fileName) + "-v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture) + Path.GetExtension(fileName);

    // ---- the coordinators' texts ----

    public async Task<ReportTextsView> GetTextsAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var cycle = await RequireCycleAsync(cycleId, cancellationToken).ConfigureAwait(false);
        var (texts, updatedAt) = await store.FindTextsAsync(cycle.Id, cancellationToken).ConfigureAwait(false);
        return new ReportTextsView(cycle.Id, texts.Introduction, texts.Governance, updatedAt);
    }

    /// <summary>
    /// Replaces the cycle's introduction and governance texts. They go into the next compilation (a final requested
    /// after this, the draft at the next submission); versions already made keep the texts they were made with.
    /// </summary>
    public async Task<ReportTextsView> PutTextsAsync(string cycleId, StaffMember coordinator, Func<CancellationToken, Task<ReadOnlyMemory<byte>>> readBody,
        CancellationToken cancellationToken = default)
    {
        var cycle = await RequireCycleAsync(cycleId, cancellationToken).ConfigureAwait(false);
        // The body is read only once the caller is known to be a coordinator (the function checked the role).
        var texts = ReportTextRules.Parse(await readBody(cancellationToken).ConfigureAwait(false));
        var now = time.GetUtcNow();
        await store.SaveTextsAsync(cycle.Id, texts, now, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent(AuditActor.Of(coordinator), AuditActions.ReportTexts, cycle.Id), cancellationToken).ConfigureAwait(false);
        LogTextsSaved(logger, cycle.Id, texts.Introduction?.Length ?? 0, texts.Governance?.Length ?? 0);
        return new ReportTextsView(cycle.Id, texts.Introduction, texts.Governance, now);
    }

    private async Task<ReportingCycle> RequireCycleAsync(string cycleId, CancellationToken cancellationToken) =>
        (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false) : null)
        ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));

    [LoggerMessage(Level = LogLevel.Information, Message = "Compiled {Kind} report of cycle {CycleId} as version {Version} from {Submissions} submissions ({Skipped} skipped) in {Milliseconds} ms")]
    private static partial void LogCompiled(ILogger logger, string cycleId, ReportKind kind, int version, int submissions, int skipped, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Kind} report of cycle {CycleId} is unchanged (version {Version}); nothing compiled")]
    private static partial void LogUnchanged(ILogger logger, string cycleId, ReportKind kind, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Kind} report of cycle {CycleId}: another compilation moved the latest version first (attempt {Attempt}); this one's version is discarded")]
    private static partial void LogLostRace(ILogger logger, string cycleId, ReportKind kind, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The aggregates of the {Kind} report of cycle {CycleId} lag behind version {Version}; writing them again")]
    private static partial void LogRepairingAggregates(ILogger logger, string cycleId, ReportKind kind, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering the draft report of cycle {CycleId} failed with {ExceptionType}; the next run retries")]
    private static partial void LogRecoveryFailed(ILogger logger, string cycleId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No cycle {CycleId}: no report compiled")]
    private static partial void LogNoCycle(ILogger logger, string cycleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published report {Version} of cycle {CycleId} to {Target} ({Files} files)")]
    private static partial void LogPublished(ILogger logger, string cycleId, int version, string target, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing report {Version} of cycle {CycleId} to {Target} failed with {ExceptionType}; the next compilation retries")]
    private static partial void LogPublishFailed(ILogger logger, string cycleId, int version, string target, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Final report of cycle {CycleId} requested ({RequestId}, new: {Created})")]
    private static partial void LogRequested(ILogger logger, string cycleId, string requestId, bool created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Annex texts of cycle {CycleId} saved ({IntroductionLength} and {GovernanceLength} characters)")]
    private static partial void LogTextsSaved(ILogger logger, string cycleId, int introductionLength, int governanceLength);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report request blob {RequestId} of cycle {CycleId} has no request row; ignored")]
    private static partial void LogUnknownRequest(ILogger logger, string cycleId, string requestId);
}
