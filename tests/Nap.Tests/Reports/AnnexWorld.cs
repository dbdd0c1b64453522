using System.Security.Cryptography;
using System.Text;
using Nap.Api;
using Nap.Countries;
using Nap.Cycles;
using Nap.Framework;
using Nap.Reports;
using Nap.Signatories;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// A small world with known numbers, compiled straight through the <see cref="ReportAggregator"/> and the writers
/// (no storage): two ministries, two civil-society organisations and a knowledge institution; budgets and values
/// reported, not reported and reported as zero; countries inside regions; a confidential contribution and texts.
/// </summary>
public sealed class AnnexWorld
{
    public const string Canary = "GEHEIM-7f3a";
    /// <summary>A fixed published-hash key for compiling without storage: the same key, the same bytes.</summary>
    public static readonly PublishedHash HashKey = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    public static readonly ResultsFramework Framework = ResultsFrameworkLoader.LoadFile(Path.Combine(RepoRoot.Path, "functions", "Nap.Core", "Data", "framework.sample.json"));
    public static readonly CountryCatalog Countries = CountryCatalog.LoadEmbedded();

    public ReportingCycle Cycle { get; init; } = new("2031", new DateOnly(2031, 1, 1), new DateOnly(2031, 12, 31), new DateOnly(2031, 1, 15),
        new DateTime(2031, 12, 31, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);

    public List<Signatory> Registry { get; } = [];
    public List<(SubmissionVersion Version, SubmissionDocument Document)> Submissions { get; } = [];
    public string Language { get; init; } = "nl";
    public CycleReportTexts Texts { get; init; } = CycleReportTexts.None;

    public static Signatory Signatory(string id, string name, SignatoryKind kind, bool active = true) => new(id, name, kind, "nl", active, []);

    public static Contribution Contribution(string title, Focus[] focus, string[] countries, decimal? budget, params IndicatorResult[] results) =>
        new(title, $"Omschrijving van {title}", focus, countries, results.Select(r => r.Indicator[..4]).Distinct().ToList(), results, budget, [$"Partner van {title}"], false);

    public void Add(string signatoryId, DateTimeOffset receivedAt, params GoalReport[] goals)
    {
        var body = Encoding.UTF8.GetBytes(signatoryId + receivedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        var receipt = new SubmissionReceipt(SubmissionService.SubmissionId(Cycle.Id, signatoryId, 1), Cycle.Id, signatoryId, 1, receivedAt,
            AmsterdamTime.Format(receivedAt), sha, receivedAt > Cycle.DeadlineUtc);
        // As the parser reads a body without ids: each contribution gets the id derived from its goal and position.
        var withIds = goals.Select(g => g with
        {
            Contributions = g.Contributions.Select((c, i) => c.Id.Length > 0 ? c : c with { Id = SubmissionRules.DerivedContributionId(g.Goal, i) }).ToList(),
        }).ToArray();
        Submissions.Add((new SubmissionVersion(receipt, $"{Cycle.Id}/{signatoryId}/{sha}.json"), new SubmissionDocument(new ContactPerson("X", "x@example.org"), withIds)));
    }

    /// <summary>The other world's registry and submissions in this world's language and texts.</summary>
    public AnnexWorld With(AnnexWorld other)
    {
        Registry.AddRange(other.Registry);
        Submissions.AddRange(other.Submissions);
        return this;
    }

    public CompiledReport Compile(ReportKind kind = ReportKind.Final)
    {
        var inputs = new ReportInputs(Cycle, kind, Submissions.Select(s => s.Version), Registry, Framework, Language, Texts) { PublishedHash = HashKey };
        var aggregator = new ReportAggregator(inputs, Countries);
        foreach (var (version, document) in Submissions) aggregator.Add(version, document);
        return aggregator.Build();
    }

    public static byte[] Docx(CompiledReport report) => DocxReportWriter.Write(report, ReportChart.RenderPng(report), Countries, Framework);

    public static IndicatorResult Result(string indicator, decimal? value, decimal? target = null, string? comment = null, string? text = null) =>
        new(indicator, value, text, value is null && text is not null ? null : "persons", target, comment);

    public static DateTimeOffset Early(int hour) => new(2031, 11, 1, hour, 0, 0, TimeSpan.Zero);

    /// <summary>The world of the content tests; every number in <see cref="ReportAnnexTests"/> is counted from here by hand.</summary>
    public static AnnexWorld Full(string language = "nl", CycleReportTexts? texts = null)
    {
        var world = new AnnexWorld { Language = language, Texts = texts ?? CycleReportTexts.None };
        world.Registry.AddRange([
            Signatory("min-bz", "Ministerie van Buitenlandse Zaken", SignatoryKind.Ministry),
            Signatory("min-def", "Ministerie van Defensie", SignatoryKind.Ministry),
            Signatory("cso-a", "Stichting Alfa", SignatoryKind.CivilSocietyOrganisation),
            Signatory("cso-b", "Vereniging Beta", SignatoryKind.CivilSocietyOrganisation),
            Signatory("ki-c", "Instituut Gamma", SignatoryKind.KnowledgeInstitution),
            Signatory("cso-silent", "Stichting Stil", SignatoryKind.CivilSocietyOrganisation),
        ]);
        Focus[] both = [Focus.National, Focus.International], international = [Focus.International], national = [Focus.National];
        world.Add("min-bz", Early(9),
            new GoalReport("G1", [
                Contribution("Vrouwen aan de vredestafel", both, ["ML", "SAHEL", "NE"], 1_000_000m,
                    Result("G1.1.a", 10, 20, "Geteld bij trainingen"), Result("G1.1.b", null, text: "Beleid aangepast")),
                Contribution("EU-inzet", international, ["EU", "ES", "GLOBAL"], null, Result("G1.1.a", null)),
            ], new Narratives(new Narrative("Hoogtepunt BZ", false), new Narrative("Uitdaging BZ", false), new Narrative($"Les {Canary}", true))));
        world.Add("min-def", Early(10),
            new GoalReport("G2", [Contribution("Genderadviseurs", national, ["NL"], null)],
                new Narratives(null, new Narrative("Uitdaging Defensie", false), null)));
        world.Add("cso-a", Early(11),
            new GoalReport("G1", [
                Contribution($"Geheim {Canary}", international, ["SD"], 999m, Result("G1.1.a", 999, comment: Canary)) with { Confidential = true, Description = Canary },
                Contribution("Bemiddelaarsnetwerk", international, ["ML"], 250_000.50m, Result("G1.1.a", 5)),
            ], new Narratives(null, new Narrative($"Uitdaging {Canary}", true), new Narrative("Les Alfa", false))));
        world.Add("cso-b", Early(12),
            new GoalReport("G3", [Contribution("Opvang", national, ["NL"], null)], Narratives.None));
        world.Add("ki-c", Early(13),
            new GoalReport("G5", [Contribution("Onderzoek genderlens", national, [], 0m)], Narratives.None));
        return world;
    }
}
