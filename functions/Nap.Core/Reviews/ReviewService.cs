using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reviews;

/// <summary>Told once a return is stored, to email the signatory; see <see cref="ReviewReturnMailer"/>.</summary>
public interface IReviewReturnNotifier
{
    Task ReturnedAsync(ReportingCycle cycle, string signatoryId, ReviewEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>
/// Coordinators judge the latest version of a signatory's submission. The state row holds the last judgement and the
/// version it judged; a newer stored version moves it on (<see cref="ReviewStateMachine.NewVersion"/>) when read,
/// so a submission never has to reach this feature for its state to be right. Reasons and comments are free text:
/// stored with the review, shown to whom they are meant for, never logged or written to the audit trail.
/// </summary>
public sealed partial class ReviewService(
    ICycleStore cycles,
    ISignatoryRegistry registry,
    ISubmissionIndex index,
    ISubmissionContentStore contents,
    SubmissionParser parser,
    IReviewStore store,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ReviewService> logger,
    IReviewReturnNotifier? returned = null)
{
    public const int MaxReasonLength = 2000;
    public const int MaxCommentLength = 2000;
    public const int MaxComments = 50;
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    [GeneratedRegex(@"^/goals/(?<goal>[^/]+)(?:/contributions/(?<id>[^/]+)|/narratives/(?<narrative>highlights|challenges|lessons))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PointerPattern();

    /// <summary>The state as it stands now: the stored judgement, moved on by any version stored after it.</summary>
    public static (ReviewState? State, int? Version) Effective(StoredReview? stored, int? latestVersion) =>
        latestVersion is not { } latest ? (null, null)
        : stored is null ? (ReviewState.Submitted, latest)
        : latest > stored.Version ? (ReviewStateMachine.NewVersion(stored.State), latest)
        : (stored.State, stored.Version);

    public Task<ReviewStatus> ReviewAsync(string cycleId, string signatoryId, ReviewRequest request, string? ifMatch, StaffMember coordinator, CancellationToken ct = default)
    {
        var action = ParseAction(request.Action);
        var entry = new AuditEvent(AuditActor.Of(coordinator),
            action switch { ReviewAction.Return => AuditActions.ReviewReturn, ReviewAction.Accept => AuditActions.ReviewAccept, _ => AuditActions.ReviewInvalid },
            ReportingCycle.IsValidId(cycleId) ? cycleId : null, SignatoryImport.IsValidId(signatoryId) ? signatoryId : null, request.Version is > 0 ? request.Version : null);
        return audit.RecordAsync(entry, () => JudgeAsync(cycleId, signatoryId, action, request, ifMatch, coordinator, ct), ct);
    }

    private async Task<ReviewStatus> JudgeAsync(string cycleId, string signatoryId, ReviewAction? action, ReviewRequest request, string? ifMatch, StaffMember coordinator, CancellationToken ct)
    {
        var cycle = await RequireAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        var (comments, deadline) = Validate(action, request, cycle);
        var latest = await index.GetLatestAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.Conflict("nothing-submitted", "There is nothing to review.", "This signatory has not submitted for this cycle."));
        var stored = await store.FindAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false);
        if (ifMatch is not null && ifMatch.Trim() != "*" && ifMatch.Trim() != TableReviewStore.HttpETag(stored))
            throw new ProblemException(Stale());
        var latestVersion = latest.Version.Receipt.Version;
        if (request.Version != latestVersion)
            throw new ProblemException(Problem.Conflict("not-latest-version", "That is not the latest version.",
                $"Version {request.Version} is not the latest; review version {latestVersion}."));
        var (state, _) = Effective(stored, latestVersion);
        var next = ReviewStateMachine.Judge(state!.Value, action!.Value)
            ?? throw new ProblemException(Problem.Conflict("illegal-review-move", "This move is not possible now.",
                $"A submission that is {ReviewStateMachine.Name(state.Value)} cannot be {(action == ReviewAction.Accept ? "accepted" : "returned")}."));
        await CheckPointersAsync(latest.Version, comments, ct).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var judged = new ReviewEntry((stored?.Reviews ?? 0) + 1, action.Value, next, latestVersion, now, coordinator.ObjectId,
            string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(), comments, deadline);
        if (!await store.TryAppendAsync(cycle.Id, signatoryId, stored, judged, ct).ConfigureAwait(false))
            throw new ProblemException(Stale());
        LogJudged(logger, signatoryId, cycle.Id, latestVersion, ReviewStateMachine.Name(next));

        if (deadline is { } d) await ExtendAsync(cycle, signatoryId, d, coordinator, now, ct).ConfigureAwait(false);
        if (action == ReviewAction.Return && returned is not null)
        {
            try
            {
                await returned.ReturnedAsync(cycle, signatoryId, judged, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogNotifyFailed(logger, signatoryId, cycle.Id, ex.GetType().FullName ?? "unknown");
            }
        }
        return await StatusAsync(cycle, signatoryId, includeInternal: true, ct).ConfigureAwait(false);
    }

    /// <summary>The review as staff see it; internal comments only when <paramref name="includeInternal"/> (coordinators).</summary>
    public async Task<ReviewStatus> GetAsync(string cycleId, string signatoryId, bool includeInternal, CancellationToken ct = default)
    {
        var cycle = await RequireAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        return await StatusAsync(cycle, signatoryId, includeInternal, ct).ConfigureAwait(false);
    }

    /// <summary>What the signatory sees: null before any submission. Only signatory-visible comments, only of the last judgement.</summary>
    public async Task<SignatoryReview?> ForSignatoryAsync(string cycleId, string signatoryId, CancellationToken ct = default)
    {
        var latest = await index.GetLatestAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        var stored = await store.FindAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        var (state, version) = Effective(stored, latest?.Version.Receipt.Version);
        if (state is null) return null;
        if (state is ReviewState.Submitted or ReviewState.Resubmitted)
            return new SignatoryReview(state.Value, version!.Value, null, [], null, null);
        var last = (await store.HistoryAsync(cycleId, signatoryId, ct).ConfigureAwait(false)).LastOrDefault();
        var comments = last?.Comments.Where(c => c.Visibility == CommentVisibility.Signatory).Select(c => new SignatoryComment(c.Pointer, c.Text)).ToList() ?? [];
        var deadline = state == ReviewState.Returned ? last?.RevisionDeadline : null;
        return new SignatoryReview(state.Value, version!.Value, state == ReviewState.Returned ? last?.Reason : null, comments,
            deadline is { } d ? AmsterdamTime.Format(AmsterdamTime.ToUtc(d)) : null,
            deadline?.ToString(LocalFormat, CultureInfo.InvariantCulture));
    }

    private async Task<ReviewStatus> StatusAsync(ReportingCycle cycle, string signatoryId, bool includeInternal, CancellationToken ct)
    {
        var latest = await index.GetLatestAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false);
        var stored = await store.FindAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false);
        var history = await store.HistoryAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false);
        var (state, version) = Effective(stored, latest?.Version.Receipt.Version);
        if (!includeInternal)
            history = history.Select(e => e with { Comments = e.Comments.Where(c => c.Visibility == CommentVisibility.Signatory).ToList() }).ToList();
        var deadline = state == ReviewState.Returned ? history.LastOrDefault()?.RevisionDeadline : null;
        return new ReviewStatus(cycle.Id, signatoryId, state, version, latest?.Version.Receipt.Version, stored?.AcceptedVersion,
            TableReviewStore.HttpETag(stored), deadline?.ToString(LocalFormat, CultureInfo.InvariantCulture), history);
    }

