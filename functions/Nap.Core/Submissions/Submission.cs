namespace Nap.Submissions;

public enum Focus { National, International }

public sealed record ContactPerson(string Name, string Email);

/// <summary>A reported result on one framework indicator: a number (quantitative) or a text (qualitative).</summary>
public sealed record IndicatorResult(string Indicator, decimal? Value, string? Text, string? Unit, decimal? Target, string? Comment);

public sealed record Contribution(
    string Title,
    string? Description,
    IReadOnlyList<Focus> Focus,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<IndicatorResult> IndicatorResults,
    decimal? BudgetSpentEur,
    IReadOnlyList<string> Partners,
    bool Confidential)
{
    /// <summary>Stable within the submission and across its versions; see <see cref="SubmissionRules.DerivedContributionId"/>.</summary>
    public string Id { get; init; } = "";
    /// <summary>The IATI identifier of the activity, when the organisation publishes it.</summary>
    public string? IatiActivityId { get; init; }
    /// <summary>Public https sources, for the annex's footnotes.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
    /// <summary>The cycle and version this contribution was carried over from (a submitted one is always confirmed).</summary>
    public CarriedOver? CarriedOver { get; init; }
}

/// <summary>Where a carried-over contribution came from: the earlier cycle and the version of it that was copied.</summary>
public sealed record CarriedOver(string Cycle, int Version);

public sealed record Narrative(string Text, bool Confidential);

/// <summary>The three narratives per goal; the lessons feed the joint learning agenda.</summary>
public sealed record Narratives(Narrative? Highlights, Narrative? Challenges, Narrative? Lessons)
{
    public static readonly Narratives None = new(null, null, null);
}

public sealed record GoalReport(string Goal, IReadOnlyList<Contribution> Contributions, Narratives Narratives);

/// <summary>What a signatory reports for one cycle. Goals appear in framework order.</summary>
public sealed record SubmissionDocument(ContactPerson Contact, IReadOnlyList<GoalReport> Goals);

/// <summary>What the signatory gets back for a stored version, and what identifies it in the report's lineage.</summary>
public sealed record SubmissionReceipt(
    string SubmissionId,
    string CycleId,
    string SignatoryId,
    int Version,
    DateTimeOffset ReceivedAt,
    string ReceivedAtLocal,
    string Sha256,
    bool Late);
