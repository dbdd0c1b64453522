using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Reminders;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>Reminders: the daily sweep, coordinators' pause and extension, the ledger, and fresh links by email.</summary>
public sealed class ReminderFunctions(ReminderSweep sweep, ReminderControl control, ReminderRetry retry, ReminderLinks links, Callers callers, ILogger<ReminderFunctions> logger)
{
    private const int MaxBody = 4096;

    /// <summary>
    /// UTC cron from the app setting <c>Reminders__Schedule</c> (default "0 0 6 * * *"). The host resolves %…% through
    /// its configuration, where an app setting <c>A__B</c> is the key <c>A:B</c>; hence the colon.
    /// </summary>
    [Function("SendReminders")]
    public async Task SendReminders([TimerTrigger("%Reminders:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        await sweep.RunAsync(cancellationToken);

    [Function("SetReminderPause")]
    public Task<IActionResult> SetPause(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "cycles/{cycleId}/signatories/{signatoryId}/reminders")] HttpRequest request,
        string cycleId,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(SetPause), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            var body = await ReadAsync<PauseRequest>(request, cancellationToken);
            if (body.Paused is not { } paused) throw new ProblemException(Problem.BadRequest("Send {\"paused\": true} or {\"paused\": false}."));
            return new JsonAnswer(await control.SetPausedAsync(cycleId, signatoryId, paused, coordinator, cancellationToken));
        });

    [Function("SetDeadlineExtension")]
    public Task<IActionResult> SetExtension(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "cycles/{cycleId}/signatories/{signatoryId}/extension")] HttpRequest request,
        string cycleId,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(SetExtension), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            var body = await ReadAsync<ExtensionRequest>(request, cancellationToken);
            return new JsonAnswer(await control.SetExtensionAsync(cycleId, signatoryId, body.Deadline, coordinator, cancellationToken));
        });

    [Function("ListReminderLedger")]
    public Task<IActionResult> Ledger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/reminders")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Ledger), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return new JsonAnswer(await control.ListLedgerAsync(cycleId, cancellationToken));
        });

    /// <summary>
    /// Sends an uncertain or failed ledger entry once more, deliberately (<see cref="ReminderRetry"/>): 200 with the
    /// entry as it ended, 202 while it waits for a sending slot, 409 for a sent one. A repeated request with the same
    /// Idempotency-Key answers the same entry without sending again.
    /// </summary>
    [Function("RetryReminder")]
    public Task<IActionResult> Retry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/reminders/{entryId}/retry")] HttpRequest request,
        string cycleId,
        string entryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Retry), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            var outcome = await retry.RetryAsync(cycleId, entryId, HttpApi.Header(request, "Idempotency-Key"), coordinator, cancellationToken);
            var answer = new JsonAnswer(outcome.Entry, outcome.Entry.Status is LedgerStatus.Pending or LedgerStatus.Sending ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
            if (outcome.Replayed) answer.Headers["Idempotent-Replayed"] = "true";
            return answer;
        });

    /// <summary>Always 202 for a well-formed address, known or not, so nobody can probe which addresses exist.</summary>
    [Function("RequestLink")]
    public Task<IActionResult> RequestLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(RequestLink), async () =>
        {
            var body = await ReadAsync<LinkRequest>(request, cancellationToken);
            var client = LinkRequestLimits.ClientAddress(request.Headers["X-Forwarded-For"].FirstOrDefault(), request.HttpContext.Connection.RemoteIpAddress);
            await links.RequestAsync(body.Email, client, cancellationToken);
            return new JsonAnswer(new { status = "accepted" }, StatusCodes.Status202Accepted);
        });

    private static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        var body = await HttpApi.ReadBodyAsync(request, MaxBody, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, NapJson.Options) ?? throw new ProblemException(Problem.BadRequest("The body is empty."));
        }
        catch (JsonException)
        {
            throw new ProblemException(Problem.BadRequest("The body must be a JSON object."));
        }
    }

    private sealed record PauseRequest(bool? Paused);
    private sealed record ExtensionRequest(string? Deadline);
    private sealed record LinkRequest(string? Email);
}
