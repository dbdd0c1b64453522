using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Verification;

namespace Nap.Functions.Api;

/// <summary>
/// The one-time code that lets a signatory's link read back confidential parts: ask for it (emailed to the link's
/// contact), then confirm it for a session token sent as <c>X-Nap-Session</c>. Neither code nor token is logged.
/// </summary>
public sealed class VerificationFunctions(VerificationService verification, Callers callers, ILogger<VerificationFunctions> logger)
{
    private const int MaxBody = 1024;

    [Function("RequestVerificationCode")]
    public Task<IActionResult> Request(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/verification")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Request), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            return new JsonAnswer(await verification.SendCodeAsync(cycleId, signatory, cancellationToken), StatusCodes.Status202Accepted);
        });

    [Function("ConfirmVerificationCode")]
    public Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/verification/confirm")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Confirm), async () =>
        {
            var signatory = await callers.SignatoryAsync(request, cancellationToken);
            var body = await HttpApi.ReadBodyAsync(request, MaxBody, cancellationToken);
            CodeConfirmation? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<CodeConfirmation>(body.Span, NapJson.Options);
            }
            catch (JsonException)
            {
                throw new ProblemException(Problem.BadRequest("Send {\"code\": \"123456\"}."));
            }
            var session = await verification.ConfirmAsync(cycleId, signatory, parsed?.Code, cancellationToken);
            var answer = new JsonAnswer(session);
            return answer;
        });

    private sealed record CodeConfirmation(string? Code);
}
