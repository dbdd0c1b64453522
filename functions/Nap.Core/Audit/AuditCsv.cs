using System.Globalization;
using System.Text;

namespace Nap.Audit;

/// <summary>The audit selection as CSV (RFC 4180), written page by page, so an export of a long trail stays small in memory.</summary>
public static class AuditCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(AuditQuery query) => $"audit{(query.CycleId is { } c ? "-" + c : "")}.csv";

    public static async Task WriteAsync(IAuditLog audit, AuditQuery query, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        await writer.WriteAsync("at,actorKind,actorId,action,cycle,signatory,version,result\r\n").ConfigureAwait(false);
        string? continuation = null;
        do
        {
            var page = await audit.ReadAsync(query, continuation, 1000, cancellationToken).ConfigureAwait(false);
            foreach (var e in page.Entries)
            {
                await writer.WriteAsync(string.Join(',',
                    e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    e.ActorKind.ToString().ToLowerInvariant(), Field(e.ActorId), Field(e.Action), Field(e.CycleId), Field(e.SignatoryId),
                    e.Version?.ToString(CultureInfo.InvariantCulture) ?? "", Field(e.Result)) + "\r\n").ConfigureAwait(false);
            }
            continuation = page.Continuation;
        } while (continuation is not null);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Quoted when needed; a leading =, +, - or @ is neutralised so a spreadsheet never runs it as a formula.</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
