using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Reviews;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>Coordinators accept a signatory's latest version or return it for revision; readers see the review.</summary>
public sealed class ReviewFunctions(ReviewService reviews, Callers callers, ILogger<ReviewFunctions> logger)
{
    // 50 comments of 2,000 characters, escaped, with room to spare.
    private const int MaxBody = 512 * 1024;

    [Function("ReviewSubmission")]
    public Task<IActionResult> Review(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/signatories/{signatoryId}/review")] HttpRequest request,
        string cycleId,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Review), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            var body = await HttpApi.ReadBodyAsync(request, MaxBody, cancellationToken);
            ReviewRequest parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<ReviewRequest>(body.Span, NapJson.Options) ?? throw new ProblemException(Problem.BadRequest("The body is empty."));
            }
            catch (JsonException)
            {
                throw new ProblemException(Problem.BadRequest("Send {\"action\": \"accept\" | \"return\", \"version\": n, …} as JSON."));
            }
            return Answer(await reviews.ReviewAsync(cycleId, signatoryId, parsed, HttpApi.Header(request, "If-Match"), coordinator, cancellationToken));
        });

    /// <summary>The state, its ETag (for If-Match) and the history; internal comments only for coordinators.</summary>
    [Function("GetReview")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/signatories/{signatoryId}/review")] HttpRequest request,
        string cycleId,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Get), async () =>
        {
            var staff = callers.Staff(request, StaffRoles.Reader);
            return Answer(await reviews.GetAsync(cycleId, signatoryId, staff.Has(StaffRoles.Coordinator), cancellationToken));
        });

    private static JsonAnswer Answer(ReviewStatus status)
    {
        var answer = new JsonAnswer(status);
        answer.Headers["ETag"] = status.ETag;
        return answer;
    }
}
