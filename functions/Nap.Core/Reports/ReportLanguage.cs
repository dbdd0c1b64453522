using System.Globalization;

namespace Nap.Reports;

/// <summary>
/// The annex's language: its words, numbers, dates and plurals. Dutch (the default) or English, spelled out here rather
/// than taken from the machine's culture data (ICU versions differ between machines; a report must come out
/// byte-identical everywhere).
/// </summary>
public sealed class ReportLanguage
{
    public static readonly ReportLanguage Dutch = new("nl", DutchFormat.Display, ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]);

    public static readonly ReportLanguage English = new("en", new NumberFormatInfo
    {
        NumberDecimalSeparator = ".",
        NumberGroupSeparator = ",",
        NumberGroupSizes = [3],
        NegativeSign = "-",
        PercentDecimalSeparator = ".",
        PercentGroupSeparator = ",",
    }, ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]);

    private readonly NumberFormatInfo _numbers;
    private readonly string[] _months;

    private ReportLanguage(string code, NumberFormatInfo numbers, string[] months)
    {
        Code = code;
        _numbers = numbers;
        _months = months;
    }

    /// <summary>"nl" or "en".</summary>
    public string Code { get; }

    public bool IsEnglish => Code == "en";

    public static readonly IReadOnlyList<string> Supported = ["nl", "en"];

    public static bool IsSupported(string? code) => code is "nl" or "en";

    public static ReportLanguage For(string? code) => code == "en" ? English : Dutch;

    /// <summary>The text in this language.</summary>
    public string T(string nl, string en) => IsEnglish ? en : nl;

    public string Number(int value) => value.ToString("#,##0", _numbers);
    public string Number(decimal value) => value.ToString("#,##0.##########", _numbers);

    /// <summary>12.345,00 — amounts in tables.</summary>
    public string Money(decimal value) => value.ToString("#,##0.00", _numbers);

    /// <summary>For sentences: "€ 7,1 mln" from a million up, "€ 12.345" below (whole euros).</summary>
    public string MoneyShort(decimal value) =>
        Math.Abs(value) >= 1_000_000m
            ? IsEnglish
                ? "€" + (value / 1_000_000m).ToString("#,##0.0", _numbers) + " million"
                : "€ " + (value / 1_000_000m).ToString("#,##0.0", _numbers) + " mln"
            : (IsEnglish ? "€" : "€ ") + Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("#,##0", _numbers);

    public string Percent(decimal value) => value.ToString("0.0", _numbers) + "%";

    public string Date(DateOnly date) => $"{date.Day.ToString(CultureInfo.InvariantCulture)} {_months[date.Month - 1]} {date.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"1 ondertekenaar", "0 ondertekenaars", "2 ondertekenaars": the noun agrees with the number.</summary>
    public string Count(int n, string nlOne, string nlMany, string enOne, string enMany) =>
        Number(n) + " " + (n == 1 ? T(nlOne, enOne) : T(nlMany, enMany));

    /// <summary>The noun alone, agreeing with the number.</summary>
    public string Noun(int n, string nlOne, string nlMany, string enOne, string enMany) => n == 1 ? T(nlOne, enOne) : T(nlMany, enMany);

    /// <summary>"a, b en c" / "a, b and c".</summary>
    public string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + T(" en ", " and ") + items[^1],
    };

    // Counted things of the annex, so every sentence uses the same forms.
    public string Signatories(int n) => Count(n, "ondertekenaar", "ondertekenaars", "signatory", "signatories");
    public string Contributions(int n) => Count(n, "bijdrage", "bijdragen", "contribution", "contributions");
    public string Countries(int n) => Count(n, "land", "landen", "country", "countries");
    public string Regions(int n) => Count(n, "regio", "regio's", "region", "regions");
    public string Submissions(int n) => Count(n, "rapportage", "rapportages", "report", "reports");
    public string Results(int n) => Count(n, "resultaat", "resultaten", "result", "results");

    public string Focus(IReadOnlyList<Nap.Submissions.Focus> focus) =>
        focus.Contains(Nap.Submissions.Focus.National) && focus.Contains(Nap.Submissions.Focus.International) ? T("nationaal en internationaal", "national and international")
        : focus.Contains(Nap.Submissions.Focus.National) ? T("nationaal", "national") : T("internationaal", "international");

    public string Scope(FigureScope scope) => scope switch
    {
        FigureScope.National => T("nationaal", "national"),
        FigureScope.International => T("internationaal", "international"),
        _ => T("totaal", "total"),
    };

    /// <summary>
    /// A reported sum for a sentence: "€ 7,1 mln (12 van 46 bijdragen rapporteerden een budget)", or that none did.
    /// </summary>
    public string BudgetSentence(ReportedSum budget) =>
        budget.Sum is not { } sum
            ? budget.Of == 0 ? T("geen budget gerapporteerd", "no budget reported")
            : budget.Of == 1 ? T("de bijdrage rapporteerde geen budget", "the contribution reported no budget")
            : T($"geen van de {Number(budget.Of)} bijdragen rapporteerde een budget", $"none of the {Number(budget.Of)} contributions reported a budget")
            : $"{MoneyShort(sum)} ({ReportedOf(budget, "een budget", "a budget")})";

    /// <summary>"12 van 46 bijdragen rapporteerden een budget", "1 van 1 bijdrage rapporteerde een budget".</summary>
    public string ReportedOf(ReportedSum sum, string nlWhat, string enWhat) =>
        T($"{Number(sum.Reported)} van {Count(sum.Of, "bijdrage", "bijdragen", "", "")} {(sum.Reported == 1 ? "rapporteerde" : "rapporteerden")} {nlWhat}",
          $"{Number(sum.Reported)} of {Count(sum.Of, "", "", "contribution", "contributions")} reported {enWhat}");

    /// <summary>A sum in a table cell: the amount, or "niet gerapporteerd".</summary>
    public string MoneyCell(ReportedSum sum) => sum.Sum is { } s ? Money(s) : T("niet gerapporteerd", "not reported");
}