    private async Task<ReportingCycle> RequireAsync(string cycleId, string signatoryId, CancellationToken ct)
    {
        var cycle = (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, ct).ConfigureAwait(false) : null)
            ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));
        if (!SignatoryImport.IsValidId(signatoryId) || await registry.FindAsync(signatoryId, ct).ConfigureAwait(false) is null)
            throw new ProblemException(Problem.NotFound("There is no such signatory."));
        return cycle;
    }

    private static ReviewAction? ParseAction(string? action) => action switch
    {
        "accept" => ReviewAction.Accept,
        "return" => ReviewAction.Return,
        _ => null,
    };

    /// <summary>Everything about the request that does not need storage, all errors at once (422 with pointers).</summary>
    private (IReadOnlyList<ReviewComment>, DateTime?) Validate(ReviewAction? action, ReviewRequest request, ReportingCycle cycle)
    {
        var errors = new List<FieldError>();
        if (action is null) errors.Add(new FieldError("/action", "invalid-value", "Send \"accept\" or \"return\"."));
        if (request.Version is not > 0) errors.Add(new FieldError("/version", "required", "Name the version you judge (a number from 1)."));
        if (action == ReviewAction.Return && string.IsNullOrWhiteSpace(request.Reason))
            errors.Add(new FieldError("/reason", "required", "Say why the submission goes back."));
        if (request.Reason is { Length: > MaxReasonLength })
            errors.Add(new FieldError("/reason", "too-long", $"At most {MaxReasonLength} characters.") { Max = MaxReasonLength });
        var comments = new List<ReviewComment>();
        var given = request.Comments ?? [];
        if (given.Count > MaxComments) errors.Add(new FieldError("/comments", "too-many", $"At most {MaxComments} comments.") { Max = MaxComments });
        for (var i = 0; i < Math.Min(given.Count, MaxComments); i++)
        {
            var c = given[i];
            var at = $"/comments/{i.ToString(CultureInfo.InvariantCulture)}";
            if (c is null) { errors.Add(new FieldError(at, "required", "A comment is an object.")); continue; }
            if (c.Pointer is null || !PointerPattern().IsMatch(c.Pointer))
                errors.Add(new FieldError(at + "/pointer", "invalid-pointer", "Point at /goals/{goal}, /goals/{goal}/contributions/{id} or /goals/{goal}/narratives/{highlights|challenges|lessons}."));
            if (string.IsNullOrWhiteSpace(c.Text)) errors.Add(new FieldError(at + "/text", "required", "A comment needs a text."));
            else if (c.Text.Length > MaxCommentLength) errors.Add(new FieldError(at + "/text", "too-long", $"At most {MaxCommentLength} characters.") { Max = MaxCommentLength });
            CommentVisibility? visibility = c.Visibility switch { "signatory" => CommentVisibility.Signatory, "internal" => CommentVisibility.Internal, _ => null };
            if (visibility is null) errors.Add(new FieldError(at + "/visibility", "invalid-value", "Send \"signatory\" or \"internal\"."));
            if (c.Pointer is not null && c.Text is not null && visibility is { } v) comments.Add(new ReviewComment(c.Pointer, c.Text.Trim(), v));
        }
        DateTime? deadline = null;
        if (request.RevisionDeadline is { } text)
        {
            if (action != ReviewAction.Return)
                errors.Add(new FieldError("/revisionDeadline", "not-allowed", "A revision deadline goes with a return."));
            else if (!DateTime.TryParseExact(text, LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                errors.Add(new FieldError("/revisionDeadline", "format", "Amsterdam local time yyyy-MM-ddTHH:mm."));
            else if (AmsterdamTime.ToUtc(d) <= time.GetUtcNow())
                errors.Add(new FieldError("/revisionDeadline", "not-later", "The revision deadline must be in the future."));
            else if (d > cycle.Deadline.AddDays(366))
                errors.Add(new FieldError("/revisionDeadline", "too-late", "At most a year after the cycle's deadline."));
            else deadline = d;
        }
        if (errors.Count > 0) throw new ProblemException(Invalid(errors));
        return (comments, deadline);
    }

    /// <summary>Every comment points at a part of the judged version: the goal, a contribution by its id, or a narrative that was written.</summary>
    private async Task CheckPointersAsync(SubmissionVersion version, IReadOnlyList<ReviewComment> comments, CancellationToken ct)
    {
        if (comments.Count == 0) return;
        var body = await contents.GetAsync(version.BlobName, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("An indexed submission body is missing from Blob Storage.");
        // The public part, as the report compiler reads it: a review never decrypts the confidential part, so a comment
        // can point at the goal of a withheld contribution but not at the contribution itself.
        var document = version.IsSplit ? parser.ParseStoredPart(body.ToMemory()) : parser.Parse(body.ToMemory());
        var errors = new List<FieldError>();
        for (var i = 0; i < comments.Count; i++)
        {
            var m = PointerPattern().Match(comments[i].Pointer);
            var goal = document.Goals.FirstOrDefault(g => g.Goal == m.Groups["goal"].Value);
            var exists = goal is not null
                && (!m.Groups["id"].Success || goal.Contributions.Any(c => c.Id == m.Groups["id"].Value))
                && (!m.Groups["narrative"].Success || m.Groups["narrative"].Value switch
                {
                    "highlights" => goal.Narratives.Highlights is not null,
                    "challenges" => goal.Narratives.Challenges is not null,
                    _ => goal.Narratives.Lessons is not null,
                });
            if (!exists)
                errors.Add(new FieldError($"/comments/{i.ToString(CultureInfo.InvariantCulture)}/pointer", "not-in-version",
                    $"Version {version.Receipt.Version} has no such part."));
        }
        if (errors.Count > 0) throw new ProblemException(Invalid(errors));
    }

    /// <summary>The revision deadline is an extension for this signatory, when it is later than the one it has.</summary>
    private async Task ExtendAsync(ReportingCycle cycle, string signatoryId, DateTime deadline, StaffMember coordinator, DateTimeOffset now, CancellationToken ct)
    {
        var current = await cycles.FindSettingsAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false);
        if (AmsterdamTime.ToUtc(deadline) <= cycle.DeadlineFor(current)) return;
        await cycles.SaveSettingsAsync(new CycleSignatorySettings(cycle.Id, signatoryId, deadline, current?.RemindersPaused ?? false, coordinator.ObjectId, now), ct).ConfigureAwait(false);
    }

    private static Problem Invalid(IReadOnlyList<FieldError> errors) =>
        new(422, Problem.TypeBase + "invalid-review", "The review has errors.", $"{errors.Count} field(s) need attention.", errors);

    private static Problem Stale() =>
        new(412, Problem.TypeBase + "stale-review", "Someone reviewed this meanwhile.", "Load the review again (GET) and send its ETag in If-Match.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Review of {SignatoryId} for cycle {CycleId}: version {Version} is now {State}")]
    private static partial void LogJudged(ILogger logger, string signatoryId, string cycleId, int version, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telling {SignatoryId} of the return in cycle {CycleId} failed with {ExceptionType}")]
    private static partial void LogNotifyFailed(ILogger logger, string signatoryId, string cycleId, string exceptionType);
}
