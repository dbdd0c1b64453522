using System.Globalization;

namespace Nap.Audit;

/// <summary>The audit selection as CSV (RFC 4180), written page by page, so an export of a long trail stays small in memory.</summary>
public static class AuditCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(AuditQuery query) => $"audit{(query.CycleId is { } c ? "-" + c : "")}.csv";

    public static async Task WriteAsync(IAuditLog audit, AuditQuery query, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, Nap.Api.CsvWriter.Utf8, 16 * 1024, leaveOpen: true);
        var csv = new Nap.Api.CsvWriter(writer);
        await csv.WriteRowAsync("at", "actorKind", "actorId", "action", "cycle", "signatory", "version", "result").ConfigureAwait(false);
        string? continuation = null;
        do
        {
            var page = await audit.ReadAsync(query, continuation, 1000, cancellationToken).ConfigureAwait(false);
            foreach (var e in page.Entries)
            {
                await csv.WriteRowAsync(
                    e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    e.ActorKind.ToString().ToLowerInvariant(), e.ActorId, e.Action, e.CycleId, e.SignatoryId,
                    e.Version?.ToString(CultureInfo.InvariantCulture), e.Result).ConfigureAwait(false);
            }
            continuation = page.Continuation;
        } while (continuation is not null);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
