using System.Text.Json;
using System.Text.RegularExpressions;
using Nap.Api;

namespace Nap.Framework;

/// <summary>Reads and checks a results framework file; a bad file stops start-up with every problem listed.</summary>
public static partial class ResultsFrameworkLoader
{
    [GeneratedRegex(Submissions.SubmissionRules.CodePattern)]
    private static partial Regex CodePattern();

    public static ResultsFramework LoadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationFileException(path, ["the file does not exist"]);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static ResultsFramework Load(Stream json, string name)
    {
        FrameworkFile? file;
        try
        {
            file = JsonSerializer.Deserialize<FrameworkFile>(json, FileOptions);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationFileException(name, [$"not valid JSON for a results framework at {ex.Path ?? "$"} (line {ex.LineNumber + 1})"]);
        }
        if (file is null) throw new ConfigurationFileException(name, ["the file is empty"]);

        var problems = new List<string>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var units = new List<MeasurementUnit>();
        foreach (var (u, i) in (file.Units ?? []).Select((u, i) => (u, i)))
        {
            if (string.IsNullOrWhiteSpace(u.Code) || string.IsNullOrWhiteSpace(u.En) || string.IsNullOrWhiteSpace(u.Nl))
                problems.Add($"units[{i}] needs code, en and nl");
            else units.Add(new MeasurementUnit(u.Code, new LocalizedText(u.Nl, u.En)));
        }
        var unitCodes = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);

        LocalizedText? Title(TextFile? t, string where)
        {
            if (t is null || string.IsNullOrWhiteSpace(t.Nl) || string.IsNullOrWhiteSpace(t.En))
            {
                problems.Add($"{where} needs a title in both nl and en");
                return null;
            }
            return new LocalizedText(t.Nl.Trim(), t.En.Trim());
        }
        bool Code(string? code, string where)
        {
            if (code is null || !CodePattern().IsMatch(code)) { problems.Add($"{where} has a missing or malformed code (letters, digits, '.', '_' or '-', at most {Submissions.SubmissionRules.CodeMax})"); return false; }
            if (!codes.Add(code)) { problems.Add($"{where}: code '{code}' is used more than once"); return false; }
            return true;
        }

        var goals = new List<StrategicGoal>();
        var goalFiles = file.Goals ?? [];
        if (goalFiles.Count == 0) problems.Add("the framework has no strategic goals");
        for (var g = 0; g < goalFiles.Count; g++)
        {
            var gf = goalFiles[g];
            var where = $"goals[{g}]";
            Code(gf.Code, where);
            var title = Title(gf.Title, where);
            var outcomes = new List<Outcome>();
            var outcomeFiles = gf.Outcomes ?? [];
            if (outcomeFiles.Count == 0) problems.Add($"{where} has no outcomes");
            for (var o = 0; o < outcomeFiles.Count; o++)
            {
                var of = outcomeFiles[o];
                var ow = $"{where}.outcomes[{o}]";
                Code(of.Code, ow);
                var otitle = Title(of.Title, ow);
                var indicators = new List<Indicator>();
                for (var i = 0; i < (of.Indicators?.Count ?? 0); i++)
                {
                    var inf = of.Indicators![i];
                    var iw = $"{ow}.indicators[{i}]";
                    Code(inf.Code, iw);
                    var ititle = Title(inf.Title, iw);
                    var kind = inf.Kind switch
                    {
                        "quantitative" => IndicatorKind.Quantitative,
                        "qualitative" => IndicatorKind.Qualitative,
                        _ => (IndicatorKind?)null,
                    };
                    if (kind is null) problems.Add($"{iw} needs kind 'quantitative' or 'qualitative'");
                    if (kind == IndicatorKind.Quantitative && (inf.Unit is null || !unitCodes.Contains(inf.Unit)))
                        problems.Add($"{iw} is quantitative and needs a unit listed under 'units'");
                    if (kind == IndicatorKind.Qualitative && (inf.Unit is not null || inf.Summable == true))
                        problems.Add($"{iw} is qualitative and can have neither unit nor summable");
                    if (ititle is not null && kind is not null && inf.Code is not null)
                        indicators.Add(new Indicator(inf.Code, ititle, kind.Value, inf.Unit, inf.Summable ?? false));
                }
                if (otitle is not null && of.Code is not null) outcomes.Add(new Outcome(of.Code, otitle, indicators));
            }
            if (title is not null && gf.Code is not null) goals.Add(new StrategicGoal(gf.Code, title, outcomes));
        }
        if (string.IsNullOrWhiteSpace(file.Version)) problems.Add("the framework needs a version");
        PlanPeriod? plan = null;
        if (file.Plan is { } pf)
        {
            if (string.IsNullOrWhiteSpace(pf.Name) || pf.Start is null || pf.End is null) problems.Add("plan needs name, start and end (yyyy-MM-dd)");
            else if (pf.End < pf.Start) problems.Add("plan ends before it starts");
            else plan = new PlanPeriod(pf.Name.Trim(), pf.Start.Value, pf.End.Value);
        }
        if (problems.Count > 0) throw new ConfigurationFileException(name, problems);
        return new ResultsFramework(file.Version!, file.Sample ?? false, goals, units, plan);
    }

    private static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record FrameworkFile(bool? Sample, string? Notice, string? Version, PlanFile? Plan, List<UnitFile>? Units, List<GoalFile>? Goals);
    private sealed record PlanFile(string? Name, DateOnly? Start, DateOnly? End);
    private sealed record UnitFile(string? Code, string? En, string? Nl);
    private sealed record TextFile(string? Nl, string? En);
    private sealed record GoalFile(string? Code, TextFile? Title, List<OutcomeFile>? Outcomes);
    private sealed record OutcomeFile(string? Code, TextFile? Title, List<IndicatorFile>? Indicators);
    private sealed record IndicatorFile(string? Code, TextFile? Title, string? Kind, string? Unit, bool? Summable);
}
