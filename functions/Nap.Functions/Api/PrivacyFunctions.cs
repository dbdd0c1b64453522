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

/// <summary>Erasure of a person for administrators. The address travels in the body, never in the URL (URLs reach logs).</summary>
public sealed class PrivacyFunctions(PersonErasure erasure, Callers callers, ILogger<PrivacyFunctions> logger)
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
}
