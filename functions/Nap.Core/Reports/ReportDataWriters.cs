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
        JsonSerializer.Serialize(buffer, report, NapJson.Options);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}

/// <summary>
/// The report as CSV the way Dutch Excel opens it: UTF-8 with BOM, ';' between cells, decimal comma, CRLF.
/// One row per contribution and one per indicator result. Numbers are written as numbers; text that Excel would
/// read as a formula gets a leading apostrophe.
/// </summary>
public static class CsvReportWriter
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly string[] Header =
    [
        "Soort", "Doel", "Strategisch doel", "Focus", "Organisatie", "Organisatie-id", "Bijdrage", "Landen en regio's",
        "Besteed budget (EUR)", "Indicator", "Indicator (omschrijving)", "Waarde", "Tekst", "Eenheid", "Streefwaarde", "Toelichting",
        "Partners", "Omschrijving", "IATI-activiteit", "Links",
    ];

    public static byte[] Write(CompiledReport report, CountryCatalog countries, Framework.ResultsFramework framework)
    {
        using var buffer = new MemoryStream();
        using (var w = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\r\n" })
        {
            WriteRow(w, Header.Select(Text));
            foreach (var goal in report.Goals)
            {
                foreach (var c in goal.Contributions)
                {
                    var focus = DutchFormat.Focus(c.Focus);
                    WriteRow(w, [
                        Text("bijdrage"), Text(goal.Code), Text(goal.Title), Text(focus), Text(c.Organisation), Text(c.SignatoryId), Text(c.Title),
                        Text(string.Join(", ", c.Countries.Select(code => countries.Find(code)?.Name.Nl ?? code))),
                        Number(c.BudgetSpentEur), "", "", "", "", "", "", "",
                        Text(string.Join(", ", c.Partners)), Text(c.Description),
                        Text(c.IatiActivityId), Text(string.Join(" ", c.Links ?? [])),
                    ]);
                    foreach (var r in c.IndicatorResults)
                    {
                        framework.TryGetIndicator(r.Indicator, out _, out _, out var indicator);
                        var unit = r.Unit is null ? null : framework.FindUnit(r.Unit)?.Title.Nl ?? r.Unit;
                        WriteRow(w, [
                            Text("indicatorresultaat"), Text(goal.Code), Text(goal.Title), Text(focus), Text(c.Organisation), Text(c.SignatoryId), Text(c.Title),
                            "", "", Text(r.Indicator), Text(indicator?.Title.Nl), Number(r.Value), Text(r.Text), Text(unit), Number(r.Target), Text(r.Comment),
                            "", "", "", "",
                        ]);
                    }
                }
            }
        }
        return buffer.ToArray();
    }

    private static void WriteRow(StreamWriter w, IEnumerable<string> cells) => w.WriteLine(string.Join(';', cells));

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
