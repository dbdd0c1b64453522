using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Nap.Cycles;
using Nap.Framework;
using Nap.Reports;
using Nap.Reviews;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Tests.Reports;

/// <summary>
/// The years side by side on a world of three cycles (2023, 2024, 2025) whose numbers are counted by hand:
/// <list type="bullet">
/// <item>G1.1.a (summable): 2023 8 + 2 = 10; 2024 only a result without value (and a confidential 999 that never counts) → "–"; 2025 10 + 5 = 15.</item>
/// <item>G1.2.a (summable): 2023 3; 2024 4; 2025 not reported → "–".</item>
/// <item>G1.1.c: reported in 2025 only → not in the table; G1.1.b is not summable → never.</item>
/// <item>Continuing: min-bz/vredestafel (2023, 2024, 2025) and cso-a/netwerk (2023, 2025); cso-a/nieuw is new in 2025.</item>
/// </list>
/// </summary>
public sealed class ReportYearsTests
{
    private static ReportingCycle CycleOf(int year) => new(year.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
        new DateOnly(year + 1, 1, 15), new DateTime(year + 1, 3, 1, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Closed);

    private static DateTimeOffset In(int year, int hour) => new(year + 1, 2, 1, hour, 0, 0, TimeSpan.Zero);

    private static Contribution Named(string id, string title, decimal? budget, params IndicatorResult[] results) =>
        AnnexWorld.Contribution(title, [Focus.International], ["ML"], budget, results) with { Id = id };

    private static (AnnexWorld Current, AnnexWorld[] Earlier) Worlds(string language = "nl")
    {
        Signatory[] registry = [
            AnnexWorld.Signatory("min-bz", "Ministerie van Buitenlandse Zaken", SignatoryKind.Ministry),
            AnnexWorld.Signatory("cso-a", "Stichting Alfa", SignatoryKind.CivilSocietyOrganisation),
        ];
        var y2023 = new AnnexWorld { Cycle = CycleOf(2023), Language = language };
        y2023.Registry.AddRange(registry);
        y2023.Add("min-bz", In(2023, 9), new GoalReport("G1", [Named("vredestafel", "Vrouwen aan de vredestafel", 100m, AnnexWorld.Result("G1.1.a", 8), AnnexWorld.Result("G1.2.a", 3))], Narratives.None));
        y2023.Add("cso-a", In(2023, 10), new GoalReport("G1", [Named("netwerk", "Bemiddelaarsnetwerk", null, AnnexWorld.Result("G1.1.a", 2))], Narratives.None));

        var y2024 = new AnnexWorld { Cycle = CycleOf(2024), Language = language };
        y2024.Registry.AddRange(registry);
        y2024.Add("min-bz", In(2024, 9), new GoalReport("G1", [
            Named("vredestafel", "Vrouwen aan de vredestafel", 200m, AnnexWorld.Result("G1.1.a", null), AnnexWorld.Result("G1.2.a", 4)),
            Named("geheim", $"Geheim {AnnexWorld.Canary}", 1m, AnnexWorld.Result("G1.1.a", 999)) with { Confidential = true },
        ], Narratives.None));

        var y2025 = new AnnexWorld { Cycle = CycleOf(2025), Language = language };
        y2025.Registry.AddRange(registry);
        y2025.Add("min-bz", In(2025, 9), new GoalReport("G1", [Named("vredestafel", "Vrouwen aan de vredestafel", 300m, AnnexWorld.Result("G1.1.a", 10))], Narratives.None));
        y2025.Add("cso-a", In(2025, 10), new GoalReport("G1", [
            Named("netwerk", "Bemiddelaarsnetwerk", 50m, AnnexWorld.Result("G1.1.a", 5)),
            Named("nieuw", "Nieuw programma", null, AnnexWorld.Result("G1.1.c", 7)),
        ], Narratives.None));
        return (y2025, [y2023, y2024]);
    }

    /// <summary>Compiles the current world with the earlier ones, feeding everything in the given order.</summary>
    private static CompiledReport Compile(AnnexWorld current, IEnumerable<AnnexWorld> earlier, bool reversed = false)
    {
        var earlierList = earlier.ToList();
        var inputs = new ReportInputs(current.Cycle, ReportKind.Final, current.Submissions.Select(s => s.Version), current.Registry, AnnexWorld.Framework,
            current.Language, current.Texts, earlierCycles: earlierList.Select(e => new EarlierCycle(e.Cycle, e.Submissions.Select(s => s.Version).ToList())))
        {
            PublishedHash = AnnexWorld.HashKey,
        };
        var aggregator = new ReportAggregator(inputs, AnnexWorld.Countries);
        var all = current.Submissions.Select(s => (Earlier: false, s.Version, s.Document))
            .Concat(earlierList.SelectMany(e => e.Submissions.Select(s => (Earlier: true, s.Version, s.Document)))).ToList();
        if (reversed) all.Reverse();
        foreach (var (isEarlier, version, document) in all)
        {
            if (isEarlier) aggregator.AddEarlier(version, document);
            else aggregator.Add(version, document);
        }
        return aggregator.Build();
    }

    /// <summary>The three-year world's annex (2025 with 2023 and 2024).</summary>
    public static CompiledReport ThreeYears() => Report();

    private static CompiledReport Report(string language = "nl")
    {
        var (current, earlier) = Worlds(language);
        return Compile(current, earlier);
    }

    [Fact]
    public void The_goal_table_has_the_summable_indicators_of_more_than_one_year_with_a_sum_per_year()
    {
        var years = Report().Years!;
        Assert.Equal(["2023", "2024", "2025"], years.Cycles);
        var g1 = years.Goals.Single(g => g.Code == "G1");
        Assert.Equal(["G1.1.a", "G1.2.a"], g1.Indicators.Select(i => i.Code));
        var a = g1.Indicators[0];
        Assert.Equal([10m, null, 15m], a.Cycles.Select(c => c.Sum.Sum));
        // 2024: one result without a value; the confidential 999 is not counted at all.
        Assert.Equal((0, 1), (a.Cycles[1].Sum.Reported, a.Cycles[1].Sum.Of));
        Assert.Equal(["cso-a/netwerk", "min-bz/vredestafel"], a.Cycles[2].Sum.ContributionIds);
        Assert.Equal([3m, 4m, null], g1.Indicators[1].Cycles.Select(c => c.Sum.Sum));
        Assert.All(years.Goals.Where(g => g.Code != "G1"), g => Assert.Empty(g.Indicators));
    }

    [Fact]
    public void Json_lists_each_continuing_contribution_with_its_values_per_year()
    {
        var json = JsonNode.Parse(JsonReportWriter.Write(Report()))!;
        var years = json["years"]!;
        Assert.Equal("NAP-IV", (string?)years["plan"]);
        var contributions = years["contributions"]!.AsArray();
        Assert.Equal(["min-bz/vredestafel", "cso-a/netwerk"], contributions.Select(c => $"{c!["signatoryId"]}/{c["contributionId"]}"));
        var vredestafel = contributions[0]!["years"]!.AsArray();
        Assert.Equal(["2023", "2024", "2025"], vredestafel.Select(y => (string)y!["cycle"]!));
        Assert.Equal([100m, 200m, 300m], vredestafel.Select(y => (decimal)y!["budgetSpentEur"]!));
        Assert.Equal(8m, (decimal)vredestafel[0]!["results"]![0]!["value"]!);
        Assert.Null(vredestafel[1]!["results"]![0]!["value"]);
        // Every year traced to the submission it came from.
        Assert.Equal(SubmissionService.SubmissionId("2023", "min-bz", 1), (string?)vredestafel[0]!["source"]!["submissionId"]);
        var netwerk = contributions[1]!["years"]!.AsArray();
        Assert.Equal(["2023", "2025"], netwerk.Select(y => (string)y!["cycle"]!));
        Assert.Null(netwerk[0]!["budgetSpentEur"]);
        Assert.True(netwerk[0]!.AsObject().ContainsKey("budgetSpentEur"));
        // The earlier cycles' submissions are named; nothing confidential reaches the file.
        Assert.Equal(3, years["earlierLineage"]!.AsArray().Count);
        Assert.DoesNotContain(AnnexWorld.Canary, json.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"value\":999", years.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Docx_has_the_years_table_per_goal_with_a_dash_where_a_year_did_not_report_and_its_chart()
    {
        var docx = AnnexWorld.Docx(Report());
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        var caption = body.Descendants<Paragraph>().Single(p => p.InnerText.Contains("Opgetelde indicatorresultaten G1 per rapportagejaar", StringComparison.Ordinal)
                                                                && p.InnerText.StartsWith("Tabel", StringComparison.Ordinal));
        var table = caption.ElementsAfter().OfType<Table>().First();
        var rows = table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["Indicator", "Eenheid", "2023", "2024", "2025"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("G1.1.a ", rows[1][0], StringComparison.Ordinal);
        Assert.Equal(["personen", "10", "–", "15"], rows[1][1..]);
        Assert.Equal(["3", "4", "–"], rows[2][2..]);
        var text = ReportAnnexTests.BodyText(docx, "\n");
        Assert.Contains("Voor dit doel is geen optelbare indicator in meer dan één rapportagejaar van NAP-IV gerapporteerd.", text, StringComparison.Ordinal);
        Assert.Contains("Figuur 2. Opgetelde indicatorresultaten G1 per rapportagejaar", text, StringComparison.Ordinal);
        // One chart for G1 (the only goal with indicators over the years), next to the summary's chart.
        Assert.Equal(2, doc.MainDocumentPart.ImageParts.Count());
        var errors = new OpenXmlValidator(FileFormatVersions.Microsoft365).Validate(doc).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path?.XPath}: {e.Description}")));
    }

    [Fact]
    public void English_annex_has_the_years_in_english()
    {
        var text = ReportAnnexTests.BodyText(AnnexWorld.Docx(Report("en")), "\n");
        Assert.Contains("Over the years", text, StringComparison.Ordinal);
        Assert.Contains("Summed indicator results G1 per reporting year", text, StringComparison.Ordinal);
        Assert.Contains("For this goal, no summable indicator was reported in more than one reporting year of NAP-IV.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rapportagejaar", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_inputs_in_another_order_give_the_same_chart_and_docx_bytes()
    {
        var (current, earlier) = Worlds();
        var one = Compile(current, earlier);
        var (current2, earlier2) = Worlds();
        var two = Compile(current2, earlier2.Reverse(), reversed: true);
        Assert.Equal(one.InputHash, two.InputHash);
        var g1 = one.Years!.Goals.Single(g => g.Code == "G1");
        Assert.Equal(ReportChart.RenderYearsPng(g1, one.Years.Cycles, ReportLanguage.Dutch),
            ReportChart.RenderYearsPng(two.Years!.Goals.Single(g => g.Code == "G1"), two.Years.Cycles, ReportLanguage.Dutch));
        var docx = AnnexWorld.Docx(one);
        Assert.Equal(SHA256.HashData(docx), SHA256.HashData(AnnexWorld.Docx(two)));
        Assert.Equal(JsonReportWriter.Write(one), JsonReportWriter.Write(two));
        using var zip = new ZipArchive(new MemoryStream(docx));
        Assert.NotNull(zip.GetEntry("word/media/years-1.png"));
    }

    [Fact]
    public void Without_earlier_cycles_the_report_has_no_years_and_keeps_its_input_hash()
    {
        var (current, _) = Worlds();
        var report = Compile(current, []);
        Assert.Null(report.Years);
        Assert.DoesNotContain("\"years\"", System.Text.Encoding.UTF8.GetString(JsonReportWriter.Write(report)), StringComparison.Ordinal);
        Assert.DoesNotContain("Over de jaren", ReportAnnexTests.BodyText(AnnexWorld.Docx(report)), StringComparison.Ordinal);
        var plain = new ReportInputs(current.Cycle, ReportKind.Final, current.Submissions.Select(s => s.Version), current.Registry, AnnexWorld.Framework) { PublishedHash = AnnexWorld.HashKey };
        Assert.Equal(plain.InputHash, report.InputHash);
        // An earlier cycle is an input: adding one changes the hash.
        Assert.NotEqual(plain.InputHash, Report().InputHash);
    }
}

/// <summary>Renders the three-year annex through LibreOffice to PDF and PNG pages (in the test output, for people to look at).</summary>
public sealed class ReportYearsRenderTests
{
    [Fact]
    public async Task LibreOffice_renders_the_years_table_and_chart()
    {
        var soffice = ProcessRunner.Which("libreoffice") ?? ProcessRunner.Which("soffice");
        Assert.True(soffice is not null, "LibreOffice is not installed: `apt-get install -y libreoffice-writer-nogui poppler-utils`.");
        var pdftoppm = ProcessRunner.Which("pdftoppm");
        var pdftotext = ProcessRunner.Which("pdftotext");
        Assert.True(pdftoppm is not null && pdftotext is not null, "poppler-utils is not installed.");
        var dir = Path.Combine(AppContext.BaseDirectory, "report-render-years");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        var docx = Path.Combine(dir, "annex.docx");
        await File.WriteAllBytesAsync(docx, AnnexWorld.Docx(ReportYearsTests.ThreeYears()));
        var convert = await ProcessRunner.RunAsync(soffice!, ["-env:UserInstallation=file://" + Path.Combine(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, docx],
            TimeSpan.FromMinutes(4));
        var pdf = Path.Combine(dir, "annex.pdf");
        Assert.True(File.Exists(pdf), "LibreOffice made no PDF: " + convert.Output);
        Assert.Equal(0, (await ProcessRunner.RunAsync(pdftoppm!, ["-png", "-r", "80", pdf, Path.Combine(dir, "page")], TimeSpan.FromMinutes(2))).ExitCode);
        var text = await ProcessRunner.RunAsync(pdftotext!, [pdf, "-"], TimeSpan.FromMinutes(1));
        Assert.Contains("Over de jaren", text.Output, StringComparison.Ordinal);
        Assert.Contains("Opgetelde indicatorresultaten G1 per rapportagejaar", text.Output, StringComparison.Ordinal);
    }
}

/// <summary>Which earlier cycles count (the framework's plan) and which of their versions are used (accepted, else latest), on Azurite.</summary>
public sealed class ReportHistoryTests
{
    /// <summary>Exactly the cycles of this test: other tests add cycles to the shared storage at the same time.</summary>
    private sealed class ListedCycles(IReadOnlyList<ReportingCycle> cycles) : ICycleStore
    {
        public Task<IReadOnlyList<ReportingCycle>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult(cycles);
        public Task<ReportingCycle?> FindAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(cycles.FirstOrDefault(c => c.Id == id));
        public Task UpsertAsync(ReportingCycle cycle, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<CycleSignatorySettings?> FindSettingsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<CycleSignatorySettings>> ListSettingsAsync(string cycleId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task SaveSettingsAsync(CycleSignatorySettings settings, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<(ReportingCycle Cycle, string ETag)?> FindStoredAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> AddAsync(ReportingCycle cycle, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> ReplaceAsync(ReportingCycle cycle, string etag, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Earlier_cycles_of_the_plan_use_the_latest_accepted_version_else_the_latest()
    {
        await using var services = new ReportServices();
        var before = await services.CreateCycleAsync();
        var first = await services.CreateCycleAsync();
        var second = await services.CreateCycleAsync();
        var current = await services.CreateCycleAsync();
        var body = SubmissionWriter.Utf8("{}");
        var accepted = await SubmissionWriter.WriteAsync(services.Provider, first, "sig-a", SubmissionWriter.Utf8("{\"v\":1}"), DateTimeOffset.UnixEpoch.AddDays(1));
        var newer = await SubmissionWriter.WriteAsync(services.Provider, first, "sig-a", SubmissionWriter.Utf8("{\"v\":2}"), DateTimeOffset.UnixEpoch.AddDays(2), version: 2);
        var onlyLatest = await SubmissionWriter.WriteAsync(services.Provider, first, "sig-b", body, DateTimeOffset.UnixEpoch.AddDays(1));
        var inSecond = await SubmissionWriter.WriteAsync(services.Provider, second, "sig-a", body, DateTimeOffset.UnixEpoch.AddDays(3));
        await SubmissionWriter.WriteAsync(services.Provider, before, "sig-a", body, DateTimeOffset.UnixEpoch);
        var reviews = new TableReviewStore(services.Get<Nap.Storage.NapStorage>());
        Assert.True(await reviews.TryAppendAsync(first.Id, "sig-a", null,
            new ReviewEntry(1, ReviewAction.Accept, ReviewState.Accepted, 1, DateTimeOffset.UnixEpoch.AddDays(1), "staff", null, [], null)));

        var sample = services.Get<ResultsFramework>();
        // The plan starts with the first cycle: the one before it is not one of the plan's years.
        var framework = new ResultsFramework(sample.Version, sample.IsSample, sample.Goals, sample.Units,
            new PlanPeriod("NAP-T", first.PeriodStart, current.PeriodEnd));
        var history = new ReportHistory(new ListedCycles([current, second, before, first]), services.Get<ISubmissionIndex>(), framework, reviews);

        var earlier = await history.EarlierCyclesAsync(current);
        Assert.Equal([first.Id, second.Id], earlier.Select(e => e.Cycle.Id));
        var used = earlier[0].Submissions.OrderBy(s => s.Receipt.SignatoryId, StringComparer.Ordinal).ToList();
        Assert.Equal([(accepted.Receipt.SignatoryId, 1), (onlyLatest.Receipt.SignatoryId, 1)], used.Select(s => (s.Receipt.SignatoryId, s.Receipt.Version)));
        Assert.Equal(accepted.Receipt.Sha256, used[0].Receipt.Sha256);
        Assert.NotEqual(newer.Receipt.Sha256, used[0].Receipt.Sha256);
        Assert.Equal([inSecond.Receipt.SubmissionId], earlier[1].Submissions.Select(s => s.Receipt.SubmissionId));

        // Without reviews the latest version is used; a current cycle outside the plan has no years.
        var latestOnly = new ReportHistory(new ListedCycles([current, first]), services.Get<ISubmissionIndex>(), framework);
        Assert.Equal(2, (await latestOnly.EarlierCyclesAsync(current))[0].Submissions.Single(s => s.Receipt.SignatoryId == "sig-a").Receipt.Version);
        var outside = new ReportHistory(new ListedCycles([before, first]), services.Get<ISubmissionIndex>(), framework, reviews);
        Assert.Empty(await outside.EarlierCyclesAsync(before));
    }
}
