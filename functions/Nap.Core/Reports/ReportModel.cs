using System.Text.Json.Serialization;
using Nap.Framework;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>A draft is recompiled whenever a submission arrives; a final is compiled when a coordinator asks for it.</summary>
public enum ReportKind { Draft, Final }

/// <summary>
/// Everything the yearly report says, in numbers and quoted text, with the lineage of the submissions it was built from.
/// A pure function of its inputs: no clock, no machine, no input order reaches it. Every contribution, indicator result
/// and quote carries the <see cref="SourceRef"/> of the submission version it came from; every sum lists the
/// contributions it adds up, so any figure can be walked back to the bytes a signatory sent.
/// </summary>
public sealed record CompiledReport(
    string FormatVersion,
    string CycleId,
    ReportKind Kind,
    string Language,
    string Title,
    DateOnly ReportDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string FrameworkVersion,
    bool SampleFramework,
    string InputHash,
    KeyedHashInfo KeyedHash,
    CycleReportTexts Texts,
    ReportTotals Totals,
    Completeness Completeness,
    IReadOnlyList<GoalSection> Goals,
    IReadOnlyList<ReportingSignatory> Signatories,
    DataQuality DataQuality,
    ReviewSummary Review,
    IReadOnlyList<LineageEntry> Lineage,
    // Left out of the JSON when the plan has no earlier cycles: such a report keeps the bytes it always had.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] YearsSideBySide? Years = null) : IDisposable
{
    /// <summary>Holds the contributions' and quotes' texts while the report is written; disposing the report removes it.</summary>
    [JsonIgnore]
    public ReportSpill? Spill { get; init; }

    public void Dispose() => Spill?.Dispose();
}

/// <summary>
/// Totals over all goals. Countries and regions are counted apart: a contribution in Mali and the Sahel adds one
/// country and one region, never two "countries and regions".
/// </summary>
public sealed record ReportTotals(
    int Contributions,
    int NationalContributions,
    int InternationalContributions,
    int Signatories,
    int CountriesReached,
    int RegionsReached,
    ReportedSum BudgetSpentEur);

/// <summary>
/// A sum over the contributions that reported a value. <see cref="Sum"/> is null when none did (not reported is not
/// zero); <see cref="Reported"/> of <see cref="Of"/> contributions gave one, and <see cref="ContributionIds"/>
/// ("{signatoryId}/{contributionId}") names exactly those that were added up.
/// </summary>
public sealed record ReportedSum(
    // Written as null, not left out: a reader sees that nothing was reported.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Sum,
    int Reported,
    int Of,
    IReadOnlyList<string> ContributionIds);

/// <summary>How complete the cycle is: active signatories expected, submissions received, late ones, missing ones.</summary>
public sealed record Completeness(
    int Expected,
    int Submitted,
    int SubmittedByExpected,
    int Late,
    int Missing,
    decimal CompletionPercent,
    IReadOnlyList<string> MissingSignatoryIds);

/// <summary>One strategic goal: figures overall and per focus, what was reported, and the quoted narratives.</summary>
public sealed record GoalSection(
    string Code,
    string Title,
    GoalFigures Total,
    GoalFigures National,
    GoalFigures International,
    IReadOnlyList<Quote> Highlights,
    IReadOnlyList<Quote> Challenges,
    IReadOnlyList<Quote> Lessons,
    IReadOnlyList<ContributionLine> Contributions);

/// <summary>
/// Figures for one goal and one focus. A contribution with both foci counts in both, and once in the goal's total;
/// so national + international can exceed the total. <see cref="Indicators"/> lists only indicators someone reported on.
/// </summary>
public sealed record GoalFigures(
    FigureScope Scope,
    int Contributions,
    int Signatories,
    int CountriesReached,
    IReadOnlyList<string> CountryCodes,
    int RegionsReached,
    IReadOnlyList<string> RegionCodes,
    ReportedSum BudgetSpentEur,
    IReadOnlyList<IndicatorFigures> Indicators);

public enum FigureScope { Total, National, International }

/// <summary>
/// Results on one indicator: summed (with the sum of the targets given) where the framework allows it, listed per
/// organisation otherwise. <see cref="Sum"/> and <see cref="TargetSum"/> are null for indicators that are not summed.
/// </summary>
public sealed record IndicatorFigures(
    string Code,
    string Outcome,
    string Title,
    IndicatorKind Kind,
    string? Unit,
    bool Summable,
    int Results,
    ReportedSum? Sum,
    ReportedSum? TargetSum,
    IReadOnlyList<IndicatorListing> Listed);

public sealed record IndicatorListing(string SignatoryId, string Organisation, string ContributionId, string ContributionTitle,
    decimal? Value, string? Text, decimal? Target, string? Comment, SourceRef Source);

/// <summary>
/// The submission version a figure or text came from: the lineage entry with this id, version and keyed hash
/// (<see cref="PublishedHash"/>: HMAC-SHA256 of the receipt's SHA-256 under the app's key, never the plain SHA-256).
/// </summary>
public sealed record SourceRef(string SubmissionId, int Version, string KeyedHash);

/// <summary>How the keyed hashes of this report were made: the algorithm and a fingerprint of the key (never the key).</summary>
public sealed record KeyedHashInfo(string Algorithm, string KeyId);

/// <summary>A non-confidential contribution as the report shows it.</summary>
public sealed record ContributionLine(
    string Id,
    string Goal,
    string SignatoryId,
    string Organisation,
    SignatoryKind SignatoryKind,
    int Position,
    string Title,
    string? Description,
    IReadOnlyList<Focus> Focus,
    IReadOnlyList<string> CountryCodes,
    IReadOnlyList<string> RegionCodes,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<ReportedResult> IndicatorResults,
    decimal? BudgetSpentEur,
    IReadOnlyList<string> Partners,
    IReadOnlyList<string> Links,
    SourceRef Source)
{
    /// <summary>Unique across the report: "{signatoryId}/{contributionId}"; what sums list.</summary>
    public string Key => SignatoryId + "/" + Id;

    /// <summary>The IATI identifier of the activity, when given (data files only).</summary>
    public string? IatiActivityId { get; init; }
}

/// <summary>One indicator result of a contribution, with the indicator's title and unit in the report's language.</summary>
public sealed record ReportedResult(string Indicator, string? IndicatorTitle, decimal? Value, string? Text, string? Unit, decimal? Target, string? Comment, SourceRef Source);

/// <summary>A non-confidential narrative, quoted with the organisation that wrote it.</summary>
public sealed record Quote(string SignatoryId, string Organisation, string Text, SourceRef Source);

public sealed record ReportingSignatory(string Id, string Name, SignatoryKind Kind, string KindLabel, int Version, DateTimeOffset ReceivedAt, string ReceivedAtLocal, bool Late, bool Included);

/// <summary>What the report could not use, named by signatory id and version only, never by content.</summary>
public sealed record DataQuality(
    IReadOnlyList<SkippedSubmission> Skipped,
    IReadOnlyList<string> UnknownSignatoryIds,
    int LateSubmissions,
    // Totals, in finals only (null, so left out, in drafts): two successive drafts must not pin a withheld item on
    // the organisation whose submission came in between.
    int? WithheldConfidentialContributions,
    int? WithheldConfidentialNarratives);

/// <summary>
/// Which versions the report uses and where the signatories stand in review: who waits for review (submitted or
/// resubmitted), who was returned, who is left out of a final because no version of theirs was accepted, and who is in it
/// with an older accepted version while a newer one waits. Ids, names and version numbers only; never a reason or a comment.
/// </summary>
public sealed record ReviewSummary(
    Cycles.ReportVersionPolicy VersionsUsed,
    Cycles.ReportVersionPolicy FinalUses,
    IReadOnlyList<ReviewListing> PendingReview,
    IReadOnlyList<ReviewListing> Returned,
    IReadOnlyList<ReviewListing> LeftOut,
    IReadOnlyList<ReviewListing> OlderAcceptedVersionUsed);

/// <summary>One signatory in <see cref="ReviewSummary"/>: its state, latest and accepted versions, and the version used (null: left out).</summary>
public sealed record ReviewListing(string SignatoryId, string Organisation, Reviews.ReviewState State, int LatestVersion, int? AcceptedVersion, int? UsedVersion);

/// <summary>A submission left out of the report; <see cref="Quarantined"/> when its content (not storage) was the reason.</summary>
public sealed record SkippedSubmission(string SubmissionId, string SignatoryId, int Version, string Reason)
{
    public bool Quarantined => SkipReasons.IsQuarantine(Reason);
}

/// <summary>One submission version that went into the report, identified by id, version and the keyed hash of its body.</summary>
/// <remarks><see cref="Redacted"/> says that a coordinator replaced free text in it after it was received: the report quotes the
/// redacted text. It names when and by whom, never the plain hashes (those are in the staff lineage).</remarks>
public sealed record LineageEntry(string SubmissionId, string SignatoryId, int Version, string KeyedHash, DateTimeOffset ReceivedAt, bool Late, bool Included,
    PublishedRedaction? Redacted = null);

/// <summary>A redaction as the published lineage states it: when (Europe/Amsterdam) and by which staff object id.</summary>
public sealed record PublishedRedaction(string On, string By);

/// <summary>
/// The staff's lineage of a report version (<c>GET …/report/{version}/lineage.json</c>, Nap.Reader; never published):
/// each submission with the plain SHA-256 of the bytes the signatory sent, as on their receipt, and the keyed hash the
/// published files carry for it.
/// </summary>
public sealed record StaffLineageEntry(string SubmissionId, string SignatoryId, int Version, string Sha256, string KeyedHash, string BlobName, bool Included,
    RedactionMark? Redacted = null);

/// <summary>Why a submission was skipped; the report and the log name only these codes.</summary>
public static class SkipReasons
{
    public const string Missing = "missing";
    public const string Invalid = "invalid";
    public const string HashMismatch = "hash-mismatch";
    /// <summary>The body holds characters an XML document cannot contain (U+FFFE, U+FFFF, unpaired surrogates, control characters).</summary>
    public const string Unwritable = "unwritable-characters";

    /// <summary>The body itself is the problem (unparseable, schema-invalid, unwritable): quarantined until it is replaced.</summary>
    public static bool IsQuarantine(string reason) => reason is Invalid or Unwritable;

    public static string Dutch(string reason) => reason switch
    {
        Missing => "bestand ontbreekt in de opslag",
        Invalid => "inhoud voldoet niet aan het rapportageformat",
        HashMismatch => "inhoud wijkt af van de ontvangen versie (SHA-256)",
        Unwritable => "inhoud bevat tekens die niet in het document kunnen staan",
        _ => reason,
    };

    public static string English(string reason) => reason switch
    {
        Missing => "file missing from storage",
        Invalid => "content does not meet the reporting format",
        HashMismatch => "content differs from the version received (SHA-256)",
        Unwritable => "content holds characters the document cannot contain",
        _ => reason,
    };
}

/// <summary>
/// What the coordinators wrote for the cycle's annex: an introduction and a section on governance, as markdown-like
/// plain text (paragraphs separated by blank lines, lines starting with "- " as list items). Null: not written.
/// </summary>
public sealed record CycleReportTexts(string? Introduction, string? Governance)
{
    public static readonly CycleReportTexts None = new(null, null);
}
