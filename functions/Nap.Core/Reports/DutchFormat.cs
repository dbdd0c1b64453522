using System.Globalization;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Dutch number and date notation, spelled out here rather than taken from the machine's culture data (ICU versions
/// differ between machines; a report must come out byte-identical everywhere).
/// </summary>
public static class DutchFormat
{
    /// <summary>12.345,5 — for reading.</summary>
    public static readonly NumberFormatInfo Display = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
        NumberGroupSizes = [3],
        NegativeSign = "-",
        PercentDecimalSeparator = ",",
        PercentGroupSeparator = ".",
    };

    /// <summary>12345,5 — what Dutch Excel reads as a number from a CSV file.</summary>
    public static readonly NumberFormatInfo Csv = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "",
        NegativeSign = "-",
    };

    private static readonly string[] Months =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

    public static string Number(decimal value) => value.ToString("#,##0.##########", Display);
    public static string Number(int value) => value.ToString("#,##0", Display);
    public static string Money(decimal value) => value.ToString("#,##0.00", Display);
    public static string Percent(decimal value) => value.ToString("0.0", Display) + "%";
    public static string CsvNumber(decimal value) => value.ToString(Csv);
    public static string Date(DateOnly date) => $"{date.Day.ToString(CultureInfo.InvariantCulture)} {Months[date.Month - 1]} {date.Year.ToString(CultureInfo.InvariantCulture)}";

    public static string Focus(IReadOnlyList<Focus> focus) =>
        focus.Contains(Submissions.Focus.National) && focus.Contains(Submissions.Focus.International) ? "nationaal en internationaal"
        : focus.Contains(Submissions.Focus.National) ? "nationaal" : "internationaal";

    public static string Scope(FigureScope scope) => scope switch
    {
        FigureScope.National => "nationaal",
        FigureScope.International => "internationaal",
        _ => "totaal",
    };
}
