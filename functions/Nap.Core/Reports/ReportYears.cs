using System.Text.Json.Serialization;
using Nap.Cycles;
using Nap.Framework;
using Nap.Reviews;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>An earlier cycle of the plan and the submission versions the report uses from it.</summary>
public sealed record EarlierCycle(ReportingCycle Cycle, IReadOnlyList<SubmissionVersion> Submissions);

/// <summary>
/// The plan's years side by side: the cycles of the plan up to this one (oldest first, this one last), per goal the
/// summable indicators reported in more than one of them, and every continuing contribution (same signatory and
/// contribution id in this cycle and an earlier one) with its values per year. Null in a report without earlier cycles.
/// </summary>
public sealed record YearsSideBySide(
    string? Plan,
    IReadOnlyList<string> Cycles,
    IReadOnlyList<GoalYears> Goals,
    IReadOnlyList<ContinuingContribution> Contributions,
    IReadOnlyList<LineageEntry> EarlierLineage,
    IReadOnlyList<SkippedSubmission> EarlierSkipped);

/// <summary>One goal's summable indicators that have a value in at least two cycles.</summary>
public sealed record GoalYears(string Code, string Title, IReadOnlyList<IndicatorYears> Indicators);

/// <summary>One indicator's sum per cycle, in the order of <see cref="YearsSideBySide.Cycles"/>; a sum is null where nobody reported a value.</summary>
public sealed record IndicatorYears(string Code, string Title, string? Unit, IReadOnlyList<CycleSum> Cycles);

public sealed record CycleSum(string Cycle, ReportedSum Sum);

/// <summary>A contribution reported in this cycle and at least one earlier one, with what it reported each year.</summary>
public sealed record ContinuingContribution(string SignatoryId, string Organisation, string ContributionId, string Goal, string Title, IReadOnlyList<ContributionYear> Years);

/// <summary>
/// One year of a continuing contribution: its goal that year, budget and indicator values, and the submission they came from.
/// </summary>
public sealed record ContributionYear(
    string Cycle,
    string Goal,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? BudgetSpentEur,
    IReadOnlyList<YearResult> Results,
    SourceRef Source);

public sealed record YearResult(string Indicator, decimal? Value, decimal? Target);

/// <summary>
/// Collects what the years side by side need from earlier cycles: per non-confidential contribution only its goal, id,
/// budget and indicator values (no text), so earlier years cost little memory. Thread-safe, order-free like the aggregator.
/// </summary>
internal sealed class YearsAggregator(IReadOnlyList<EarlierCycle> earlier, PublishedHash publishedHash)
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);

    internal sealed record Entry(string Cycle, string SignatoryId, string ContributionId, string Goal, decimal? Budget, IReadOnlyList<YearResult> Results, SourceRef Source);

    public bool Any => earlier.Count > 0;

    public void Add(SubmissionVersion version, SubmissionDocument document)
    {
        var r = version.Receipt;
        var source = new SourceRef(r.SubmissionId, r.Version, publishedHash.Of(r.Sha256));
        var entries = new List<Entry>();
        foreach (var goal in document.Goals)
            foreach (var c in goal.Contributions)
                if (!c.Confidential)
                    entries.Add(new Entry(r.CycleId, r.SignatoryId, c.Id, goal.Goal, c.BudgetSpentEur,
                        c.IndicatorResults.Select(x => new YearResult(x.Indicator, x.Value, x.Target)).ToList(), source));
        lock (_gate) _entries.AddRange(entries);
    }

    public void Skip(SubmissionVersion version, string reason)
    {
        lock (_gate) _skipped[version.Receipt.SubmissionId] = reason;
    }

    /// <summary>The years side by side, with this cycle's contributions; null without earlier cycles.</summary>
    public YearsSideBySide? Build(ReportInputs inputs, IReadOnlyList<ContributionLine> current, Func<string, string> organisationOf)
    {
        if (!Any) return null;
        var framework = inputs.Framework;
        var language = inputs.Language;
        var cycles = earlier.Select(e => e.Cycle.Id).Append(inputs.Cycle.Id).ToList();
        var all = _entries
            .Concat(current.Select(l => new Entry(inputs.Cycle.Id, l.SignatoryId, l.Id, l.Goal, l.BudgetSpentEur,
                l.IndicatorResults.Select(x => new YearResult(x.Indicator, x.Value, x.Target)).ToList(), l.Source)))
            .ToList();

        var goals = framework.Goals.Select(goal =>
        {
            var indicators = new List<IndicatorYears>();
            foreach (var indicator in goal.Outcomes.SelectMany(o => o.Indicators))
            {
                if (indicator.Kind != IndicatorKind.Quantitative || !indicator.Summable) continue;
                var sums = cycles.Select(cycle =>
                {
                    var results = all.Where(e => e.Cycle == cycle && e.Goal == goal.Code)
                        .SelectMany(e => e.Results.Where(x => x.Indicator == indicator.Code).Select(x => (Entry: e, Result: x)))
                        .OrderBy(x => x.Entry.SignatoryId, StringComparer.Ordinal).ThenBy(x => x.Entry.ContributionId, StringComparer.Ordinal)
                        .ToList();
                    var reported = results.Where(x => x.Result.Value is not null).ToList();
                    return new CycleSum(cycle, new ReportedSum(reported.Count == 0 ? null : reported.Sum(x => x.Result.Value!.Value), reported.Count, results.Count,
                        reported.Select(x => x.Entry.SignatoryId + "/" + x.Entry.ContributionId).Distinct(StringComparer.Ordinal).ToList()));
                }).ToList();
                // Only indicators reported in more than one of the plan's years: one year alone is not a comparison.
                if (sums.Count(s => s.Sum.Sum is not null) < 2) continue;
                var unit = indicator.Unit is null ? null : framework.FindUnit(indicator.Unit)?.Title.In(language) ?? indicator.Unit;
                indicators.Add(new IndicatorYears(indicator.Code, indicator.Title.In(language), unit, sums));
            }
            return new GoalYears(goal.Code, goal.Title.In(language), indicators);
        }).ToList();

        var cycleOrder = cycles.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var byKey = all.GroupBy(e => (e.SignatoryId, e.ContributionId)).ToDictionary(g => g.Key, g => g.OrderBy(e => cycleOrder[e.Cycle]).ToList());
        // In the order of the report's contributions (goal, organisation, position): the same inputs, the same list.
        var contributions = current
            .Where(l => byKey[(l.SignatoryId, l.Id)].Any(e => e.Cycle != inputs.Cycle.Id))
            .Select(l => new ContinuingContribution(l.SignatoryId, organisationOf(l.SignatoryId), l.Id, l.Goal, l.Title,
                byKey[(l.SignatoryId, l.Id)].Select(e => new ContributionYear(e.Cycle, e.Goal, e.Budget, e.Results, e.Source)).ToList()))
            .ToList();

        var lineage = earlier.SelectMany(e => e.Submissions)
            .Select(s => new LineageEntry(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version, inputs.PublishedHash.Of(s.Receipt.Sha256),
                s.Receipt.ReceivedAt.ToUniversalTime(), s.Receipt.Late, !_skipped.ContainsKey(s.Receipt.SubmissionId)))
            .ToList();
        var skipped = earlier.SelectMany(e => e.Submissions).Where(s => _skipped.ContainsKey(s.Receipt.SubmissionId))
            .Select(s => new SkippedSubmission(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version, _skipped[s.Receipt.SubmissionId]))
            .ToList();
        return new YearsSideBySide(framework.Plan?.Name, cycles, goals, contributions, lineage, skipped);
    }
}

