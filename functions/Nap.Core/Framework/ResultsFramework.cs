using System.Text.Json.Serialization;

namespace Nap.Framework;

public sealed record LocalizedText(string Nl, string En)
{
    public string In(string language) => language == "en" ? En : Nl;
}

[JsonConverter(typeof(JsonStringEnumConverter<IndicatorKind>))]
public enum IndicatorKind { Quantitative, Qualitative }

public sealed record Indicator(string Code, LocalizedText Title, IndicatorKind Kind, string? Unit, bool Summable);

public sealed record Outcome(string Code, LocalizedText Title, IReadOnlyList<Indicator> Indicators);

public sealed record StrategicGoal(string Code, LocalizedText Title, IReadOnlyList<Outcome> Outcomes);

public sealed record MeasurementUnit(string Code, LocalizedText Title);

/// <summary>
/// The action plan's period (NAP-IV: 2021 to 2025, extended to 2027): the reporting cycles within it are the plan's
/// years, which the annex sets side by side.
/// </summary>
public sealed record PlanPeriod(string Name, DateOnly Start, DateOnly End)
{
    /// <summary>Whether a reporting period lies within the plan.</summary>
    public bool Covers(DateOnly periodStart, DateOnly periodEnd) => periodStart >= Start && periodEnd <= End;
}

/// <summary>The NAP-IV results framework: strategic goals → outcomes → indicators, loaded from a data file.</summary>
public sealed class ResultsFramework
{
    private readonly Dictionary<string, StrategicGoal> _goals;
    private readonly Dictionary<string, (StrategicGoal Goal, Outcome Outcome)> _outcomes;
    private readonly Dictionary<string, (StrategicGoal Goal, Outcome Outcome, Indicator Indicator)> _indicators;
    private readonly Dictionary<string, MeasurementUnit> _units;

    public ResultsFramework(string version, bool isSample, IReadOnlyList<StrategicGoal> goals, IReadOnlyList<MeasurementUnit> units, PlanPeriod? plan = null)
    {
        Version = version;
        Plan = plan;
        IsSample = isSample;
        Goals = goals;
        Units = units;
        _goals = goals.ToDictionary(g => g.Code, StringComparer.Ordinal);
        _outcomes = goals.SelectMany(g => g.Outcomes.Select(o => (g, o))).ToDictionary(x => x.o.Code, x => (x.g, x.o), StringComparer.Ordinal);
        _indicators = goals.SelectMany(g => g.Outcomes.SelectMany(o => o.Indicators.Select(i => (g, o, i))))
            .ToDictionary(x => x.i.Code, x => (x.g, x.o, x.i), StringComparer.Ordinal);
        _units = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
    }

    public string Version { get; }
    public bool IsSample { get; }
    public IReadOnlyList<StrategicGoal> Goals { get; }
    public IReadOnlyList<MeasurementUnit> Units { get; }
    /// <summary>The plan's period; null when the file names none (then every cycle counts as one of the plan's years).</summary>
    public PlanPeriod? Plan { get; }

    public StrategicGoal? FindGoal(string code) => _goals.GetValueOrDefault(code);
    public bool TryGetOutcome(string code, out StrategicGoal goal, out Outcome outcome)
    {
        var found = _outcomes.TryGetValue(code, out var hit);
        (goal, outcome) = found ? hit : (null!, null!);
        return found;
    }
    public bool TryGetIndicator(string code, out StrategicGoal goal, out Outcome outcome, out Indicator indicator)
    {
        var found = _indicators.TryGetValue(code, out var hit);
        (goal, outcome, indicator) = found ? hit : (null!, null!, null!);
        return found;
    }
    public MeasurementUnit? FindUnit(string code) => _units.GetValueOrDefault(code);
}
