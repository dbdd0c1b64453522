using System.Text;

namespace Nap.Api;

/// <summary>
/// RFC 4180 rows for exports (the audit trail, the cycle overview): CRLF line ends, a cell quoted when it holds the
/// separator, a quote or a line break, and a cell a spreadsheet would run as a formula (starting with = + - @, a tab
/// or a carriage return) prefixed with <c>'</c> so it stays text.
/// </summary>
public sealed class CsvWriter(TextWriter writer, char separator = ',')
{
    /// <summary>What Dutch Excel opens without an import dialog: <c>;</c> as separator, UTF-8 with a byte order mark.</summary>
    public const char DutchExcelSeparator = ';';

    public static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public Task WriteRowAsync(params IEnumerable<string?> cells) =>
        writer.WriteAsync(string.Join(separator, cells.Select(c => Cell(c, separator))) + "\r\n");

    public static string Cell(string? value, char separator = ',')
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
