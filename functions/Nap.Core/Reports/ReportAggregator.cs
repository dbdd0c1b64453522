using Nap.Api;
using Nap.Countries;
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
    private readonly CountryCatalog _countries;
    private readonly ReportLanguage _language;
    private readonly Dictionary<string, Signatory> _registry;
    private readonly Dictionary<string, int> _goalOrder;
    private readonly Lock _gate = new();
    // Per contribution and quote only what it is sorted by and where its record is: no object each while bodies stream in.
    private readonly List<Placed> _lines = [];
    private readonly List<(int Goal, NarrativeKind Kind, string SignatoryId, string Organisation, ReportSpill.Slot Slot)> _quotes = [];

    private readonly record struct Placed(int Goal, string Organisation, string SignatoryId, int Position, ReportSpill.Slot Slot);
    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);
    // The keyed hash of each version taken, so the lineage shares the string its sources carry.
    private readonly Dictionary<string, string> _keyedHashes = new(StringComparer.Ordinal);
    private int _withheldContributions;
    private int _withheldNarratives;
    private readonly YearsAggregator _years;
    // The full texts wait on disk; the lists above hold compact copies (see ReportSpill).
    private readonly ReportSpill _spill;

    private enum NarrativeKind { Highlights, Challenges, Lessons }

    public ReportAggregator(ReportInputs inputs, CountryCatalog countries)
    {
        _inputs = inputs;
        _countries = countries;
        _language = ReportLanguage.For(inputs.Language);
        _registry = inputs.Registry.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _goalOrder = inputs.Framework.Goals.Select((g, i) => (g.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        _years = new YearsAggregator(inputs.EarlierCycles, inputs.PublishedHash);
        _spill = new ReportSpill(code => inputs.Framework.TryGetIndicator(code, out _, out _, out var i) && i.Kind == IndicatorKind.Quantitative && i.Summable,
            keepTitles: inputs.EarlierCycles.Count > 0);
    }

    /// <summary>Takes the figures of a submission of an earlier cycle, for the years side by side (no text is kept).</summary>
    public void AddEarlier(SubmissionVersion version, SubmissionDocument document) => _years.Add(version, document);

    /// <summary>Notes a submission of an earlier cycle that could not be used.</summary>
    public void SkipEarlier(SubmissionVersion version, string reason) => _years.Skip(version, reason);

    public string OrganisationOf(string signatoryId) => _registry.TryGetValue(signatoryId, out var s) ? s.Name : signatoryId;

    private SignatoryKind KindOf(string signatoryId) => _registry.TryGetValue(signatoryId, out var s) ? s.Kind : SignatoryKind.Other;

    /// <summary>
    /// The one place where a parsed contribution becomes what the report knows of it: its id and its links.
    /// </summary>

    /// <summary>Takes the non-confidential content of one parsed submission.</summary>
    public void Add(SubmissionVersion version, SubmissionDocument document)
    {
        var signatoryId = version.Receipt.SignatoryId;
        var organisation = OrganisationOf(signatoryId);
        var kind = KindOf(signatoryId);
        var source = new SourceRef(version.Receipt.SubmissionId, version.Receipt.Version, _inputs.PublishedHash.Of(version.Receipt.Sha256));
        var framework = _inputs.Framework;
        var lines = new List<Placed>();
        var quotes = new List<(int, NarrativeKind, string, string, ReportSpill.Slot)>();
        int withheldContributions = 0, withheldNarratives = 0;
        foreach (var goal in document.Goals)
        {
            // Positions and derived ids count only what is published, so no gap shows where a confidential item was.
            var explicitIds = goal.Contributions.Select((c, i) => (c, i))
                .Where(x => !x.c.Confidential && x.c.Id != SubmissionRules.DerivedContributionId(goal.Goal, x.i)).Select(x => x.c.Id).ToHashSet(StringComparer.Ordinal);
            var position = 0;
            for (var i = 0; i < goal.Contributions.Count; i++)
            {
                var c = goal.Contributions[i];
                if (c.Confidential) { withheldContributions++; continue; }
                var id = c.Id;
                if (id == SubmissionRules.DerivedContributionId(goal.Goal, i))
                {
                    // Derived from its place among the published ones ("G1-1" after a withheld first item); the same
                    // id as before when nothing was withheld. Past an explicit id it would repeat, it moves on.
                    var n = position;
                    while (explicitIds.Contains(id = SubmissionRules.DerivedContributionId(goal.Goal, n))) n++;
                    explicitIds.Add(id);
                }
                var results = c.IndicatorResults.Select(r =>
                {
                    var title = framework.TryGetIndicator(r.Indicator, out _, out _, out var indicator) ? indicator.Title.In(_language.Code) : null;
                    var unit = r.Unit is null ? null : framework.FindUnit(r.Unit)?.Title.In(_language.Code) ?? r.Unit;
                    return new ReportedResult(r.Indicator, title, r.Value, r.Text, unit, r.Target, r.Comment, source);
                }).ToList();
                // The parser gives every contribution its id (derived "{goal}-{n}" for versions stored before ids existed).
                var slot = _spill.Contribution(new ContributionLine(id, goal.Goal, signatoryId, organisation, kind, position, c.Title, c.Description, c.Focus,
                    c.Countries.Where(code => !IsRegion(code)).ToList(), c.Countries.Where(IsRegion).ToList(), c.Outcomes,
                    results, c.BudgetSpentEur, c.Partners, c.Links, source) { IatiActivityId = c.IatiActivityId });
                lines.Add(new Placed(_goalOrder[goal.Goal], organisation, signatoryId, position++, slot));
            }
            foreach (var (narrativeKind, narrative) in new[] { (NarrativeKind.Highlights, goal.Narratives.Highlights), (NarrativeKind.Challenges, goal.Narratives.Challenges), (NarrativeKind.Lessons, goal.Narratives.Lessons) })
            {
                if (narrative is null) continue;
                if (narrative.Confidential) { withheldNarratives++; continue; }
                quotes.Add((_goalOrder[goal.Goal], narrativeKind, signatoryId, organisation, _spill.Quote(new Quote(signatoryId, organisation, narrative.Text, source))));
            }
        }
        lock (_gate)
        {
            _keyedHashes[version.Receipt.SubmissionId] = source.KeyedHash;
            _lines.AddRange(lines);
            _quotes.AddRange(quotes);
            _withheldContributions += withheldContributions;
            _withheldNarratives += withheldNarratives;
        }
    }

    private bool IsRegion(string code) => _countries.Find(code)?.Kind == "region";

    /// <summary>Notes a submission that could not be used; only its id, version and a reason code are kept.</summary>
    public void Skip(SubmissionVersion version, string reason)
    {
        lock (_gate) _skipped[version.Receipt.SubmissionId] = reason;
    }

    public CompiledReport Build()
    {
        var framework = _inputs.Framework;
        var cycle = _inputs.Cycle;
        var language = _language;
        var byOrganisation = Comparer<(string Organisation, string SignatoryId)>.Create((a, b) =>
        {
            var c = string.Compare(a.Organisation, b.Organisation, StringComparison.OrdinalIgnoreCase);
            if (c != 0) return c;
            c = string.CompareOrdinal(a.Organisation, b.Organisation);
            return c != 0 ? c : string.CompareOrdinal(a.SignatoryId, b.SignatoryId);
        });

        _spill.Flush();
        var sorted = _lines
            .OrderBy(l => l.Goal)
            .ThenBy(l => (l.Organisation, l.SignatoryId), byOrganisation)
            .ThenBy(l => l.Position)
            .ToList();

        // Goal by goal, from compact copies read back: only one goal's are held at a time, unless the years side by
        // side need every contribution. The totals add up in the same order as the goals' lists.
        var every = _years.Any ? new List<ContributionLine>() : null;
        int total = 0, national = 0, international = 0, budgetReported = 0;
        var budget = 0m;
        var budgetKeys = new List<string>();
        var signatoryIds = new HashSet<string>(StringComparer.Ordinal);
        var countryCodes = new HashSet<string>(StringComparer.Ordinal);
        var regionCodes = new HashSet<string>(StringComparer.Ordinal);
        var goals = framework.Goals.Select((goal, g) =>
        {
            var goalSlots = sorted.Where(l => l.Goal == g).Select(l => l.Slot).ToArray();
            var goalLines = goalSlots.Select(_spill.Compact).ToList();
            every?.AddRange(goalLines);
            foreach (var l in goalLines)
            {
                total++;
                if (l.Focus.Contains(Focus.National)) national++;
                if (l.Focus.Contains(Focus.International)) international++;
                signatoryIds.Add(l.SignatoryId);
                countryCodes.UnionWith(l.CountryCodes);
                regionCodes.UnionWith(l.RegionCodes);
                if (l.BudgetSpentEur is not { } spent) continue;
                budgetReported++;
                budget += spent;
                budgetKeys.Add(KeyOf(l));
            }
            IReadOnlyList<Quote> Quotes(NarrativeKind kind) => _spill.Quotes(_quotes.Where(q => q.Goal == g && q.Kind == kind)
                .OrderBy(q => (q.Organisation, q.SignatoryId), byOrganisation).Select(q => q.Slot).ToArray());
            return new GoalSection(goal.Code, goal.Title.In(language.Code),
                Figures(goal, FigureScope.Total, goalLines),
                Figures(goal, FigureScope.National, goalLines.Where(l => l.Focus.Contains(Focus.National)).ToList()),
                Figures(goal, FigureScope.International, goalLines.Where(l => l.Focus.Contains(Focus.International)).ToList()),
                Quotes(NarrativeKind.Highlights), Quotes(NarrativeKind.Challenges), Quotes(NarrativeKind.Lessons), _spill.Contributions(goalSlots));
        }).ToList();

        var totals = new ReportTotals(total, national, international, signatoryIds.Count, countryCodes.Count, regionCodes.Count,
            new ReportedSum(budgetReported == 0 ? null : budget, budgetReported, total, budgetKeys));

        var submissions = _inputs.Submissions;
        var active = _inputs.Registry.Where(s => s.Active).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var submitted = submissions.Select(s => s.Receipt.SignatoryId).ToHashSet(StringComparer.Ordinal);
        var submittedByExpected = active.Count(submitted.Contains);
        // A signatory left out of a final for want of an accepted version did submit: listed under review, not as missing.
        submitted.UnionWith(_inputs.Review.Signatories.Select(r => r.SignatoryId));
        var missing = active.Where(id => !submitted.Contains(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        var completeness = new Completeness(active.Count, submissions.Count, submittedByExpected, submissions.Count(s => s.Receipt.Late), missing.Count,
            active.Count == 0 ? 0m : Math.Round(100m * submittedByExpected / active.Count, 1, MidpointRounding.AwayFromZero), missing);

        var signatories = submissions
            .Select(s =>
            {
                var kind = KindOf(s.Receipt.SignatoryId);
                return new ReportingSignatory(s.Receipt.SignatoryId, OrganisationOf(s.Receipt.SignatoryId), kind,
                    _registry.ContainsKey(s.Receipt.SignatoryId) ? KindLabel(kind, language) : language.T("Onbekend", "Unknown"),
                    s.Receipt.Version, s.Receipt.ReceivedAt.ToUniversalTime(), AmsterdamTime.Format(s.Receipt.ReceivedAt), s.Receipt.Late, !_skipped.ContainsKey(s.Receipt.SubmissionId));
            })
            .OrderBy(s => (s.Name, s.Id), byOrganisation)
            .ToList();

        var skipped = submissions.Where(s => _skipped.ContainsKey(s.Receipt.SubmissionId))
            .Select(s => new SkippedSubmission(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version, _skipped[s.Receipt.SubmissionId]))
            .ToList();
        var unknown = submissions.Select(s => s.Receipt.SignatoryId).Where(id => !_registry.ContainsKey(id)).ToList();
        var final = _inputs.Kind == ReportKind.Final;
        var dataQuality = new DataQuality(skipped, unknown, completeness.Late, final ? _withheldContributions : null, final ? _withheldNarratives : null);

        var review = ReviewSummaryOf(byOrganisation);

        var lineage = submissions
            .Select(s => new LineageEntry(s.Receipt.SubmissionId, s.Receipt.SignatoryId, s.Receipt.Version,
                _keyedHashes.TryGetValue(s.Receipt.SubmissionId, out var keyed) ? keyed : _inputs.PublishedHash.Of(s.Receipt.Sha256),
                s.Receipt.ReceivedAt.ToUniversalTime(), s.Receipt.Late, !_skipped.ContainsKey(s.Receipt.SubmissionId),
                s.Redacted is { } r ? new PublishedRedaction(r.On, r.By) : null))
            .ToList();

        // The report is dated by its newest input, never by the clock: a re-run gives the same bytes.
        var reportDate = submissions.Count == 0
            ? DateOnly.FromDateTime(cycle.Deadline)
            : DateOnly.FromDateTime(AmsterdamTime.ToLocal(submissions.Max(s => s.Receipt.ReceivedAt)).DateTime);

        return new CompiledReport(ReportInputs.FormatVersion, cycle.Id, _inputs.Kind, language.Code,
            language.T($"Bijlage bij de Voortgangsrapportage NAP-IV {cycle.Id}", $"Annex to the NAP-IV Progress Report {cycle.Id}"),
            reportDate, cycle.PeriodStart, cycle.PeriodEnd, framework.Version, framework.IsSample, _inputs.InputHash,
            new KeyedHashInfo(PublishedHash.Algorithm, _inputs.PublishedHash.KeyId), _inputs.Texts,
            totals, completeness, goals, signatories, dataQuality, review, lineage, _years.Build(_inputs, every ?? [], OrganisationOf)) { Spill = Sealed() };
    }

    private ReportSpill Sealed()
    {
        _spill.Seal();
        return _spill;
    }

    private ReviewSummary ReviewSummaryOf(IComparer<(string Organisation, string SignatoryId)> byOrganisation)
    {
        var listed = _inputs.Review.Signatories
            .Select(r => new ReviewListing(r.SignatoryId, OrganisationOf(r.SignatoryId), r.State, r.LatestVersion, r.AcceptedVersion, r.UsedVersion))
            .OrderBy(r => (r.Organisation, r.SignatoryId), byOrganisation)
            .ToList();
        return new ReviewSummary(_inputs.Review.VersionsUsed, _inputs.Review.FinalUses,
            listed.Where(r => r.State is Reviews.ReviewState.Submitted or Reviews.ReviewState.Resubmitted).ToList(),
            listed.Where(r => r.State == Reviews.ReviewState.Returned).ToList(),
            listed.Where(r => r.UsedVersion is null).ToList(),
            listed.Where(r => r.UsedVersion is { } used && used < r.LatestVersion).ToList());
    }

    /// <summary>The sum over the lines that reported a value; null when none did.</summary>
    private ReportedSum Sum(IReadOnlyList<ContributionLine> lines, Func<ContributionLine, decimal?> value)
    {
        var reported = lines.Where(l => value(l) is not null).ToList();
        return new ReportedSum(reported.Count == 0 ? null : reported.Sum(l => value(l)!.Value), reported.Count, lines.Count, reported.Select(KeyOf).ToList());
    }

    private ReportedSum ResultSum(IReadOnlyList<(ContributionLine Line, ReportedResult Result)> results, Func<ReportedResult, decimal?> value)
    {
        var reported = results.Where(r => value(r.Result) is not null).ToList();
        return new ReportedSum(reported.Count == 0 ? null : reported.Sum(r => value(r.Result)!.Value), reported.Count, results.Count,
            reported.Select(r => KeyOf(r.Line)).Distinct(StringComparer.Ordinal).ToList());
    }

    // A contribution is listed by many sums (budget and results, per goal and focus): all by one string. Keyed by the
    // string, not the line, so the compact copies of a goal can go once the goal is done.
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    private string KeyOf(ContributionLine line)
    {
        var key = line.Key;
        if (_keys.TryGetValue(key, out var known)) return known;
        return _keys[key] = key;
    }

    private GoalFigures Figures(StrategicGoal goal, FigureScope scope, IReadOnlyList<ContributionLine> lines)
    {
        var indicators = new List<IndicatorFigures>();
        foreach (var outcome in goal.Outcomes)
        {
            foreach (var indicator in outcome.Indicators)
            {
                var results = lines.SelectMany(l => l.IndicatorResults.Where(r => r.Indicator == indicator.Code).Select(r => (Line: l, Result: r))).ToList();
                // Only indicators someone reported on: the framework's full list is the annex's appendix.
                if (results.Count == 0) continue;
                var unit = indicator.Unit is null ? null : _inputs.Framework.FindUnit(indicator.Unit)?.Title.In(_language.Code) ?? indicator.Unit;
                var summed = indicator.Kind == IndicatorKind.Quantitative && indicator.Summable;
                indicators.Add(new IndicatorFigures(
                    indicator.Code, outcome.Code, indicator.Title.In(_language.Code), indicator.Kind, unit, summed, results.Count,
                    summed ? ResultSum(results, r => r.Value) : null,
                    summed ? ResultSum(results, r => r.Target) : null,
                    summed ? [] : results.Select(r => Listing(r.Line, r.Result)).ToList()));
            }
        }
        var countries = lines.SelectMany(l => l.CountryCodes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var regions = lines.SelectMany(l => l.RegionCodes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new GoalFigures(scope, lines.Count,
            lines.Select(l => l.SignatoryId).Distinct(StringComparer.Ordinal).Count(),
            countries.Count, countries, regions.Count, regions,
            Sum(lines, l => l.BudgetSpentEur),
            indicators);
    }

    // A result listed in a goal's total and in its focus tables is one object in all of them.
    private readonly Dictionary<ReportedResult, IndicatorListing> _listings = new(ReferenceEqualityComparer.Instance);

    private IndicatorListing Listing(ContributionLine line, ReportedResult result)
    {
        if (_listings.TryGetValue(result, out var known)) return known;
        return _listings[result] = new IndicatorListing(line.SignatoryId, line.Organisation, line.Id, line.Title,
            result.Value, result.Text, result.Target, result.Comment, result.Source);
    }

    public static string KindLabel(SignatoryKind kind, ReportLanguage? language = null)
    {
        var l = language ?? ReportLanguage.Dutch;
        return kind switch
        {
            SignatoryKind.Ministry => l.T("Ministerie", "Ministry"),
            SignatoryKind.CivilSocietyOrganisation => l.T("Maatschappelijke organisatie", "Civil-society organisation"),
            SignatoryKind.KnowledgeInstitution => l.T("Kennisinstelling", "Knowledge institution"),
            _ => l.T("Overig", "Other"),
        };
    }
}
