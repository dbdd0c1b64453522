using System.Globalization;
using Nap.Api;

namespace Nap.Cycles;

/// <summary>
/// The overview of a cycle for Dutch Excel: one row per signatory with the status rows' columns, <c>;</c>-separated,
/// UTF-8 with BOM, CRLF, formula cells neutralised (<see cref="CsvWriter"/>). Times are Amsterdam wall-clock time
/// <c>yyyy-MM-dd HH:mm</c>, which Excel reads as a date; yes/no columns are <c>true</c>/<c>false</c>.
/// </summary>
public static class CycleStatusCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static readonly IReadOnlyList<string> Columns =
    [
        "signatoryId", "name", "kind", "submitted", "version", "received", "late", "overdue", "deadline", "reviewState",
        "remindersPaused", "extension", "lastReminderSent",
    ];

    public static string FileName(string cycleId) => $"status-{cycleId}.csv";

    public static async Task WriteAsync(CycleStatusReport report, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, CsvWriter.Utf8WithBom, 16 * 1024, leaveOpen: true);
        var csv = new CsvWriter(writer, CsvWriter.DutchExcelSeparator);
        await csv.WriteRowAsync(Columns).ConfigureAwait(false);
        foreach (var s in report.Signatories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await csv.WriteRowAsync(
                s.SignatoryId, s.Name, Enum(s.Kind), Bool(s.Submitted), s.Version?.ToString(CultureInfo.InvariantCulture), Local(s.ReceivedAt), Bool(s.Late),
                Bool(s.Overdue), Local(DateTimeOffset.Parse(s.Deadline, CultureInfo.InvariantCulture)), s.Review is { } r ? Enum(r) : null,
                Bool(s.RemindersPaused), s.Extension?.Replace('T', ' '), Local(s.LastReminderSentUtc)).ConfigureAwait(false);
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Local(DateTimeOffset? utc) =>
        utc is { } at ? AmsterdamTime.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null;

    /// <summary>The enum value as the JSON names it (kebab-case).</summary>
    private static string Enum<T>(T value) where T : struct, System.Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, NapJson.Options).Trim('"');
}
