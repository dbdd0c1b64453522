using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Submissions;

/// <summary>A submission as it arrives over HTTP from an authenticated signatory, before anything else is checked.</summary>
public sealed record SubmitRequest(
    string CycleId,
    SignatoryCaller Caller,
    string? ContentType,
    ReadOnlyMemory<byte> Body,
    string? IdempotencyKey,
    string? IfMatch);

/// <summary>The outcome: the receipt, and whether it was stored now or replayed for a retry.</summary>
public sealed record SubmitResult(SubmissionReceipt Receipt, bool Created)
{
    /// <summary>The contributions' ids per goal, those the client left out included.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContributionIds { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// Intake of yearly progress submissions. Splits the body (<see cref="SubmissionParts"/>): the public part immutably in
/// <c>submissions</c> (named by the received SHA-256), the confidential part encrypted in <c>confidential</c>, the
/// contact as a row apart; then indexes the version in one table transaction. A crash between the two leaves an unreferenced blob and no visible version; the retry
/// completes it. Retries (same Idempotency-Key or same bytes as the latest) return the stored receipt.
/// </summary>
public sealed partial class SubmissionService(
    SubmissionParser parser,
    ISubmissionContentStore contents,
    IConfidentialPartStore confidentialParts,
    ISubmissionContactStore contacts,
    SubmissionPartsReader reader,
    ISubmissionIndex index,
    ICycleStore cycles,
    LatestSubmissionCache latestCache,
    IAuditLog audit,
    TimeProvider time,
    ILogger<SubmissionService> logger,
    ISubmissionReceivedNotifier? received = null,
    NapOptions? nap = null)
{
    private const int MaxCommitAttempts = 40;

    public async Task<SubmitResult> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken = default)
    {
        var parsed = new StrongBox<SubmissionDocument>();
        var result = await StoreAsync(request, parsed, cancellationToken).ConfigureAwait(false);
        return result with { ContributionIds = ContributionIds.Of(parsed.Value!) };
    }

    private async Task<SubmitResult> StoreAsync(SubmitRequest request, StrongBox<SubmissionDocument> parsed, CancellationToken cancellationToken)
    {
        var cycle = await RequireCycleAsync(request.CycleId, cancellationToken).ConfigureAwait(false);
        var signatory = request.Caller.RequireCycle(cycle.Id).Signatory;
        if (!IsJson(request.ContentType)) throw new ProblemException(Problem.UnsupportedMediaType("application/json"));

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(request.Body.Span));
        var keyHash = HashIdempotencyKey(request.IdempotencyKey);
        parsed.Value = parser.Parse(request.Body); // 400 or 422; the raw body is stored, the document only answers the ids.
        var expectedVersion = ParseIfMatch(request.IfMatch);

