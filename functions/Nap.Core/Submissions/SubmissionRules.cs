namespace Nap.Submissions;

/// <summary>
/// The limits and patterns a submission must respect, written once. <see cref="SubmissionParser"/> enforces them,
/// <see cref="SubmissionSchema"/> publishes them as JSON Schema (<c>GET /api/submission-schema</c>), and the form and
/// <c>openapi.json</c> take them from there.
/// </summary>
public static class SubmissionRules
{
    public const int NameMax = 200;
    public const int EmailMax = 254;
    public const int TitleMax = 200;
    public const int DescriptionMax = 5_000;
    public const int NarrativeMax = 10_000;
    public const int CommentMax = 1_000;
    public const int QualitativeValueMax = 2_000;
    public const int PartnerMax = 200;
    public const int PartnersMax = 50;
    public const int ContributionsMax = 100;
    public const int CountriesMax = 60;
    public const int OutcomesMax = 30;
    public const int IndicatorResultsMax = 50;
    public const int LinksMax = 5;
    public const int LinkMax = 2_000;
    public const int IatiActivityIdMax = 150;
    /// <summary>Framework codes (goals, outcomes, indicators, units): the loader's pattern allows at most this many characters.</summary>
    public const int CodeMax = 32;
    /// <summary>The pattern of a framework code; its repetition bound is <see cref="CodeMax"/> − 1.</summary>
    public const string CodePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$";
    /// <summary>Contribution ids: short enough for a URL segment and a table key, long enough for <c>{goal}-{position}</c>.</summary>
    public const int ContributionIdMax = 40;
    public const decimal NumberMax = 1_000_000_000_000m;
    public const decimal PercentMax = 100m;
    /// <summary>Amounts (EUR) have at most this many decimals.</summary>
    public const int AmountDecimals = 2;
    public const int MaxDepth = 16;

    /// <summary>The framework unit whose values are capped at <see cref="PercentMax"/>.</summary>
    public const string PercentUnit = "percent";

    public static readonly string[] NarrativeKinds = ["highlights", "challenges", "lessons"];
    public static readonly string[] FocusValues = ["national", "international"];

    /// <summary>Characters no text may contain: C0/C1 controls (as char.IsControl) except tab, LF and CR.</summary>
    public const string ControlCharacters = @"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

    /// <summary>Text without control characters (ECMA-262 and .NET regex alike).</summary>
    public const string PlainTextPattern = "^[^" + ControlCharacters + "]*$";

    /// <summary>Required text has something besides white space.</summary>
    public const string NotBlankPattern = @"\S";

    /// <summary>
    /// One address, no display name, a dot somewhere, no leading, trailing or doubled dots around the parts; surrounding
    /// white space is tolerated (it is trimmed).
    /// </summary>
    public const string EmailPattern = @"^\s*(?!\.)(?!\S*\.\.)(?!\S*\.@)(?!\S*@\.)(?=\S*\.)[^\s@<>()\[\]\\,;:""]+@[^\s@<>()\[\]\\,;:""]*[^\s@<>()\[\]\\,;:"".]\s*$";

    /// <summary>
    /// The end of the text in ECMA-262 and .NET alike: .NET's <c>$</c> also matches before a final line feed, so patterns
    /// that must not end in one say so.
    /// </summary>
    private const string End = @"(?!\n)$";

    /// <summary>Contribution ids: URL-safe, starting with a letter or digit.</summary>
    public const string ContributionIdPattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}" + End;

    /// <summary>
    /// An IATI activity identifier: the reporting organisation's identifier (agency prefix such as NL-KVK or XM-DAC, then
    /// its number) and the activity's own part, joined by hyphens; no spaces or the characters IATI forbids (/ &amp; | ?).
    /// </summary>
    public const string IatiActivityIdPattern = "^[A-Z]{2}-[A-Za-z0-9]+(-[A-Za-z0-9._:]+)+" + End;

    /// <summary>A public https address with a host name (letters, digits, hyphens, at least one dot) and no white space.</summary>
    public const string LinkPattern = @"^https://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::[0-9]{1,5})?(?:[/?#][^\s" + ControlCharacters + "]*)?" + End;

    /// <summary>A reporting cycle's id, as a contribution's <c>carriedOver.cycle</c> names it: a year (2025) or a span (2022-2023).</summary>
    public const string CycleIdPattern = "^[0-9]{4}(-[0-9]{4})?" + End;

    /// <summary>The id a contribution without one gets: also what stored versions from before ids were introduced get when read.</summary>
    public static string DerivedContributionId(string goalCode, int position) =>
        $"{goalCode}-{(position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static decimal AmountStep => 1m / (decimal)Math.Pow(10, AmountDecimals);
}
