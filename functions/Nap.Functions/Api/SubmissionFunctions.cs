using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Submissions;

namespace Nap.Functions.Api;

/// <summary>Signatories submit their yearly progress and read back their latest version.</summary>
public sealed class SubmissionFunctions(SubmissionService submissions, Reviews.ReviewService reviews, Verification.VerificationService verification, Callers callers, NapOptions options, ILogger<SubmissionFunctions> logger)
{
    [Function("SubmitProgress")]
    public Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/submissions")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Submit), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var body = await HttpApi.ReadBodyAsync(request, options.MaxBodyBytes, cancellationToken);
            var result = await submissions.SubmitAsync(new SubmitRequest(
                cycleId,
                signatory,
                request.ContentType,
                body,
                HttpApi.Header(request, "Idempotency-Key"),
                HttpApi.Header(request, "If-Match")), cancellationToken);
            // The receipt, plus the contributions' ids (assigned where the client left them out).
            var receipt = JsonSerializer.SerializeToNode(result.Receipt, NapJson.Options)!.AsObject();
            receipt["contributionIds"] = JsonSerializer.SerializeToNode(result.ContributionIds, NapJson.Options);
            var answer = new JsonAnswer(receipt, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            answer.Headers["ETag"] = $"\"{result.Receipt.Version}\"";
            answer.Headers["Location"] = $"/api/cycles/{cycleId}/submissions/mine";
            if (!result.Created) answer.Headers["Idempotent-Replayed"] = "true";
            return answer;
        });

    /// <summary>
    /// The latest own version, or with <c>?version=N</c> an earlier one; contributions carry their ids. Confidential parts
    /// only with a verified session (<c>X-Nap-Session</c>); otherwise withheld, with <c>confidentialWithheld: true</c>.
    /// </summary>
    [Function("GetMySubmission")]
    public Task<IActionResult> GetMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/submissions/mine")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(GetMine), async () =>
        {
            int? version = null;
            if (request.Query.TryGetValue("version", out var v))
                version = int.TryParse(v.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ProblemException(new Problem(400, Problem.TypeBase + "version", "Invalid version.", "Ask for a version number from 1, e.g. ?version=2."));
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var own = await submissions.GetOwnAsync(cycleId, signatory, version, cancellationToken)
                ?? throw new ProblemException(Problem.NotFound(version is null ? "You have not submitted for this cycle yet." : $"You have no version {version} for this cycle."));
            // The review is of the submission as a whole (its latest version): state, reason, the comments meant for the signatory.
            var review = await reviews.ForSignatoryAsync(own.Receipt.CycleId, signatory.Id, cancellationToken);
            var content = ContributionIds.Fill(own.Body.ToMemory());
            var withheld = await verification.WithholdUnlessVerifiedAsync(content, cycleId, signatory, HttpApi.Header(request, Verification.VerificationService.SessionHeader), cancellationToken);
            var answer = new JsonAnswer(new { receipt = own.Receipt, submission = content, review, confidentialWithheld = withheld });
            answer.Headers["ETag"] = $"\"{own.Receipt.Version}\"";
            return answer;
        });
}
