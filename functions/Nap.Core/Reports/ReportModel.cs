using Nap.Framework;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>A draft is recompiled whenever a submission arrives; a final is compiled when a coordinator asks for it.</summary>
public enum ReportKind { Draft, Final }

/// <summary>
/// Everything the yearly report says, in numbers and quoted text, with the lineage of the submissions it was built from.
/// A pure function of its inputs: no clock, no machine, no input order reaches it.
/// </summary>
public sealed record CompiledReport(
    string FormatVersion,
    string CycleId,
    ReportKind Kind,
    string Title,
    DateOnly ReportDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string FrameworkVersion,
    bool SampleFramework,
    string InputHash,
    ReportTotals Totals,
    Completeness Completeness,
    IReadOnlyList<GoalSection> Goals,
    IReadOnlyList<ReportingSignatory> Signatories,
    DataQuality DataQuality,
    IReadOnlyList<LineageEntry> Lineage);

public sealed record ReportTotals(
    int Contributions,
    int NationalContributions,
    int InternationalContributions,
    int Signatories,
    int CountriesReached,
    decimal BudgetSpentEur);

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
    IReadOnlyList<Quote> Lessons,
    IReadOnlyList<ContributionLine> Contributions);

/// <summary>
/// Figures for one goal and one focus. A contribution with both foci counts in both, and once in the goal's total;
/// so national + international can exceed the total.
/// </summary>
public sealed record GoalFigures(
    FigureScope Scope,
    int Contributions,
    int Signatories,
    int CountriesReached,
    IReadOnlyList<string> Countries,
    decimal BudgetSpentEur,
    IReadOnlyList<IndicatorFigures> Indicators);

public enum FigureScope { Total, National, International }

/// <summary>
/// Results on one indicator: summed (with the sum of the targets given) where the framework allows it,
/// listed per organisation otherwise.
/// </summary>
public sealed record IndicatorFigures(
    string Code,
    string Outcome,
    string Title,
    IndicatorKind Kind,
    string? Unit,
    bool Summable,
    int Results,
    decimal? Sum,
    decimal? TargetSum,
    int TargetsReported,
    IReadOnlyList<IndicatorListing> Listed);

public sealed record IndicatorListing(string SignatoryId, string Organisation, string ContributionTitle, decimal? Value, string? Text, decimal? Target);

/// <summary>A non-confidential contribution as the report shows it.</summary>
public sealed record ContributionLine(
    string Goal,
    string SignatoryId,
    string Organisation,
    int Position,
    string Title,
    string? Description,
    IReadOnlyList<Focus> Focus,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<IndicatorResult> IndicatorResults,
    decimal? BudgetSpentEur,
    IReadOnlyList<string> Partners)
{
    /// <summary>The IATI identifier of the activity, when given (data files only).</summary>
    public string? IatiActivityId { get; init; }
    /// <summary>Public sources, when given (data files only); null rather than empty, so older reports keep their bytes.</summary>
    public IReadOnlyList<string>? Links { get; init; }
}

/// <summary>A non-confidential narrative, quoted with the organisation that wrote it.</summary>
public sealed record Quote(string SignatoryId, string Organisation, string Text);

public sealed record ReportingSignatory(string Id, string Name, string Kind, int Version, DateTimeOffset ReceivedAt, string ReceivedAtLocal, bool Late, bool Included);

/// <summary>What the report could not use, named by signatory id and version only, never by content.</summary>
public sealed record DataQuality(
    IReadOnlyList<SkippedSubmission> Skipped,
    IReadOnlyList<string> UnknownSignatoryIds,
    int LateSubmissions,
    int WithheldConfidentialContributions,
    int WithheldConfidentialNarratives);

public sealed record SkippedSubmission(string SubmissionId, string SignatoryId, int Version, string Reason);

/// <summary>One submission version that went into the report, identified by id, version and SHA-256 of its body.</summary>
public sealed record LineageEntry(string SubmissionId, string SignatoryId, int Version, string Sha256, DateTimeOffset ReceivedAt, bool Late, bool Included);

/// <summary>Why a submission was skipped; the report and the log name only these codes.</summary>
public static class SkipReasons
{
    public const string Missing = "missing";
    public const string Invalid = "invalid";
    public const string HashMismatch = "hash-mismatch";

    public static string Dutch(string reason) => reason switch
    {
        Missing => "bestand ontbreekt in de opslag",
        Invalid => "inhoud voldoet niet aan het rapportageformat",
        HashMismatch => "inhoud wijkt af van de ontvangen versie (SHA-256)",
        _ => reason,
    };
}
