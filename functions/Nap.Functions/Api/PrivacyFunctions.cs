using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Audit;
using Nap.Functions.Http;
using Nap.Privacy;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>
/// Erasure of a person for administrators, redaction of a stored version for coordinators. The address and the texts
/// travel in the body, never in the URL (URLs reach logs).
/// </summary>
public sealed class PrivacyFunctions(PersonErasure erasure, VersionRedaction redaction, Callers callers, ILogger<PrivacyFunctions> logger)
{
    private const long MaxBody = 4 * 1024;

    /// <summary><c>{"email": "…"}</c>: erases the person everywhere; answers what was removed, in counts.</summary>
    [Function("ErasePerson")]
    public Task<IActionResult> Erase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "privacy/erasures")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Erase), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var body = await HttpApi.ReadBodyAsync(request, MaxBody, cancellationToken);
            ErasureRequest? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<ErasureRequest>(body.Span, NapJson.Options);
            }
            catch (JsonException)
            {
                throw new ProblemException(Problem.BadRequest("The body must be a JSON object."));
            }
            if (parsed?.Email is not { Length: > 0 } email)
                throw new ProblemException(Problem.Validation([new FieldError("/email", "required", "Send the address of the person to erase.")]));
            return new JsonAnswer(await erasure.EraseAsync(email, AuditActor.Of(admin), cancellationToken));
        });

    private sealed record ErasureRequest(string? Email);

    /// <summary>
    /// <c>{"replacements":[{"pointer":"/goals/G1/contributions/{id}/description","text":"[verwijderd]"}],"reason":"…"}</c>:
    /// replaces free text in the stored version (a replacement in a confidential item also needs Nap.Confidential).
    /// 201 with the version's redaction mark; 200 (Idempotent-Replayed) when it changed nothing, as on a retry.
    /// </summary>
    [Function("RedactVersion")]
    public Task<IActionResult> Redact(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/signatories/{signatoryId}/submissions/{version}/redactions")] HttpRequest request,
        string cycleId,
        string signatoryId,
        string version,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Redact), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
                throw new ProblemException(Problem.NotFound("Versions are numbered from 1."));
            var body = RedactionRequest.Parse(await HttpApi.ReadBodyAsync(request, MaxRedactionBody, cancellationToken));
            var result = await redaction.RedactAsync(cycleId, signatoryId, number, body, Redactor.Of(coordinator), HttpApi.Header(request, "Idempotency-Key"), cancellationToken);
            var answer = new JsonAnswer(result, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            if (!result.Created) answer.Headers["Idempotent-Replayed"] = "true";
            return answer;
        });

    /// <summary>Room for many replacements up to the longest free-text field (narratives, 10 000 characters).</summary>
    private const long MaxRedactionBody = 512 * 1024;
}
