namespace Nap.Api;

/// <summary>One thing wrong with a request, located by a JSON pointer (RFC 6901) into the body.</summary>
/// <remarks>Details never echo the submitted value: free text can name people at risk.</remarks>
public sealed record FieldError(string Pointer, string Code, string Detail)
{
    /// <summary>The limit that was exceeded (too-long, too-many, out-of-range), so a client need not know it.</summary>
    public decimal? Max { get; init; }

    /// <summary>The row of an uploaded file (a CSV line, a position in a JSON list) the error is in, when the body is one.</summary>
    public int? Row { get; init; }
}

/// <summary>An RFC 9457 problem, independent of the HTTP host that renders it.</summary>
public sealed record Problem(int Status, string Type, string Title, string? Detail = null, IReadOnlyList<FieldError>? Errors = null)
{
    /// <summary>Seconds a client should wait before it tries again (the <c>Retry-After</c> header), when that helps.</summary>
    public int? RetryAfterSeconds { get; init; }

    public const string TypeBase = "urn:nap1325:problem:";

    public static Problem BadRequest(string detail) => new(400, TypeBase + "malformed-request", "The request body is not valid JSON.", detail);
    public static Problem Unauthorized(string detail) => new(401, TypeBase + "unauthorized", "A valid token is required.", detail);
    public static Problem Forbidden(string detail) => new(403, TypeBase + "forbidden", "This token may not do that.", detail);
    public static Problem NotFound(string detail) => new(404, TypeBase + "not-found", "Not found.", detail);
    public static Problem Conflict(string type, string title, string detail) => new(409, TypeBase + type, title, detail);
    public static Problem PreconditionFailed(string detail) => new(412, TypeBase + "stale-version", "Someone submitted a newer version meanwhile.", detail);
    public static Problem TooLarge(long limit) => new(413, TypeBase + "body-too-large", "The request body is too large.", $"The limit is {limit} bytes.");
    public static Problem UnsupportedMediaType(string expected) => new(415, TypeBase + "unsupported-media-type", "Unsupported content type.", $"Send {expected}.");
    public static Problem Validation(IReadOnlyList<FieldError> errors) =>
        new(422, TypeBase + "validation", "The submission has errors.", $"{errors.Count} field(s) need attention.", errors);
    public static Problem TooManyRequests(string detail) => new(429, TypeBase + "too-many-requests", "Too many requests.", detail);
    /// <summary>A bug, not an outage: whether anything was stored is not known, so the advice is the same safe retry.</summary>
    public static Problem Internal() => new(500, TypeBase + "internal", "Something went wrong on our side.",
        "The error was logged. If you sent an Idempotency-Key, retrying with the same key never stores a request twice.");

    /// <summary>
    /// Storage did not answer (a timeout, a refused connection, a 5xx after retries). The request may or may not have
    /// been stored (a commit can land while its answer is lost), which is why the advice is the same Idempotency-Key.
    /// </summary>
    public static Problem StorageUnavailable(int retryAfterSeconds = 5) =>
        new(503, TypeBase + "storage-unavailable", "Storage is unavailable for a moment.",
            $"Your request may or may not have been stored. Retry after {retryAfterSeconds} seconds with the same Idempotency-Key: a retry never stores it twice.")
        { RetryAfterSeconds = retryAfterSeconds };
}

/// <summary>Thrown by application services to end a request with a problem; function classes render it.</summary>
public sealed class ProblemException(Problem problem) : Exception(problem.Title)
{
    public Problem Problem { get; } = problem;
}
