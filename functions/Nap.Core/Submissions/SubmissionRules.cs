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

    /// <summary>
    /// Code points no text may contain: C0/C1 controls except tab, LF and CR; Unicode noncharacters (U+FDD0–U+FDEF and
    /// the last two of every plane, U+xFFFE and U+xFFFF: not for interchange, and not allowed in the report's XML);
    /// bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069: they reorder what a reader
    /// sees). Unpaired surrogates are refused too, but they are not code points: see <see cref="IsAllowedText"/>.
    /// </summary>
    public static bool IsForbiddenInText(int codePoint) =>
        codePoint is (< 0x20 and not (0x09 or 0x0A or 0x0D)) or (>= 0x7F and <= 0x9F)
            or (>= 0xFDD0 and <= 0xFDEF) or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069)
        || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>
    /// In single-line fields (names, addresses, titles, partners, comments, ids, links) also the invisible format
    /// characters (Unicode category Cf: U+200B zero width space, U+2060 word joiner, U+FEFF, soft hyphen, tags …), which
    /// make two names look alike. Except the zero width joiner and non-joiner (U+200C, U+200D): Persian and Indic
    /// scripts and emoji need them to spell a name.
    /// </summary>
    public static bool IsForbiddenInSingleLine(int codePoint) =>
        IsForbiddenInText(codePoint)
        || codePoint is not (0x200C or 0x200D) && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(codePoint) == System.Globalization.UnicodeCategory.Format;

    /// <summary>The rule of <see cref="IsForbiddenInText"/> (or, single-line, <see cref="IsForbiddenInSingleLine"/>) and no unpaired surrogate.</summary>
    public static bool IsAllowedText(string text, bool singleLine)
    {
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) codePoint = char.ConvertToUtf32(text[i], text[++i]);
            else if (char.IsSurrogate(text[i])) return false;
            if (singleLine ? IsForbiddenInSingleLine(codePoint) : IsForbiddenInText(codePoint)) return false;
        }
        return true;
    }

    /// <summary>
    /// The same rules as JSON Schema patterns (served in the submission schema, usable by the form): a search that
    /// matches when no forbidden code point occurs. Written over UTF-16 code units (characters beyond U+FFFF as their
    /// surrogate pairs), as ECMA-262 without the u flag and .NET read them. Built from the predicates above, so the
    /// schema and the parser cannot drift; a test compares them on every code point.
    /// </summary>
    public static readonly string PlainTextPattern = NoneOf(IsForbiddenInText);

    /// <inheritdoc cref="PlainTextPattern"/>
    public static readonly string SingleLineTextPattern = NoneOf(IsForbiddenInSingleLine);

    private static string NoneOf(Func<int, bool> forbidden)
    {
        static string U(int unit) => "\\u" + unit.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        static string Ranges(IEnumerable<int> units)
        {
            var sb = new System.Text.StringBuilder();
            var list = units.ToList();
            for (var i = 0; i < list.Count;)
            {
                var j = i;
                while (j + 1 < list.Count && list[j + 1] == list[j] + 1) j++;
                sb.Append(U(list[i]));
                if (j > i) sb.Append(j > i + 1 ? "-" : "").Append(U(list[j]));
                i = j + 1;
            }
            return sb.ToString();
        }
        var bmp = Enumerable.Range(0, 0x10000).Where(c => c is < 0xD800 or > 0xDFFF && forbidden(c));
        var alternatives = new List<string> { "[" + Ranges(bmp) + "]" };
        foreach (var high in Enumerable.Range(0x10000, 0x100000).Where(forbidden).GroupBy(c => 0xD800 + ((c - 0x10000) >> 10)))
            alternatives.Add(U(high.Key) + "[" + Ranges(high.Select(c => 0xDC00 + ((c - 0x10000) & 0x3FF))) + "]");
        return "^(?![\\s\\S]*(?:" + string.Join("|", alternatives) + "))";
    }

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
