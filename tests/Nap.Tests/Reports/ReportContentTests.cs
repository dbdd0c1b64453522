using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nap.Cycles;
using Nap.Framework;
using Nap.Reports;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

public sealed class ReportContentTests(CompiledSampleReport sample) : IClassFixture<CompiledSampleReport>
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly string[] GoalCodes = ["G1", "G2", "G3", "G4", "G5"];

    /// <summary>What the report should say, recomputed here from the submitted JSON without any of the report code.</summary>
    private sealed record Expected(int Contributions, int National, int International, int Signatories, int Countries, int Regions, decimal Budget,
        Dictionary<string, (int Contributions, int National, int International, decimal Budget, decimal IndicatorSum)> Goals);

    private Expected Recompute()
    {
        var goals = GoalCodes.ToDictionary(g => g, _ => (Contributions: 0, National: 0, International: 0, Budget: 0m, IndicatorSum: 0m));
        int contributions = 0, national = 0, international = 0;
        var budget = 0m;
        var signatories = new HashSet<string>();
        var countries = new HashSet<string>();
        var regions = new HashSet<string>();
        var catalog = Nap.Countries.CountryCatalog.LoadEmbedded();
        foreach (var (signatory, body, _) in sample.Included)
        {
            foreach (var (code, goal) in body["goals"]!.AsObject())
            {
                foreach (var c in goal!["contributions"]!.AsArray())
                {
                    if ((bool)c!["confidential"]!) continue;
                    var focus = c["focus"]!.AsArray().Select(f => (string)f!).ToList();
                    var spent = Dec(c["budgetSpentEur"]!);
                    var sum = c["indicatorResults"]!.AsArray().Where(r => ((string)r!["indicator"]!).EndsWith(".1.a", StringComparison.Ordinal))
                        .Sum(r => Dec(r!["value"]!));
                    var g = goals[code];
                    goals[code] = (g.Contributions + 1, g.National + (focus.Contains("national") ? 1 : 0), g.International + (focus.Contains("international") ? 1 : 0),
                        g.Budget + spent, g.IndicatorSum + sum);
                    contributions++;
                    if (focus.Contains("national")) national++;
                    if (focus.Contains("international")) international++;
                    budget += spent;
                    signatories.Add(signatory.Id);
                    foreach (var country in c["countries"]!.AsArray())
                        (catalog.Find((string)country!)!.Kind == "region" ? regions : countries).Add((string)country!);
                }
            }
        }
        return new Expected(contributions, national, international, signatories.Count, countries.Count, regions.Count, budget, goals);
    }

    private static decimal Dec(JsonNode n) => decimal.Parse(n.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Json_totals_equal_totals_recomputed_from_the_submissions()
    {
        var expected = Recompute();
        var totals = sample.Report["totals"]!;
        Assert.Equal(expected.Contributions, (int)totals["contributions"]!);
        Assert.Equal(expected.National, (int)totals["nationalContributions"]!);
        Assert.Equal(expected.International, (int)totals["internationalContributions"]!);
        Assert.Equal(expected.Signatories, (int)totals["signatories"]!);
        Assert.Equal(expected.Countries, (int)totals["countriesReached"]!);
        Assert.Equal(expected.Regions, (int)totals["regionsReached"]!);
        Assert.Equal(expected.Budget, totals["budgetSpentEur"]!["sum"]!.GetValue<decimal>());
        Assert.Equal(expected.Contributions, (int)totals["budgetSpentEur"]!["reported"]!);

        var goals = sample.Report["goals"]!.AsArray();
        Assert.Equal(GoalCodes, goals.Select(g => (string)g!["code"]!));
        foreach (var goal in goals)
        {
            var e = expected.Goals[(string)goal!["code"]!];
            Assert.Equal(e.Contributions, (int)goal["total"]!["contributions"]!);
            Assert.Equal(e.National, (int)goal["national"]!["contributions"]!);
            Assert.Equal(e.International, (int)goal["international"]!["contributions"]!);
            Assert.Equal(e.Budget, goal["total"]!["budgetSpentEur"]!["sum"]!.GetValue<decimal>());
            var indicator = goal["total"]!["indicators"]!.AsArray().Single(i => ((string)i!["code"]!).EndsWith(".1.a", StringComparison.Ordinal))!;
            Assert.True((bool)indicator["summable"]!);
            Assert.Equal(e.IndicatorSum, indicator["sum"]!["sum"]!.GetValue<decimal>());
        }
    }

    [Fact]
    public async Task Json_lineage_lists_every_submission_with_version_and_keyed_hash()
    {
        var key = await sample.Services.Get<IPublishedHashKey>().GetAsync();
        Assert.Equal((PublishedHash.Algorithm, key.KeyId), ((string)sample.Report["keyedHash"]!["algorithm"]!, (string)sample.Report["keyedHash"]!["keyId"]!));
        var lineage = sample.Report["lineage"]!.AsArray();
        Assert.Equal(sample.Submitters.Count, lineage.Count);
        foreach (var (_, _, version) in sample.Included)
        {
            var entry = lineage.Single(l => (string)l!["submissionId"]! == version.Receipt.SubmissionId)!;
            Assert.Equal(version.Receipt.Version, (int)entry["version"]!);
            Assert.Equal(key.Of(version.Receipt.Sha256), (string)entry["keyedHash"]!);
            Assert.False(entry.AsObject().ContainsKey("sha256"));
            Assert.True((bool)entry["included"]!);
        }
        Assert.False((bool)lineage.Single(l => (string)l!["submissionId"]! == sample.Corrupt.Receipt.SubmissionId)!["included"]!);
        Assert.False((bool)lineage.Single(l => (string)l!["submissionId"]! == sample.Missing.Receipt.SubmissionId)!["included"]!);
        Assert.Equal(sample.Version.InputHash, (string)sample.Report["inputHash"]!);
    }

    [Fact]
    public void Docx_has_the_title_page_headings_tables_and_numbers()
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(sample.Docx), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        string StyleOf(Paragraph p) => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? "";
        var paragraphs = body.Elements<Paragraph>().ToList();

        // The title never breaks inside "NAP-IV": its hyphen is a w:noBreakHyphen (shown here as U+2011).
        Assert.Equal($"Bijlage bij de Voortgangsrapportage NAP\u2011IV {sample.Cycle.Id}", Shown(paragraphs.Single(p => StyleOf(p) == "Title")));
        Assert.DoesNotContain(body.Descendants<Text>(), t => t.Text.Contains("NAP-IV", StringComparison.Ordinal));
        var h1 = paragraphs.Where(p => StyleOf(p) == "Heading1").Select(p => p.InnerText).ToList();
        Assert.Equal(new[]
        {
            "1. Samenvatting", "2. Volledigheid van de rapportage",
            "3. Strategisch doel G1: Participatie", "4. Strategisch doel G2: Preventie", "5. Strategisch doel G3: Bescherming",
            "6. Strategisch doel G4: Noodhulp, wederopbouw en herstel", "7. Strategisch doel G5: WPS-mainstreaming",
            "8. Inzet van de ministeries", "9. Inzet van maatschappelijke organisaties", "10. Inzet van kennisinstellingen",
            "11. Inzet van overige ondertekenaars",
            "12. Rapporterende ondertekenaars", "13. Datakwaliteit", "14. Verantwoording", "Bijlage. Indicatoren van het resultatenraamwerk",
        }, h1);
        var h2 = paragraphs.Where(p => StyleOf(p) == "Heading2").Select(Shown).ToList();
        Assert.Equal(5, h2.Count(t => t == "NAP\u2011IV nationaal"));
        Assert.Equal(5, h2.Count(t => t == "NAP\u2011IV internationaal"));
        Assert.Equal(5, h2.Count(t => t == "Hoogtepunten"));
        Assert.Equal(5, h2.Count(t => t == "Uitdagingen"));
        Assert.Equal(5, h2.Count(t => t == "Geleerde lessen"));
        // The contents list is a TOC field whose cached entries are the chapter headings.
        Assert.Contains(body.Descendants<FieldCode>(), f => f.Text.Contains("TOC", StringComparison.Ordinal));
        Assert.Equal(h1, body.Descendants<Hyperlink>().Select(h => h.InnerText).Take(h1.Count));

        var expected = Recompute();
        var summary = body.Elements<Table>().First();
        var rows = summary.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(1 + GoalCodes.Length + 1, rows.Count);
        Assert.Equal(["Strategisch doel", "Bijdragen", "Nationaal", "Inter\u00ADnationaal", "Onder\u00ADtekenaars", "Landen", "Regio's", "Besteed budget (€)"], rows[0]);
        for (var i = 0; i < GoalCodes.Length; i++)
        {
            var e = expected.Goals[GoalCodes[i]];
            Assert.StartsWith(GoalCodes[i] + " ", rows[i + 1][0], StringComparison.Ordinal);
            Assert.Equal(e.Contributions.ToString(Dutch), rows[i + 1][1]);
            Assert.Equal(e.National.ToString(Dutch), rows[i + 1][2]);
            Assert.Equal(e.International.ToString(Dutch), rows[i + 1][3]);
            Assert.Equal($"{e.Budget.ToString("N2", Dutch)}({e.Contributions} van {e.Contributions})", rows[i + 1][7]);
        }
        Assert.Equal(["Totaal", expected.Contributions.ToString("N0", Dutch), expected.National.ToString("N0", Dutch), expected.International.ToString("N0", Dutch),
            expected.Signatories.ToString("N0", Dutch), expected.Countries.ToString("N0", Dutch), expected.Regions.ToString("N0", Dutch),
            $"{expected.Budget.ToString("N2", Dutch)}({expected.Contributions.ToString("N0", Dutch)} van {expected.Contributions.ToString("N0", Dutch)})"], rows[^1]);

        // The chart is a PNG in the package, placed inline with alternative text.
        var image = doc.MainDocumentPart.ImageParts.Single();
        Assert.Equal("image/png", image.ContentType);
        using (var png = image.GetStream()) Assert.Equal(0x89, png.ReadByte());
        Assert.StartsWith("Staafdiagram", body.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>().Single().Description!.Value, StringComparison.Ordinal);

        // Every submitter is listed by name in the signatories table.
        var names = body.Elements<Table>().SelectMany(t => t.Elements<TableRow>()).Select(r => r.Elements<TableCell>().First().InnerText).ToHashSet();
        Assert.All(sample.Submitters, s => Assert.Contains(s.Name, names));
    }

    [Fact]
    public async Task Five_random_figures_walk_back_through_their_contribution_ids_and_lineage_to_the_stored_bytes()
    {
        // Every sum of the report: budgets and summed indicator values, per goal and focus.
        var figures = new List<(string Name, JsonNode Sum, string? Indicator)>();
        foreach (var goal in sample.Report["goals"]!.AsArray())
            foreach (var scope in new[] { "total", "national", "international" })
            {
                var f = goal!["" + scope]!;
                figures.Add(($"{goal["code"]} {scope} budget", f["budgetSpentEur"]!, null));
                foreach (var i in f["indicators"]!.AsArray().Where(i => (bool)i!["summable"]!))
                    figures.Add(($"{goal["code"]} {scope} {i!["code"]}", i["sum"]!, (string)i["code"]!));
            }
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var lineage = sample.Report["lineage"]!.AsArray();
        // Published files carry keyed hashes: only with the app's key can a stored version be matched to one.
        var key = await sample.Services.Get<IPublishedHashKey>().GetAsync();
        var versions = (await sample.Services.Get<ISubmissionIndex>().ListLatestAsync(sample.Cycle.Id)).ToDictionary(v => key.Of(v.Receipt.Sha256));
        var contributions = sample.Report["goals"]!.AsArray().SelectMany(g => g!["contributions"]!.AsArray()).ToDictionary(c => (string)c!["key"]!, c => c!);
        var store = sample.Services.Get<ISubmissionContentStore>();
        foreach (var (name, sum, indicator) in figures.OrderBy(_ => random.Next()).Take(5))
        {
            var ids = sum["contributionIds"]!.AsArray().Select(x => (string)x!).ToList();
            Assert.True(ids.Count == (int)sum["reported"]!, $"{name} (seed {seed}): ids and count differ");
            var total = 0m;
            foreach (var id in ids)
            {
                var (signatoryId, contributionId) = (id[..id.IndexOf('/')], id[(id.IndexOf('/') + 1)..]);
                var source = contributions[id]["source"]!;
                var entry = lineage.Single(l => (string)l!["submissionId"]! == (string)source["submissionId"]!)!;
                Assert.Equal(signatoryId, (string)entry["signatoryId"]!);
                Assert.Equal((int)entry["version"]!, (int)source["version"]!);
                Assert.Equal((string)entry["keyedHash"]!, (string)source["keyedHash"]!);
                // The keyed hash, recomputed with the key, names the stored version; its bytes are the ones the lineage promises.
                var stored = versions[(string)entry["keyedHash"]!];
                Assert.Equal(signatoryId, stored.Receipt.SignatoryId);
                var body = await store.GetAsync(stored.BlobName);
                Assert.NotNull(body);
                Assert.Equal((string)entry["keyedHash"]!, key.Of(Convert.ToHexStringLower(SHA256.HashData(body!.ToArray()))));
                // Derived ids count the published contributions of the goal (confidential ones leave no gap).
                var goalCode = contributionId[..contributionId.IndexOf('-')];
                var position = int.Parse(contributionId[(contributionId.IndexOf('-') + 1)..], CultureInfo.InvariantCulture) - 1;
                var contribution = JsonNode.Parse(body.ToString())!["goals"]![goalCode]!["contributions"]!.AsArray().Where(c => !(bool)c!["confidential"]!).ElementAt(position)!;
                Assert.False((bool)contribution["confidential"]!);
                Assert.Equal((string)contributions[id]["title"]!, (string)contribution["title"]!);
                total += indicator is null
                    ? Dec(contribution["budgetSpentEur"]!)
                    : contribution["indicatorResults"]!.AsArray().Where(r => (string)r!["indicator"]! == indicator && r["value"] is not null).Sum(r => Dec(r!["value"]!));
            }
            Assert.True(total == (sum["sum"]?.GetValue<decimal>() ?? 0m) && (ids.Count > 0 || sum["sum"] is null), $"{name} (seed {seed}): {total} from the blobs, {sum["sum"]} in the report");
        }
    }

    [Fact]
    public async Task Published_files_carry_no_plain_sha256_of_a_submission_and_the_staff_lineage_keeps_it()
    {
        static string Text(string name, byte[] bytes)
        {
            if (!name.EndsWith(".docx", StringComparison.Ordinal)) return Encoding.UTF8.GetString(bytes);
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            return string.Concat(zip.Entries.Select(e => { using var r = new StreamReader(e.Open()); return r.ReadToEnd(); }));
        }
        var files = new List<(string Name, string Text)> { ("stored.json", Text("json", sample.Json)), ("stored.csv", Text("csv", sample.Csv)), ("stored.docx", Text(".docx", sample.Docx)) };
        files.AddRange(Directory.GetFiles(sample.Services.LocalFolder, "*", SearchOption.AllDirectories).Select(p => (p, Text(p, File.ReadAllBytes(p)))));
        Assert.True(files.Count >= 9, "the stored files and their published copies");
        var key = await sample.Services.Get<IPublishedHashKey>().GetAsync();
        var all = sample.Included.Select(i => i.Version).Append(sample.Corrupt).Append(sample.Missing).ToList();
        foreach (var version in all)
        {
            foreach (var (name, text) in files)
                Assert.False(text.Contains(version.Receipt.Sha256, StringComparison.Ordinal), $"the plain SHA-256 of {version.Receipt.SignatoryId} is in {name}");
            Assert.Contains(key.Of(version.Receipt.Sha256), files[0].Text, StringComparison.Ordinal);
        }

        var lineage = await sample.Services.Get<ReportStore>().FindStaffLineageAsync(sample.Version);
        var staff = JsonNode.Parse(lineage!.Value.Content)!["lineage"]!.AsArray();
        Assert.Equal(all.Count, staff.Count);
        foreach (var version in all)
        {
            var entry = staff.Single(e => (string)e!["submissionId"]! == version.Receipt.SubmissionId)!;
            Assert.Equal((version.Receipt.Sha256, key.Of(version.Receipt.Sha256)), ((string)entry["sha256"]!, (string)entry["keyedHash"]!));
        }
        // Staff download it with the report's files (Nap.Reader); it is never published.
        var download = await sample.Services.Get<ReportService>().FindFileAsync(sample.Cycle.Id, sample.Version.Version.ToString(CultureInfo.InvariantCulture),
            ReportService.StaffLineageFile, new Nap.Security.StaffMember("reader-oid", "Reader", new HashSet<string> { Nap.Security.StaffRoles.Reader }, "aad"));
        Assert.Equal("application/json", download.ContentType);
        await using (var stream = await download.OpenAsync(CancellationToken.None))
            Assert.Equal(lineage.Value.Content, (await BinaryData.FromStreamAsync(stream)).ToArray());
        Assert.DoesNotContain(Directory.GetFiles(sample.Services.LocalFolder, "*", SearchOption.AllDirectories), p => p.Contains("lineage", StringComparison.Ordinal));
    }

    [Fact]
    public void Docx_passes_the_open_xml_validator()
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(sample.Docx), false);
        var errors = new OpenXmlValidator(FileFormatVersions.Microsoft365).Validate(doc).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(20).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")));
    }

    [Fact]
    public void Corrupt_and_missing_bodies_are_skipped_and_named_in_the_data_quality_section()
    {
        var skipped = sample.Report["dataQuality"]!["skipped"]!.AsArray();
        Assert.Equal(2, skipped.Count);
        var corrupt = skipped.Single(s => (string)s!["signatoryId"]! == sample.Corrupt.Receipt.SignatoryId)!;
        Assert.Equal(1, (int)corrupt["version"]!);
        Assert.Equal(SkipReasons.Invalid, (string)corrupt["reason"]!);
        Assert.Equal(SkipReasons.Missing, (string)skipped.Single(s => (string)s!["signatoryId"]! == sample.Missing.Receipt.SignatoryId)!["reason"]!);

        using var doc = WordprocessingDocument.Open(new MemoryStream(sample.Docx), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        bool IsHeading(OpenXmlElement e, string text) => e is Paragraph p && p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1" && p.InnerText == text;
        var afterHeading = body.Elements().SkipWhile(e => !IsHeading(e, "13. Datakwaliteit")).Skip(1).TakeWhile(e => !IsHeading(e, "14. Verantwoording")).ToList();
        var table = afterHeading.OfType<Table>().Single();
        var rows = table.Elements<TableRow>().Skip(1).Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Contains(rows, r => r[0] == sample.Corrupt.Receipt.SignatoryId && r[2] == "1" && r[3] == SkipReasons.Dutch(SkipReasons.Invalid));
        Assert.Contains(rows, r => r[0] == sample.Missing.Receipt.SignatoryId && r[3] == SkipReasons.Dutch(SkipReasons.Missing));
        // Logged by id and reason only.
        Assert.Contains(sample.Services.Logs.Lines, l => l.Contains(sample.Corrupt.Receipt.SignatoryId, StringComparison.Ordinal) && l.Contains("invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Confidential_text_reaches_no_output_table_published_file_or_log()
    {
        Assert.Contains(sample.Included, i => i.Body.ToJsonString().Contains(sample.Canary, StringComparison.Ordinal));
        var outputs = new Dictionary<string, string>
        {
            ["docx"] = AllPartsText(sample.Docx),
            ["json"] = Encoding.UTF8.GetString(sample.Json),
            ["csv"] = Encoding.UTF8.GetString(sample.Csv),
            ["logs"] = sample.Services.Logs.All,
        };
        foreach (var file in Directory.EnumerateFiles(sample.Services.LocalFolder, "*", SearchOption.AllDirectories))
            outputs["published " + Path.GetFileName(file)] = file.EndsWith(".docx", StringComparison.Ordinal) ? AllPartsText(File.ReadAllBytes(file)) : File.ReadAllText(file);
        var tables = sample.Services.Get<NapStorage>().Tables;
        var rows = new StringBuilder();
        foreach (var name in new[] { ReportStorageNames.VersionsTable, ReportStorageNames.AggregatesTable })
            await foreach (var e in tables.GetTableClient(name).QueryAsync<TableEntity>(x => x.PartitionKey == sample.Cycle.Id))
                rows.AppendJoin('|', e.Select(kv => kv.Value));
        outputs["tables"] = rows.ToString();
        // Three files, each under the final's versioned name and the stable latest name.
        Assert.Equal(6, outputs.Keys.Count(k => k.StartsWith("published", StringComparison.Ordinal)));
        Assert.Contains($"published voortgangsrapportage-nap-iv-{sample.Cycle.Id}-v{sample.Version.Version}.docx", outputs.Keys);
        foreach (var (name, text) in outputs)
            Assert.False(text.Contains(sample.Canary, StringComparison.Ordinal), $"The confidential canary appears in {name}.");
        // Withheld, but counted in the data-quality section.
        Assert.True((int)sample.Report["dataQuality"]!["withheldConfidentialContributions"]! >= 1);
    }

    [Fact]
    public void Csv_opens_in_dutch_excel_with_numbers_as_numbers_and_formulas_neutralised()
    {
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, sample.Csv[..3]);
        var text = Encoding.UTF8.GetString(sample.Csv[3..]);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var rows = Csv.Parse(text);
        var header = rows[0];
        Assert.Equal("Soort", header[0]);
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        int Col(string name) => header.IndexOf(name);

        var expected = Recompute();
        var contributions = rows.Skip(1).Where(r => r[0] == "bijdrage").ToList();
        Assert.Equal(expected.Contributions, contributions.Count);
        var results = rows.Skip(1).Where(r => r[0] == "indicatorresultaat").ToList();
        Assert.Equal(sample.Included.Sum(i => i.Body["goals"]!.AsObject().Sum(g => g.Value!["contributions"]!.AsArray()
            .Where(c => !(bool)c!["confidential"]!).Sum(c => c!["indicatorResults"]!.AsArray().Count))), results.Count);

        // Numbers: decimal comma, no grouping, not quoted, and they add up.
        Assert.All(contributions, r => Assert.Matches(@"^\d+(,\d{1,2})?$", r[Col("Besteed budget (EUR)")]));
        Assert.Equal(expected.Budget, contributions.Sum(r => decimal.Parse(r[Col("Besteed budget (EUR)")], NumberStyles.Number, Dutch)));
        Assert.All(results, r => Assert.Matches(@"^\d+(,\d+)?$", r[Col("Waarde")]));
        var firstBudget = contributions[0][Col("Besteed budget (EUR)")];
        Assert.Contains(";" + firstBudget + ";", text, StringComparison.Ordinal);

        // The formula-like title is text, starting with an apostrophe, in every row of that contribution.
        var formulaRows = rows.Where(r => r[Col("Bijdrage")].Contains("HYPERLINK", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(formulaRows);
        Assert.All(formulaRows, r => Assert.Equal("'" + CompiledSampleReport.Formula, r[Col("Bijdrage")]));
        Assert.DoesNotContain(rows.SelectMany(r => r), c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');
    }

    [Fact]
    public async Task Version_row_aggregates_and_published_files_are_recorded()
    {
        var expected = Recompute();
        var tables = sample.Services.Get<NapStorage>().Tables;
        var row = (await tables.GetTableClient(ReportStorageNames.VersionsTable).GetEntityAsync<TableEntity>(sample.Cycle.Id, ReportStore.VersionKey(sample.Version.Version))).Value;
        Assert.Equal("compiled", row.GetString("Status"));
        Assert.Equal("final", row.GetString("Kind"));
        Assert.Equal(PublishStatus.Published, row.GetString("PublishStatus"));
        Assert.Equal("local-folder", row.GetString("PublishTarget"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sample.Docx)), row.GetString("DocxSha256"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sample.Csv)), row.GetString("CsvSha256"));

        foreach (var ext in new[] { "Docx", "Json", "Csv" })
        {
            var itemId = row.GetString(ext + "ItemId");
            var path = Path.Combine(sample.Services.LocalFolder, itemId);
            Assert.True(File.Exists(path), $"{ext} was not published to {path}");
            Assert.Equal(new Uri(path).AbsoluteUri, row.GetString(ext + "WebUrl"));
            Assert.Equal(row.GetString(ext + "Sha256"), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        }

        var aggregates = new List<TableEntity>();
        await foreach (var e in tables.GetTableClient(ReportStorageNames.AggregatesTable).QueryAsync<TableEntity>(x => x.PartitionKey == sample.Cycle.Id))
            aggregates.Add(e);
        Assert.Equal(GoalCodes.Length * 3 + 1, aggregates.Count);
        foreach (var code in GoalCodes)
        {
            Assert.Equal(expected.Goals[code].Contributions, aggregates.Single(a => a.RowKey == $"final|{code}|total").GetInt32("Contributions"));
            Assert.Equal(expected.Goals[code].National, aggregates.Single(a => a.RowKey == $"final|{code}|national").GetInt32("Contributions"));
            Assert.Equal(expected.Goals[code].International, aggregates.Single(a => a.RowKey == $"final|{code}|international").GetInt32("Contributions"));
        }
        var all = aggregates.Single(a => a.RowKey == "final|all|total");
        Assert.Equal(expected.Contributions, all.GetInt32("Contributions"));
        Assert.Equal(expected.Budget, decimal.Parse(all.GetString("BudgetSpentEurExact"), CultureInfo.InvariantCulture));
        Assert.All(aggregates, a => Assert.Equal(sample.Version.Version, a.GetInt32("ReportVersion")));
    }

    [Fact]
    public async Task The_same_submissions_in_another_order_on_another_clock_give_identical_bytes_and_no_new_version()
    {
        await using var other = new ReportServices(configure: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2041, 7, 4, 13, 0, 0, TimeSpan.Zero))));
        var latest = (await other.Get<ISubmissionIndex>().ListLatestAsync(sample.Cycle.Id)).ToArray();
        var registry = (await other.Get<ISignatoryRegistry>().ListAsync()).ToArray();
        Random.Shared.Shuffle(latest);
        Random.Shared.Shuffle(registry);
        var cycle = (await other.Get<ICycleStore>().FindAsync(sample.Cycle.Id))!;
        var inputs = await other.InputsAsync(cycle, ReportKind.Final, latest, registry);
        Assert.Equal(sample.Version.InputHash, inputs.InputHash);

        var bundle = await other.Get<ReportCompiler>().BuildAsync(inputs);
        Assert.Equal(sample.Docx, bundle.Files.Single(f => f.Extension == "docx").Content);
        Assert.Equal(sample.Json, bundle.Files.Single(f => f.Extension == "json").Content);
        Assert.Equal(sample.Csv, bundle.Files.Single(f => f.Extension == "csv").Content);

        // Compiling again through the service recognises the inputs and makes no new version.
        var again = await other.Get<ReportService>().CompileAsync(sample.Cycle.Id, ReportKind.Final, null);
        Assert.False(again.Created);
        Assert.Equal(sample.Version.Version, again.Version!.Version);
    }

    [Fact]
    public async Task Two_separate_processes_three_seconds_apart_with_other_clocks_and_input_order_write_the_same_files()
    {
        var tool = BenchmarkTool();
        var first = Path.Combine(Path.GetTempPath(), "nap-report-a-" + Guid.NewGuid().ToString("N"));
        var second = Path.Combine(Path.GetTempPath(), "nap-report-b-" + Guid.NewGuid().ToString("N"));
        try
        {
            var a = await ProcessRunner.RunAsync("dotnet", [tool, "compile", "--storage", Azurite.ConnectionString, "--cycle", sample.Cycle.Id, "--out", first,
                "--kind", "final", "--shuffle-seed", "1", "--clock", "2031-02-03T04:05:06Z"], TimeSpan.FromMinutes(3));
            Assert.True(a.ExitCode == 0, a.Output);
            await Task.Delay(TimeSpan.FromSeconds(3.2));
            var b = await ProcessRunner.RunAsync("dotnet", [tool, "compile", "--storage", Azurite.ConnectionString, "--cycle", sample.Cycle.Id, "--out", second,
                "--kind", "final", "--shuffle-seed", "2", "--clock", "2039-11-30T23:59:59Z"], TimeSpan.FromMinutes(3));
            Assert.True(b.ExitCode == 0, b.Output);

            var names = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(3, names.Count);
            Assert.Equal(names, Directory.GetFiles(second).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var name in names)
            {
                var hashA = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(first, name!))));
                var hashB = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(second, name!))));
                Assert.Equal(hashA, hashB);
                Assert.Equal(sample.Version.Files.Single(f => f.Name == name).Sha256, hashA);
            }
        }
        finally
        {
            foreach (var dir in new[] { first, second }) if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task LibreOffice_renders_every_goal_heading_the_totals_and_the_signatory_names()
    {
        var soffice = ProcessRunner.Which("libreoffice") ?? ProcessRunner.Which("soffice");
        Assert.True(soffice is not null, "LibreOffice is not installed: `apt-get install -y libreoffice-writer-nogui poppler-utils` (the test script does this).");
        var pdftotext = ProcessRunner.Which("pdftotext");
        Assert.True(pdftotext is not null, "pdftotext is not installed: `apt-get install -y poppler-utils`.");

        var dir = Path.Combine(Path.GetTempPath(), "nap-report-render-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var docx = Path.Combine(dir, "report.docx");
            await File.WriteAllBytesAsync(docx, sample.Docx);
            var convert = await ProcessRunner.RunAsync(soffice!, ["-env:UserInstallation=file://" + Path.Combine(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, docx],
                TimeSpan.FromMinutes(4));
            var pdf = Path.Combine(dir, "report.pdf");
            Assert.True(File.Exists(pdf), "LibreOffice made no PDF: " + convert.Output);
            var text = await ProcessRunner.RunAsync(pdftotext!, [pdf, "-"], TimeSpan.FromMinutes(1));
            Assert.Equal(0, text.ExitCode);
            var flat = string.Join(' ', text.Output.Split((char[])[' ', '\n', '\r', '\t', '\f'], StringSplitOptions.RemoveEmptyEntries));

            var expected = Recompute();
            var goals = sample.Report["goals"]!.AsArray();
            for (var i = 0; i < goals.Count; i++)
                Assert.Contains($"{i + 3}. Strategisch doel {(string)goals[i]!["code"]!}: {(string)goals[i]!["title"]!}", flat, StringComparison.Ordinal);
            Assert.Contains($"Totaal {expected.Contributions.ToString("N0", Dutch)} {expected.National.ToString("N0", Dutch)} {expected.International.ToString("N0", Dutch)}", flat, StringComparison.Ordinal);
            Assert.Contains(expected.Budget.ToString("N2", Dutch), flat, StringComparison.Ordinal);
            Assert.All(sample.Submitters, s => Assert.Contains(s.Name, flat, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The paragraph's text as a reader sees it, a non-breaking hyphen as U+2011.</summary>
    public static string Shown(OpenXmlElement e) => string.Concat(e.Descendants().Select(d => d switch
    {
        Text t => t.Text,
        NoBreakHyphen => "\u2011",
        _ => "",
    }));

    private static string AllPartsText(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package));
        var sb = new StringBuilder();
        foreach (var e in zip.Entries)
        {
            using var r = new StreamReader(e.Open());
            sb.Append(r.ReadToEnd());
        }
        // Text split over runs is joined too.
        using var doc = WordprocessingDocument.Open(new MemoryStream(package), false);
        sb.Append(doc.MainDocumentPart!.Document!.Body!.InnerText);
        return sb.ToString();
    }

    /// <summary>The benchmark tool's build output (built with the tests through a project reference).</summary>
    public static string BenchmarkTool()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepoRoot.Path, "tools", "Nap.Benchmarks.Reports", "bin", configuration, "net10.0", "Nap.Benchmarks.Reports.dll");
        Assert.True(File.Exists(path), $"The report tool is not built at {path}.");
        return path;
    }
}
