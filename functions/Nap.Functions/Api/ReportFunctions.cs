using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Functions.Http;
using Nap.Reports;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>
/// The yearly report: a draft recompiled as submissions arrive (blob trigger on the submissions container, delivered
/// by Event Grid), a final compiled on a coordinator's request (through a request blob), a timer that compiles drafts
/// a crashed instance left behind, and the list of versions.
/// Report files live in the <c>reports</c> container, outside both trigger paths, so compiling never triggers itself.
/// </summary>
public sealed partial class ReportFunctions(ReportService reports, Callers callers, ILogger<ReportFunctions> logger)
{
    [Function("CompileDraftReport")]
    public async Task CompileDraft(
        [BlobTrigger("submissions/{cycleId}/{signatoryId}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "NapStorage")] BlobClient submission,
        string cycleId,
        CancellationToken cancellationToken)
    {
        var compilations = await reports.OnSubmissionStoredAsync(cycleId, cancellationToken);
        LogDraftSignal(logger, cycleId, compilations);
    }

    [Function("CompileFinalReport")]
    public async Task CompileFinal(
        [BlobTrigger("report-requests/{cycleId}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "NapStorage")] BlobClient request,
        string cycleId,
        string name,
        CancellationToken cancellationToken)
    {
        await reports.CompileFinalAsync(cycleId, name, cancellationToken);
    }

    /// <summary>
    /// Recovery: drafts left dirty without a live compiler (its instance crashed, or its compilation failed) are compiled
    /// here rather than waiting for another submission. UTC cron from the app setting <c>Reports__RecoverySchedule</c>
    /// (default every 10 minutes); the host resolves %…% through its configuration, where <c>A__B</c> is the key <c>A:B</c>.
    /// </summary>
    [Function("CompileStaleDrafts")]
    public async Task CompileStaleDrafts([TimerTrigger("%Reports:RecoverySchedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var compilations = await reports.CompileStaleDraftsAsync(cancellationToken);
        LogRecovery(logger, compilations);
    }

    [Function("RequestFinalReport")]
    public Task<IActionResult> Request(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cycles/{cycleId}/report")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Request), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            var receipt = await reports.RequestFinalAsync(cycleId, coordinator, HttpApi.Header(request, "Idempotency-Key"),
                request.Query.TryGetValue("lang", out var lang) ? lang.ToString() : null, cancellationToken);
            var answer = new JsonAnswer(receipt, StatusCodes.Status202Accepted);
            answer.Headers["Location"] = $"/api/cycles/{receipt.CycleId}/report";
            answer.Headers["Retry-After"] = "5";
            return answer;
        });

    [Function("ListReports")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/report")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(List), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return new JsonAnswer(await reports.ListAsync(cycleId, cancellationToken));
        });

    /// <summary>
    /// A stored file of a report version (annex.docx, report.json, report.csv), streamed from Blob Storage with its
    /// SHA-256 as ETag (If-None-Match answers 304) and a download name that carries the version.
    /// </summary>
    [Function("DownloadReportFile")]
    public Task<IActionResult> Download(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/report/{version}/{file}")] HttpRequest request,
        string cycleId,
        string version,
        string file,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Download), async () =>
        {
            var reader = callers.Staff(request, StaffRoles.Reader);
            var download = await reports.FindFileAsync(cycleId, version, file, reader, cancellationToken);
            return new StoredFileAnswer(download, HttpApi.Header(request, "If-None-Match") == download.ETag);
        });

    /// <summary>Streams a stored report file (or answers 304 when the client has it already).</summary>
    private sealed class StoredFileAnswer(ReportFileDownload file, bool notModified) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.Headers.ETag = file.ETag;
            response.Headers.CacheControl = "private, no-cache";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            if (notModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = file.ContentType;
            response.ContentLength = file.Length;
            response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = file.DownloadName, DispositionType = "attachment" }.ToString();
            await using var content = await file.OpenAsync(context.HttpContext.RequestAborted);
            await content.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
        }
    }

    [Function("GetReportTexts")]
    public Task<IActionResult> GetTexts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/report/texts")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(GetTexts), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return new JsonAnswer(await reports.GetTextsAsync(cycleId, cancellationToken));
        });

    /// <summary>The coordinators' introduction and governance texts that open the annex (JSON, at most 128 KB).</summary>
    [Function("PutReportTexts")]
    public Task<IActionResult> PutTexts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "cycles/{cycleId}/report/texts")] HttpRequest request,
        string cycleId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(PutTexts), async () =>
        {
            var coordinator = callers.Staff(request, StaffRoles.Coordinator);
            return new JsonAnswer(await reports.PutTextsAsync(cycleId, coordinator, ct => HttpApi.ReadBodyAsync(request, 128 * 1024, ct), cancellationToken));
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Stale drafts: {Compilations} draft compilations by this run")]
    private static partial void LogRecovery(ILogger logger, int compilations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission stored in cycle {CycleId}: {Compilations} draft compilations by this invocation")]
    private static partial void LogDraftSignal(ILogger logger, string cycleId, int compilations);
}
