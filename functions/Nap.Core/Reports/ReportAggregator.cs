using Nap.Api;
using Nap.Framework;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Collects what the report shows while submissions stream in, in any order and from several threads, and keeps
/// nothing else: the parsed documents are dropped as soon as their non-confidential content is taken.
/// <see cref="Build"/> sorts everything, so the result does not depend on arrival order.
/// </summary>
public sealed class ReportAggregator
{
    private readonly ReportInputs _inputs;
    private readonly Dictionary<string, Signatory> _registry;
    private readonly Dictionary<string, int> _goalOrder;
    private readonly Lock _gate = new();
    private readonly List<ContributionLine> _lines = [];
    private readonly List<(string Goal, string Kind, Quote Quote)> _quotes = [];
    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);
    private int _withheldContributions;
    private int _withheldNarratives;

    public ReportAggregator(ReportInputs inputs)
    {
        _inputs = inputs;
        _registry = inputs.Registry.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _goalOrder = inputs.Framework.Goals.Select((g, i) => (g.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
    }

    public string OrganisationOf(string signatoryId) => _registry.TryGetValue(signatoryId, out var s) ? s.Name : signatoryId;

    /// <summary>Takes the non-confidential content of one parsed submission.</summary>
    public void Add(SubmissionVersion version, SubmissionDocument document)
    {
        var signatoryId = version.Receipt.SignatoryId;
        var organisation = OrganisationOf(signatoryId);
        var lines = new List<ContributionLine>();
        var quotes = new List<(string, string, Quote)>();
        int withheldContributions = 0, withheldNarratives = 0;
        foreach (var goal in document.Goals)
        {
            for (var i = 0; i < goal.Contributions.Count; i++)
            {
                var c = goal.Contributions[i];
                if (c.Confidential) { withheldContributions++; continue; }
                lines.Add(new ContributionLine(goal.Goal, signatoryId, organisation, i, c.Title, c.Description, c.Focus, c.Countries, c.Outcomes,
                    c.IndicatorResults, c.BudgetSpentEur, c.Partners) { IatiActivityId = c.IatiActivityId, Links = c.Links.Count > 0 ? c.Links : null });
            }
            foreach (var (kind, narrative) in new[] { ("highlights", goal.Narratives.Highlights), ("lessons", goal.Narratives.Lessons), ("challenges", goal.Narratives.Challenges) })
            {
                if (narrative is null) continue;
                if (narrative.Confidential) { withheldNarratives++; continue; }
                // Challenges are not quoted in the report (the issue asks for highlights and lessons); they are not counted as withheld either.
                if (kind != "challenges") quotes.Add((goal.Goal, kind, new Quote(signatoryId, organisation, narrative.Text)));
            }
        }
        lock (_gate)
        {
            _lines.AddRange(lines);
            _quotes.AddRange(quotes);
            _withheldContributions += withheldContributions;
            _withheldNarratives += withheldNarratives;
        }
    }

    /// <summary>Notes a submission that could not be used; only its id, version and a reason code are kept.</summary>
    public void Skip(SubmissionVersion version, string reason)
    {
        lock (_gate) _skipped[version.Receipt.SubmissionId] = reason;
    }

    public CompiledReport Build()
    {
        var framework = _inputs.Framework;
        var cycle = _inputs.Cycle;
        var byOrganisation = Comparer<(string Organisation, string SignatoryId)>.Create((a, b) =>
        {
            var c = string.Compare(a.Organisation, b.Organisation, StringComparison.OrdinalIgnoreCase);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Organisation, b.Organisation);
            return c != 0 ? c : string.CompareOrdinal(a.SignatoryId, b.SignatoryId);
        });

        var lines = _lines
            .OrderBy(l => _goalOrder[l.Goal])
            .ThenBy(l => (l.Organisation, l.SignatoryId), byOrganisation)
            .ThenBy(l => l.Position)
            .ToList();

        var goals = framework.Goals.Select(goal =>
        {
            var goalLines = lines.Where(l => l.Goal == goal.Code).ToList();
            List<Quote> Quotes(string kind) => _quotes.Where(q => q.Goal == goal.Code && q.Kind == kind).Select(q => q.Quote)
                .OrderBy(q => (q.Organisation, q.SignatoryId), byOrganisation).ToList();
            return new GoalSection(goal.Code, goal.Title.Nl,
                Figures(goal, FigureScope.Total, goalLines),
                Figures(goal, FigureScope.National, goalLines.Where(l => l.Focus.Contains(Focus.National)).ToList()),
                Figures(goal, FigureScope.International, goalLines.Where(l => l.Focus.Contains(Focus.International)).ToList()),
                Quotes("highlights"), Quotes("lessons"), goalLines);
        }).ToList();

        var totals = new ReportTotals(
            lines.Count,
            lines.Count(l => l.Focus.Contains(Focus.National)),
            lines.Count(l => l.Focus.Contains(Focus.International)),
            lines.Select(l => l.SignatoryId).Distinct(StringComparer.Ordinal).Count(),
            lines.SelectMany(l => l.Countries).Distinct(StringComparer.Ordinal).Count(),
            lines.Sum(l => l.BudgetSpentEur ?? 0m));

        var submissions = _inputs.Submissions;
        var active = _inputs.Registry.Where(s => s.Active).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var submitted = submissions.Select(s => s.Receipt.SignatoryId).ToHashSet(StringComparer.Ordinal);
        var submittedByExpected = active.Count(submitted.Contains);
        var missing = active.Where(id => !submitted.Contains(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        var completeness = new Completeness(active.Count, submissions.Count, submittedByExpected, submissions.Count(s => s.Receipt.Late), missing.Count,
            active.Count == 0 ? 0m : Math.Round(100m * submittedByExpected / active.Count, 1, MidpointRounding.AwayFromZero), missing);

        var signatories = submissions
            .Select(s => new ReportingSignatory(s.Receipt.SignatoryId, OrganisationOf(s.Receipt.SignatoryId),
                _registry.TryGetValue(s.Receipt.SignatoryId, out var reg) ? KindLabel(reg.Kind) : "Onbekend",
                s.Receipt.Version, s.Receipt.ReceivedAt.ToUniversalTime(), AmsterdamTime.Format(s.Receipt.ReceivedAt), s.Receipt.Late, !_skipped.ContainsKey(s.Receipt.SubmissionId)))
            .OrderBy(s => (s.Name, s.Id), byOrganisation)
            .ToList();

        var skipped = submissions.Where(s => _skipped.ContainsKey(s.Receipt.SubmissionId))
            .Select(s => new SkippedSubmission(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version, _skipped[s.Receipt.SubmissionId]))
            .ToList();
        var unknown = submissions.Select(s => s.Receipt.SignatoryId).Where(id => !_registry.ContainsKey(id)).ToList();
        var dataQuality = new DataQuality(skipped, unknown, completeness.Late, _withheldContributions, _withheldNarratives);

        var lineage = submissions
            .Select(s => new LineageEntry(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version, s.Receipt.Sha256,
                s.Receipt.ReceivedAt.ToUniversalTime(), s.Receipt.Late, !_skipped.ContainsKey(s.Receipt.SubmissionId)))
            .ToList();

        // The report is dated by its newest input, never by the clock: a re-run gives the same bytes.
        var reportDate = submissions.Count == 0
            ? DateOnly.FromDateTime(cycle.Deadline)
            : DateOnly.FromDateTime(AmsterdamTime.ToLocal(submissions.Max(s => s.Receipt.ReceivedAt)).DateTime);

        return new CompiledReport(ReportInputs.FormatVersion, cycle.Id, _inputs.Kind, $"Bijlage bij de Voortgangsrapportage NAP-IV {cycle.Id}",
            reportDate, cycle.PeriodStart, cycle.PeriodEnd, framework.Version, framework.IsSample, _inputs.InputHash,
            totals, completeness, goals, signatories, dataQuality, lineage);
    }

    private GoalFigures Figures(StrategicGoal goal, FigureScope scope, IReadOnlyList<ContributionLine> lines)
    {
        var indicators = new List<IndicatorFigures>();
        foreach (var outcome in goal.Outcomes)
        {
            foreach (var indicator in outcome.Indicators)
            {
                var results = lines.SelectMany(l => l.IndicatorResults.Where(r => r.Indicator == indicator.Code).Select(r => (Line: l, Result: r))).ToList();
                var unit = indicator.Unit is null ? null : _inputs.Framework.FindUnit(indicator.Unit)?.Title.Nl ?? indicator.Unit;
                var targets = results.Where(r => r.Result.Target is not null).ToList();
                var summed = indicator.Kind == IndicatorKind.Quantitative && indicator.Summable;
                indicators.Add(new IndicatorFigures(
                    indicator.Code, outcome.Code, indicator.Title.Nl, indicator.Kind, unit, summed, results.Count,
                    summed && results.Count > 0 ? results.Sum(r => r.Result.Value ?? 0m) : null,
                    summed && targets.Count > 0 ? targets.Sum(r => r.Result.Target!.Value) : null,
                    targets.Count,
                    summed ? [] : results.Select(r => new IndicatorListing(r.Line.SignatoryId, r.Line.Organisation, r.Line.Title, r.Result.Value, r.Result.Text, r.Result.Target)).ToList()));
            }
        }
        return new GoalFigures(scope, lines.Count,
            lines.Select(l => l.SignatoryId).Distinct(StringComparer.Ordinal).Count(),
            lines.SelectMany(l => l.Countries).Distinct(StringComparer.Ordinal).Count(),
            lines.SelectMany(l => l.Countries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            lines.Sum(l => l.BudgetSpentEur ?? 0m),
            indicators);
    }

    public static string KindLabel(SignatoryKind kind) => kind switch
    {
        SignatoryKind.Ministry => "Ministerie",
        SignatoryKind.CivilSocietyOrganisation => "Maatschappelijke organisatie",
        SignatoryKind.KnowledgeInstitution => "Kennisinstelling",
        _ => "Overig",
    };
}
