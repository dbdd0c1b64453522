using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Functions.Http;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Functions.Api;

/// <summary>The audit trail for administrators: paged JSON, or the whole selection as CSV.</summary>
public sealed class AuditFunctions(IAuditLog audit, Callers callers, ILogger<AuditFunctions> logger)
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    /// <summary><c>?cycle=&amp;signatory=&amp;from=&amp;to=&amp;continuation=&amp;pageSize=</c>; <c>?format=csv</c> exports every matching row.</summary>
    [Function("ListAudit")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(List), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var query = ParseQuery(request.Query);
            var format = Single(request.Query, "format");
            if (format is not (null or "json" or "csv"))
                throw Invalid("/format", "unknown-format", "format is json (the default) or csv.");
            if (format == "csv")
            {
                // Recorded first: reading the trail is itself an audited read.
                await audit.AppendAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.AuditExport, query.CycleId, query.SignatoryId), cancellationToken);
                return new AuditCsvResult(audit, query);
            }
            var pageSize = Single(request.Query, "pageSize") is { } size
                ? int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPageSize
                    ? n
                    : throw Invalid("/pageSize", "range", $"pageSize is a whole number from 1 to {MaxPageSize}.")
                : DefaultPageSize;
            var continuation = Single(request.Query, "continuation");
            var page = await audit.ReadAsync(query, continuation, pageSize, cancellationToken);
            await audit.AppendAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.AuditRead, query.CycleId, query.SignatoryId), cancellationToken);
            var answer = new JsonAnswer(new { entries = page.Entries, continuation = page.Continuation });
            if (page.Continuation is { } next)
                answer.Headers["Link"] = $"<{NextUrl(request, next)}>; rel=\"next\"";
            return answer;
        });

    private static AuditQuery ParseQuery(IQueryCollection q)
    {
        var cycle = Single(q, "cycle");
        if (cycle is not null && !ReportingCycle.IsValidId(cycle)) throw Invalid("/cycle", "format", "cycle is a cycle id such as 2025 or 2025-2026.");
        var signatory = Single(q, "signatory");
        if (signatory is not null && !SignatoryImport.IsValidId(signatory)) throw Invalid("/signatory", "format", "signatory is a signatory id (lower-case letters, digits, '-').");
        var from = Instant(q, "from");
        var to = Instant(q, "to");
        if (from is not null && to is not null && to <= from) throw Invalid("/to", "before-from", "to must be later than from.");
        return new AuditQuery(cycle, signatory, from, to);
    }

    /// <summary>A date (<c>2026-12-01</c>, midnight UTC) or a date-time with offset (<c>2026-12-01T10:00:00Z</c>).</summary>
    private static DateTimeOffset? Instant(IQueryCollection q, string name)
    {
        var value = Single(q, name);
        if (value is null) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw Invalid("/" + name, "format", $"{name} is a date (yyyy-MM-dd, UTC) or an ISO 8601 date-time with offset.");
    }

    private static string? Single(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out var values) || values.Count == 0) return null;
        if (values.Count > 1) throw Invalid("/" + name, "repeated", $"Give {name} once.");
        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    private static string NextUrl(HttpRequest request, string continuation)
    {
        var query = request.Query.Where(p => p.Key != "continuation").Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value.ToString())}")
            .Append("continuation=" + Uri.EscapeDataString(continuation));
        return "/api/audit?" + string.Join("&", query);
    }

    // Query parameters are addressed like body fields, by a pointer to the parameter's name.
    private static ProblemException Invalid(string pointer, string code, string detail) =>
        new(new Problem(400, Problem.TypeBase + "invalid-query", "A query parameter is not valid.", detail, [new FieldError(pointer, code, detail)]));
}

/// <summary>Streams the CSV export (written by <see cref="AuditCsv"/>) as a download.</summary>
internal sealed class AuditCsvResult(IAuditLog audit, AuditQuery query) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = AuditCsv.ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers.ContentDisposition = $"attachment; filename=\"{AuditCsv.FileName(query)}\"";
        await AuditCsv.WriteAsync(audit, query, response.Body, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