        var settings = await cycles.FindSettingsAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        if (time.GetUtcNow() > cycle.DeadlineFor(settings) && !cycle.AcceptLate)
        {
            // Past a hard deadline a retry of an accepted submission still gets its receipt; anything new is refused.
            if (keyHash is not null && await index.FindByIdempotencyKeyAsync(cycle.Id, signatory.Id, keyHash, cancellationToken).ConfigureAwait(false) is { } accepted)
                return Replay(accepted, sha256);
            if (await index.GetLatestAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false) is { } current && current.Version.Receipt.Sha256 == sha256)
                return new SubmitResult(current.Version.Receipt, Created: false);
            throw new ProblemException(Problem.Conflict("cycle-closed", "The deadline has passed.", "This cycle no longer accepts late submissions; contact the coordinators."));
        }

        // The blob upload overlaps the look-up of the latest version: the blob is named by its bytes, so an upload that
        // turns out unneeded (a retry, a stale edit) rewrites nothing and stays invisible without an index row.
        // The parts are written before the index row that makes them visible; each write is a deterministic rewrite on retry.
        var parts = SubmissionParts.Split(request.Body);
        var upload = contents.PutAsync(cycle.Id, signatory.Id, sha256, parts.Public, cancellationToken);
        var blobNameForParts = BlobSubmissionContentStore.BlobName(cycle.Id, signatory.Id, sha256);
        var secret = parts.Confidential is { } c ? confidentialParts.PutAsync(blobNameForParts, c, cancellationToken) : Task.CompletedTask;
        var contact = parts.Contact is { } person ? contacts.PutAsync(cycle.Id, signatory.Id, sha256, person, cancellationToken) : Task.CompletedTask;
        var peek = latestCache.PeekAsync(cycle.Id, signatory.Id, cancellationToken);
        await Task.WhenAll(upload, secret, contact, peek).ConfigureAwait(false);
        var blobName = upload.Result;
        var latest = peek.Result;
        var fresh = false;

        for (var attempt = 1; ; attempt++)
        {
            if (latest is not null && latest.Version.Receipt.Sha256 == sha256)
                return new SubmitResult(latest.Version.Receipt, Created: false);
            var currentVersion = latest?.Version.Receipt.Version ?? 0;
            if (expectedVersion is { } expected && expected != currentVersion)
            {
                if (fresh)
                    throw new ProblemException(Problem.PreconditionFailed($"You edited version {expected}; the latest is version {currentVersion}. Load it and apply your changes again."));
                (latest, fresh) = (await ReadLatestAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false), true);
                continue;
            }

            var now = time.GetUtcNow();
            // A new version: at most so many an hour. Versions are numbered in the order received, so one point read
            // (the version that many back) tells whether that many came within the hour. A replay never gets here.
            var perHour = (nap ?? new NapOptions()).SubmissionsPerSignatoryPerHour;
            if (currentVersion >= perHour
                && await index.GetVersionAsync(cycle.Id, signatory.Id, currentVersion - perHour + 1, cancellationToken).ConfigureAwait(false) is { } oldest
                && oldest.Receipt.ReceivedAt > now.AddHours(-1))
            {
                if (keyHash is not null && await index.FindByIdempotencyKeyAsync(cycle.Id, signatory.Id, keyHash, cancellationToken).ConfigureAwait(false) is { } replay)
                    return Replay(replay, sha256);
                var wait = (int)Math.Ceiling((oldest.Receipt.ReceivedAt.AddHours(1) - now).TotalSeconds);
                throw new ProblemException(Problem.TooManyRequests($"At most {perHour} new versions an hour. Try again later; nothing was stored.") with { RetryAfterSeconds = Math.Max(1, wait) });
            }
            var late = now > cycle.DeadlineFor(settings);
            var version = currentVersion + 1;
            var receipt = new SubmissionReceipt(SubmissionId(cycle.Id, signatory.Id, version), cycle.Id, signatory.Id, version, now, AmsterdamTime.Format(now), sha256, late);
            var stored = new SubmissionVersion(receipt, blobName) { PublicSha256 = parts.PublicSha256, ConfidentialSha256 = parts.ConfidentialSha256 };
            if (await index.TryCommitAsync(new SubmissionCommit(stored, latest?.ETag, keyHash), cancellationToken).ConfigureAwait(false) is { } etag)
            {
                latestCache.Remember(cycle.Id, signatory.Id, etag == default ? null : new LatestSubmission(stored, etag));
                LogStored(logger, signatory.Id, cycle.Id, version, late);
                await NotifyAsync(receipt).ConfigureAwait(false);
                return new SubmitResult(receipt, Created: true);
            }

            // Someone else committed first, or our view was stale: the same key (a concurrent retry) or another version.
            if (keyHash is not null && await index.FindByIdempotencyKeyAsync(cycle.Id, signatory.Id, keyHash, cancellationToken).ConfigureAwait(false) is { } raced)
                return Replay(raced, sha256);
            if (attempt >= MaxCommitAttempts)
                throw new ProblemException(Problem.Conflict("busy", "Too many simultaneous submissions.", "Please submit again in a moment."));
            if (fresh)
            {
                // A real race with another writer, not a stale view. Back-off is real time, not domain time: a fake clock must not stall it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
            }
            (latest, fresh) = (await ReadLatestAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false), true);
        }
    }

    private async Task<LatestSubmission?> ReadLatestAsync(string cycleId, string signatoryId, CancellationToken cancellationToken)
    {
        var latest = await index.GetLatestAsync(cycleId, signatoryId, cancellationToken).ConfigureAwait(false);
        latestCache.Remember(cycleId, signatoryId, latest);
        return latest;
    }

    /// <summary>An own version (the latest when <paramref name="version"/> is null): receipt and the body put back together (<see cref="SubmissionPartsReader"/>). Every read is in the audit trail.</summary>
    public async Task<(SubmissionReceipt Receipt, BinaryData Body)?> GetOwnAsync(string cycleId, SignatoryCaller caller, int? version, CancellationToken cancellationToken = default)
    {
        var cycle = await RequireCycleAsync(cycleId, cancellationToken).ConfigureAwait(false);
        var signatory = caller.RequireCycle(cycle.Id).Signatory;
        var stored = version is { } v
            ? await index.GetVersionAsync(cycle.Id, signatory.Id, v, cancellationToken).ConfigureAwait(false)
            : (await index.GetLatestAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false))?.Version;
        if (stored is null) return null;
        var body = await reader.ReadAsync(stored, cancellationToken).ConfigureAwait(false);
        // Recorded before the content is handed out: no row, no content.
        await audit.AppendAsync(new AuditEvent(AuditActor.Of(caller), AuditActions.SubmissionRead, cycle.Id, signatory.Id, stored.Receipt.Version), cancellationToken).ConfigureAwait(false);
        return (stored.Receipt, body);
    }

    /// <summary>
    /// Receipt email and other listeners: the receipt hook hands the receipt to a background sender and returns, so this
    /// never waits for the ledger or Graph. The version is stored whatever they do; the client going away does not cancel them.
    /// </summary>
    private async Task NotifyAsync(SubmissionReceipt receipt)
    {
        if (received is null) return;
        try
        {
            await received.SubmissionReceivedAsync(receipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogNotifyFailed(logger, receipt.SignatoryId, receipt.CycleId, receipt.Version, ex.GetType().FullName ?? "unknown");
        }
    }

    public static string SubmissionId(string cycleId, string signatoryId, int version) => $"{cycleId}.{signatoryId}.v{version}";

    private async Task<ReportingCycle> RequireCycleAsync(string cycleId, CancellationToken cancellationToken)
    {
        var cycle = ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false) : null;
        if (cycle is null) throw new ProblemException(Problem.NotFound($"There is no reporting cycle '{(ReportingCycle.IsValidId(cycleId) ? cycleId : "…")}'."));
        if (cycle.Status != CycleStatus.Open)
            throw new ProblemException(Problem.Conflict("cycle-closed", "This reporting cycle is closed.", "Submissions are no longer accepted for this cycle."));
        if (!cycle.HasOpened(time))
            throw new ProblemException(Problem.Conflict("cycle-not-open", "This reporting cycle has not opened yet.", $"It opens on {cycle.OpensOn:yyyy-MM-dd}."));
        return cycle;
    }

    private static SubmitResult Replay(SubmissionReceipt earlier, string sha256) =>
        earlier.Sha256 == sha256
            ? new SubmitResult(earlier, Created: false)
            : throw new ProblemException(Problem.Conflict("idempotency-key-reused", "This Idempotency-Key was used for other content.",
                "Use a new Idempotency-Key for a changed submission."));

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return false;
        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        if (!parts[0].Equals("application/json", StringComparison.OrdinalIgnoreCase)) return false;
        return parts.Skip(1).All(p => !p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase)
                                      || p.Equals("charset=utf-8", StringComparison.OrdinalIgnoreCase)
                                      || p.Equals("charset=\"utf-8\"", StringComparison.OrdinalIgnoreCase));
    }

    private static string? HashIdempotencyKey(string? key)
    {
        if (key is null) return null;
        if (key.Length is 0 or > 200) throw new ProblemException(new Problem(400, Problem.TypeBase + "idempotency-key", "Invalid Idempotency-Key.", "Use 1–200 characters, e.g. a UUID."));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>If-Match carries the version an edit started from, as an ETag ("3" or W/"3"); 0 means "no earlier version".</summary>
    private static int? ParseIfMatch(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*") return null;
        var v = ifMatch.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal)) v = v[2..];
        v = v.Trim('"');
        return int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ProblemException(new Problem(400, Problem.TypeBase + "if-match", "Invalid If-Match.", "Send the version you started from, as in the ETag header: \"3\"."));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored submission of {SignatoryId} for cycle {CycleId} as version {Version} (late: {Late})")]
    private static partial void LogStored(ILogger logger, string signatoryId, string cycleId, int version, bool late);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifying about version {Version} of {SignatoryId} for cycle {CycleId} failed with {ExceptionType}; the reminder sweep catches up")]
    private static partial void LogNotifyFailed(ILogger logger, string signatoryId, string cycleId, int version, string exceptionType);
}
