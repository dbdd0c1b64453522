using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Cycles;
using Nap.Functions.Http;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>Reporting cycles, and where one stands (coordinators).</summary>
public sealed class CycleFunctions(CycleStatusService status, Callers callers, TimeProvider time, ILogger<CycleFunctions> logger)
{
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
}
