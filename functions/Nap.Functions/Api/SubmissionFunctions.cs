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
public sealed class SubmissionFunctions(SubmissionService submissions, Callers callers, NapOptions options, ILogger<SubmissionFunctions> logger)
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
            var answer = new JsonAnswer(result.Receipt, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            answer.Headers["ETag"] = $"\"{result.Receipt.Version}\"";
            answer.Headers["Location"] = $"/api/cycles/{cycleId}/submissions/mine";
            if (!result.Created) answer.Headers["Idempotent-Replayed"] = "true";
            return answer;
        });

    [Function("GetMySubmission")]
    public Task<IActionResult> GetMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/submissions/mine")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(GetMine), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var latest = await submissions.GetLatestAsync(cycleId, signatory, cancellationToken)
                ?? throw new ProblemException(Problem.NotFound("You have not submitted for this cycle yet."));
            using var doc = JsonDocument.Parse(latest.Body.ToMemory());
            var answer = new JsonAnswer(new { receipt = latest.Receipt, submission = doc.RootElement.Clone() });
            answer.Headers["ETag"] = $"\"{latest.Receipt.Version}\"";
            return answer;
        });
}