/// <summary>
/// Which earlier cycles and which of their submission versions the years side by side are built from.
/// </summary>
public sealed class ReportHistory(ICycleStore cycles, ISubmissionIndex index, ResultsFramework framework, IReviewStore? reviews = null)
{
    /// <summary>
    /// The plan's cycles before <paramref name="current"/>, oldest first, each with the versions it uses. Only cycles whose
    /// period lies within the framework's plan (<c>GET /api/framework</c>'s <c>plan</c>) count; none when the current
    /// cycle itself lies outside it. Without a plan in the framework every earlier cycle counts.
    /// </summary>
    public async Task<IReadOnlyList<EarlierCycle>> EarlierCyclesAsync(ReportingCycle current, CancellationToken cancellationToken = default)
    {
        var plan = framework.Plan;
        if (plan is not null && !plan.Covers(current.PeriodStart, current.PeriodEnd)) return [];
        var earlier = (await cycles.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => c.Id != current.Id && c.PeriodEnd < current.PeriodStart && (plan is null || plan.Covers(c.PeriodStart, c.PeriodEnd)))
            .OrderBy(c => c.PeriodStart).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var used = await Task.WhenAll(earlier.Select(c => UsedVersionsAsync(c.Id, cancellationToken))).ConfigureAwait(false);
        return earlier.Select((c, i) => new EarlierCycle(c, used[i])).ToList();
    }

    /// <summary>
    /// The one rule for the version of each signatory a report uses from a cycle: its latest accepted version when a
    /// review accepted one, else its latest version.
    /// </summary>
    public async Task<IReadOnlyList<SubmissionVersion>> UsedVersionsAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var latest = await index.ListLatestAsync(cycleId, cancellationToken).ConfigureAwait(false);
        if (reviews is null) return latest;
        var states = await reviews.ListAsync(cycleId, cancellationToken).ConfigureAwait(false);
        var used = new List<SubmissionVersion>(latest.Count);
        foreach (var version in latest)
        {
            var accepted = states.TryGetValue(version.Receipt.SignatoryId, out var state) ? state.AcceptedVersion : null;
            if (accepted is { } a && a != version.Receipt.Version
                && await index.GetVersionAsync(cycleId, version.Receipt.SignatoryId, a, cancellationToken).ConfigureAwait(false) is { } acceptedVersion)
                used.Add(acceptedVersion);
            else used.Add(version);
        }
        return used;
    }
}
