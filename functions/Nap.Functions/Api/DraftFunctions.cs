using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Drafts;
using Nap.Functions.Http;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>The web form's server-side draft: one private draft per signatory and cycle.</summary>
public sealed class DraftFunctions(DraftService drafts, CarryOverService carryOver, Verification.VerificationService verification, Callers callers, NapOptions options, ILogger<DraftFunctions> logger)
{
    /// <summary>
    /// The draft (if any), plus who is reporting and the deadline that applies to them. The draft's confidential parts
    /// only with a verified session, as for <c>…/submissions/mine</c>.
    /// </summary>
    [Function("GetDraft")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/draft")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Get), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var view = System.Text.Json.JsonSerializer.SerializeToNode(await drafts.GetAsync(cycleId, signatory, cancellationToken), Nap.Api.NapJson.Options)!.AsObject();
            var withheld = await verification.WithholdUnlessVerifiedAsync(view["draft"]?["submission"], cycleId, signatory,
                HttpApi.Header(request, Verification.VerificationService.SessionHeader), cancellationToken);
            view["confidentialWithheld"] = withheld;
            return new JsonAnswer(view);
        });

    [Function("SaveDraft")]
    public Task<IActionResult> Save(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "cycles/{cycleId}/draft")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Save), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var body = await HttpApi.ReadBodyAsync(request, options.MaxBodyBytes, cancellationToken);
            return new JsonAnswer(await drafts.SaveAsync(cycleId, signatory, request.ContentType, body, cancellationToken));
        });

    [Function("DeleteDraft")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cycles/{cycleId}/draft")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Delete), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            return new JsonAnswer(new { deleted = await drafts.DeleteAsync(cycleId, signatory, cancellationToken) });
        });

    /// <summary>
    /// "Start from last year": the draft built from the previous cycle's submission (201), or the one an earlier call
    /// built (200, <c>Idempotent-Replayed</c>). Body <c>{"copyConfidential": false}</c> (or none).
    /// </summary>
    [Function("CarryOverDraft")]
    public Task<IActionResult> CarryOver(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/draft/carry-over")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(CarryOver), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var body = await HttpApi.ReadBodyAsync(request, 1024, cancellationToken);
            var result = await carryOver.CarryOverAsync(cycleId, signatory, request.ContentType, body, cancellationToken);
            var answer = new JsonAnswer(new { draft = result.Draft, carryOver = result.CarryOver }, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            answer.Headers["Location"] = $"/api/cycles/{cycleId}/draft";
            if (!result.Created) answer.Headers["Idempotent-Replayed"] = "true";
            return answer;
        });
}
