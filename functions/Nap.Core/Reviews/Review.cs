namespace Nap.Reviews;

public enum CommentVisibility { Signatory, Internal }

/// <summary>
/// A remark on one part of the judged version: <c>/goals/G1</c>, <c>/goals/G1/contributions/{id}</c> or
/// <c>/goals/G1/narratives/{highlights|challenges|lessons}</c>. Internal ones are for staff only.
/// </summary>
public sealed record ReviewComment(string Pointer, string Text, CommentVisibility Visibility);

/// <summary>One judgement as stored: who (object id), when, which version, and what they said.</summary>
public sealed record ReviewEntry(
    int Sequence,
    ReviewAction Action,
    ReviewState State,
    int Version,
    DateTimeOffset At,
    string ReviewerId,
    string? Reason,
    IReadOnlyList<ReviewComment> Comments,
    DateTime? RevisionDeadline);

/// <summary>The stored state row: the state and the version it is about, with the table's ETag.</summary>
public sealed record StoredReview(ReviewState State, int Version, int Reviews, int? AcceptedVersion, string ETag);

/// <summary>What a coordinator asks, as parsed; <see cref="ReviewService"/> checks it against the version.</summary>
public sealed record ReviewRequest(
    string? Action,
    int? Version,
    string? Reason,
    IReadOnlyList<ReviewCommentRequest>? Comments,
    string? RevisionDeadline);

public sealed record ReviewCommentRequest(string? Pointer, string? Text, string? Visibility);

/// <summary>
/// The review of one signatory in one cycle as staff see it. <see cref="ETag"/> is what <c>If-Match</c> must carry.
/// <see cref="State"/> is null while nothing has been submitted.
/// </summary>
public sealed record ReviewStatus(
    string CycleId,
    string SignatoryId,
    ReviewState? State,
    int? Version,
    int? LatestVersion,
    int? AcceptedVersion,
    string ETag,
    string? RevisionDeadline,
    IReadOnlyList<ReviewEntry> History);

/// <summary>What the signatory sees of the review: never internal comments, never who reviewed.</summary>
public sealed record SignatoryReview(
    ReviewState State,
    int Version,
    string? Reason,
    IReadOnlyList<SignatoryComment> Comments,
    string? RevisionDeadline,
    string? RevisionDeadlineLocal);

public sealed record SignatoryComment(string Pointer, string Text);
