using System.Text;
using System.Text.Json;
using Nap.Api;
using Nap.Countries;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>The report as JSON: every figure, the listed results and quotes, and the lineage of its inputs.</summary>
public static class JsonReportWriter
{
    public const string ContentType = "application/json";

    public static byte[] Write(CompiledReport report)
    {
        using var buffer = new MemoryStream();
        Write(report, buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the JSON into the stream as it goes (the serializer flushes to the stream in chunks; a Utf8JsonWriter
    /// handed to it would buffer the whole text instead).
    /// </summary>
    public static void Write(CompiledReport report, Stream stream)
    {
        JsonSerializer.Serialize(stream, report, NapJson.Options);
        stream.WriteByte((byte)'\n');
    }
}

/// <summary>
/// The report as CSV the way Dutch Excel opens it: UTF-8 with BOM, ';' between cells, decimal comma, CRLF.
/// One row per contribution and one per indicator result. Numbers are written as numbers, and a value nobody reported is
/// an empty cell, never 0; text that Excel would read as a formula gets a leading apostrophe. Every row names the
/// submission, version and keyed hash (<see cref="PublishedHash"/>) it came from.
/// </summary>
public static class CsvReportWriter
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly string[] Header =
    [
        "Soort", "Doel", "Strategisch doel", "Focus", "Organisatie", "Organisatie-id", "Bijdrage-id", "Bijdrage", "Landen", "Regio's",
        "Besteed budget (EUR)", "Indicator", "Indicator (omschrijving)", "Waarde", "Tekst", "Eenheid", "Streefwaarde", "Toelichting",
        "Partners", "Omschrijving", "Inzending", "Versie", "Sleutelhash (HMAC-SHA256)", "IATI-activiteit", "Links",
    ];

    public static byte[] Write(CompiledReport report, CountryCatalog countries, Framework.ResultsFramework framework)
    {
        using var buffer = new MemoryStream();
        Write(report, countries, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the CSV into the stream row by row.</summary>
    public static void Write(CompiledReport report, CountryCatalog countries, Stream stream)
    {
        var language = ReportLanguage.For(report.Language);
        string Name(string code) => countries.Find(code)?.Name.In(language.Code) ?? code;
        using var w = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        WriteRow(w, Header.Select(Text).ToList());
        foreach (var goal in report.Goals)
        {
            foreach (var c in goal.Contributions)
            {
                var focus = language.Focus(c.Focus);
                string[] source = [Text(c.Source.SubmissionId), c.Source.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(c.Source.KeyedHash)];
                WriteRow(w, [
                    Text("bijdrage"), Text(goal.Code), Text(goal.Title), Text(focus), Text(c.Organisation), Text(c.SignatoryId), Text(c.Id), Text(c.Title),
                    Text(string.Join(", ", c.CountryCodes.Select(Name))), Text(string.Join(", ", c.RegionCodes.Select(Name))),
                    Number(c.BudgetSpentEur), "", "", "", "", "", "", "",
                    Text(string.Join(", ", c.Partners)), Text(c.Description), .. source,
                    Text(c.IatiActivityId), Text(string.Join(" ", c.Links)),
                ]);
                foreach (var r in c.IndicatorResults)
                {
                    WriteRow(w, [
                        Text("indicatorresultaat"), Text(goal.Code), Text(goal.Title), Text(focus), Text(c.Organisation), Text(c.SignatoryId), Text(c.Id), Text(c.Title),
                        "", "", "", Text(r.Indicator), Text(r.IndicatorTitle), Number(r.Value), Text(r.Text), Text(r.Unit), Number(r.Target), Text(r.Comment),
                        "", "", .. source, "", "",
                    ]);
                }
            }
        }
    }

    // Cell by cell into the writer's buffer: no joined line per row.
    private static void WriteRow(StreamWriter w, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) w.Write(';');
            w.Write(cells[i]);
        }
        w.WriteLine();
    }

    public static string Number(decimal? value) => value is { } v ? DutchFormat.CsvNumber(v) : "";

    /// <summary>
    /// A text cell: a leading '=', '+', '-', '@', tab or carriage return would make Excel evaluate it (CSV injection),
    /// so such text starts with an apostrophe; cells with ';', quotes or line breaks are quoted.
    /// </summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var text = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return text.IndexOfAny([';', '"', '\n', '\r']) >= 0 || text[0] == ' ' || text[^1] == ' '
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }
}
