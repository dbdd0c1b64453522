namespace Nap.Submissions;

/// <summary>
/// The limits a submission must respect. Served with the framework (<c>GET /api/framework</c>) so the form
/// checks exactly what the server checks.
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
    public const decimal NumberMax = 1_000_000_000_000m;
    public const decimal PercentMax = 100m;
    public const int MaxDepth = 16;

    public static readonly string[] NarrativeKinds = ["highlights", "challenges", "lessons"];

    public static object Describe() => new
    {
        nameMax = NameMax,
        emailMax = EmailMax,
        titleMax = TitleMax,
        descriptionMax = DescriptionMax,
        narrativeMax = NarrativeMax,
        commentMax = CommentMax,
        qualitativeValueMax = QualitativeValueMax,
        partnerMax = PartnerMax,
        partnersMax = PartnersMax,
        contributionsMax = ContributionsMax,
        countriesMax = CountriesMax,
        outcomesMax = OutcomesMax,
        indicatorResultsMax = IndicatorResultsMax,
        numberMax = NumberMax,
        percentMax = PercentMax,
        narrativeKinds = NarrativeKinds,
        focus = new[] { "national", "international" },
    };
}
