using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Cycles;
using Nap.Functions.Http;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>Reporting cycles, and where one stands (coordinators); opening, editing and closing one (admins).</summary>
public sealed class CycleFunctions(CycleStatusService status, CycleAdministration administration, Callers callers, TimeProvider time, ILogger<CycleFunctions> logger)
{
    private const int MaxCycleBody = 16 * 1024;

    [Function("ListCycles")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(List), async () =>
        {
            var now = time.GetUtcNow();
            var cycles = await status.ListCyclesAsync(cancellationToken);
            return new JsonAnswer(cycles.Select(c => new
            {
                c.Id,
                periodStart = c.PeriodStart,
                periodEnd = c.PeriodEnd,
                opensOn = c.OpensOn,
                deadline = AmsterdamTime.Format(c.DeadlineUtc),
                deadlineUtc = c.DeadlineUtc,
                c.ReminderOffsetsDays,
                c.OverdueOffsetsDays,
                c.AcceptLate,
                c.Status,
                reportVersions = CycleFile.PolicyName(c.ReportVersions),
                deadlinePassed = now > c.DeadlineUtc,
            }));
        });

    [Function("GetCycleStatus")]
    public Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/status")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Status), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return new JsonAnswer(await status.GetStatusAsync(cycleId, cancellationToken));
        });

    /// <summary>The status rows as CSV for Dutch Excel (<see cref="CycleStatusCsv"/>), as a download.</summary>
    [Function("GetCycleStatusCsv")]
    public Task<IActionResult> StatusCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/status.csv")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(StatusCsv), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            var report = await status.GetStatusAsync(cycleId, cancellationToken);
            // About 75 rows: written whole, so a failure is still a problem answer rather than a cut-off file.
            using var buffer = new MemoryStream();
            await CycleStatusCsv.WriteAsync(report, buffer, cancellationToken);
            var answer = new BytesResult(buffer.ToArray(), CycleStatusCsv.ContentType, "no-store");
            answer.Headers["Content-Disposition"] = $"attachment; filename=\"{CycleStatusCsv.FileName(report.CycleId)}\"";
            return answer;
        });

    /// <summary>Opens a new cycle (201 with its ETag); 409 when the id exists, 422 with pointers for invalid fields.</summary>
    [Function("OpenCycle")]
    public Task<IActionResult> Open(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Open), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var body = await ReadCycleAsync(request, cancellationToken);
            var opened = await administration.OpenAsync(body, admin, cancellationToken);
            var answer = Answer(opened, 201);
            answer.Headers["Location"] = $"/api/cycles/{opened.Cycle.Id}";
            return answer;
        });

    /// <summary>One cycle in its wire form, with the ETag an edit sends in If-Match.</summary>
    [Function("GetCycle")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Get), async () =>
        {
            callers.Staff(request, StaffRoles.Admin);
            return Answer(await administration.GetAsync(cycleId, cancellationToken));
        });

    /// <summary>Edits deadline, offsets, late policy (and dates); If-Match required (428), 412 when stale.</summary>
    [Function("EditCycle")]
    public Task<IActionResult> Edit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "cycles/{cycleId}")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Edit), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var body = await ReadCycleAsync(request, cancellationToken);
            return Answer(await administration.EditAsync(cycleId, body, HttpApi.Header(request, "If-Match"), admin, cancellationToken));
        });

    [Function("CloseCycle")]
    public Task<IActionResult> Close(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/close")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Close), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            return Answer(await administration.CloseAsync(cycleId, HttpApi.Header(request, "If-Match"), admin, cancellationToken));
        });

    private static async Task<CycleRequest> ReadCycleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await HttpApi.ReadBodyAsync(request, MaxCycleBody, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<CycleRequest>(body.Span, NapJson.Options) ?? throw new ProblemException(Problem.BadRequest("The body is empty."));
        }
        catch (JsonException)
        {
            throw new ProblemException(Problem.BadRequest("Send the cycle as JSON: {\"id\", \"periodStart\", \"periodEnd\", \"opensOn\", \"deadline\", \"reminderOffsetsDays\": [n…], \"overdueOffsetsDays\": [n…], \"acceptLate\"}."));
        }
    }

    private static JsonAnswer Answer(EditableCycle cycle, int status = 200)
    {
        var answer = new JsonAnswer(CycleFile.From(cycle.Cycle), status);
        answer.Headers["ETag"] = cycle.ETag;
        return answer;
    }
}
