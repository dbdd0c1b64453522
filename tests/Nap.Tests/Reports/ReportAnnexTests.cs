using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Nap.Reports;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Tests.Reports;

/// <summary>What the annex says, checked on <see cref="AnnexWorld.Full"/>, whose numbers are counted by hand.</summary>
public sealed partial class ReportAnnexTests
{
    private static readonly CompiledReport Report = AnnexWorld.Full().Compile();
    private static readonly byte[] DocxBytes = AnnexWorld.Docx(Report);

    private static GoalSection Goal(string code) => Report.Goals.Single(g => g.Code == code);

    [Fact]
    public void A_budget_nobody_reported_is_null_with_counts_never_zero()
    {
        var t = Report.Totals.BudgetSpentEur;
        Assert.Equal(1_250_000.50m, t.Sum);
        Assert.Equal((3, 6), (t.Reported, t.Of));
        Assert.Equal(["min-bz/G1-1", "cso-a/G1-1", "ki-c/G5-1"], t.ContributionIds);

        var g2 = Goal("G2").Total.BudgetSpentEur;
        Assert.Null(g2.Sum);
        Assert.Equal((0, 1), (g2.Reported, g2.Of));
        Assert.Empty(g2.ContributionIds);
        // A budget reported as zero is zero, and counts as reported.
        Assert.Equal(0m, Goal("G5").Total.BudgetSpentEur.Sum);
        Assert.Equal(1, Goal("G5").Total.BudgetSpentEur.Reported);
        Assert.Null(Goal("G4").Total.BudgetSpentEur.Sum);

        var json = JsonNode.Parse(JsonReportWriter.Write(Report))!;
        var g2Json = json["goals"]![1]!["total"]!["budgetSpentEur"]!;
        Assert.Null(g2Json["sum"]);
        Assert.True(g2Json.AsObject().ContainsKey("sum"));
        Assert.Equal(0, (int)g2Json["reported"]!);
        Assert.Equal(1, (int)g2Json["of"]!);
    }

    [Fact]
    public void Docx_says_how_many_contributions_reported_a_budget_and_never_prints_zero_for_none()
    {
        var text = BodyText(DocxBytes);
        Assert.Contains("Besteed budget: € 1,3 mln (3 van 6 bijdragen rapporteerden een budget).", text, StringComparison.Ordinal);
        var g2 = Chapter(DocxBytes, "4. Strategisch doel G2");
        Assert.Contains("Besteed budget: de bijdrage rapporteerde geen budget.", g2, StringComparison.Ordinal);
        Assert.DoesNotContain("0,00", g2, StringComparison.Ordinal);
        Assert.Contains("niet gerapporteerd", g2, StringComparison.Ordinal);
        var g4 = Chapter(DocxBytes, "6. Strategisch doel G4");
        Assert.Contains("Voor dit doel zijn geen bijdragen gerapporteerd.", g4, StringComparison.Ordinal);
        Assert.DoesNotContain("€", g4, StringComparison.Ordinal);

        // The summary row of G2: no amount, and 0 of 1 with a budget.
        using var doc = WordprocessingDocument.Open(new MemoryStream(DocxBytes), false);
        var row = doc.MainDocumentPart!.Document!.Body!.Elements<Table>().First().Elements<TableRow>()
            .Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).Single(r => r[0].StartsWith("G2 ", StringComparison.Ordinal));
        Assert.Equal("niet gerapporteerd(0 van 1)", row[^1]);
    }

    [Fact]
    public void Indicator_sums_count_the_values_reported_and_list_the_contributions_added()
    {
        var indicator = Goal("G1").Total.Indicators.Single(i => i.Code == "G1.1.a");
        Assert.Equal(3, indicator.Results);
        Assert.Equal((15m, 2, 3), (indicator.Sum!.Sum, indicator.Sum.Reported, indicator.Sum.Of));
        Assert.Equal(["min-bz/G1-1", "cso-a/G1-1"], indicator.Sum.ContributionIds);
        Assert.Equal(20m, indicator.TargetSum!.Sum);
        Assert.Equal(1, indicator.TargetSum.Reported);
        // Only indicators someone reported on; the framework's full list is the appendix.
        Assert.Equal(["G1.1.a", "G1.1.b"], Goal("G1").Total.Indicators.Select(i => i.Code));
        Assert.Empty(Goal("G4").Total.Indicators);
        var appendix = Chapter(DocxBytes, "Bijlage. Indicatoren van het resultatenraamwerk");
        var all = AnnexWorld.Framework.Goals.SelectMany(g => g.Outcomes).SelectMany(o => o.Indicators).ToList();
        Assert.All(all, i => Assert.Contains(i.Code + i.Title.Nl, appendix, StringComparison.Ordinal));
        var g1 = Chapter(DocxBytes, "3. Strategisch doel G1");
        Assert.DoesNotContain("G1.2.a", g1, StringComparison.Ordinal);
        Assert.Contains("G1.1.a", g1, StringComparison.Ordinal);
    }

    [Fact]
    public void Countries_and_regions_are_counted_apart_and_a_country_in_a_region_once()
    {
        var t = Report.Totals;
        Assert.Equal((4, 3), (t.CountriesReached, t.RegionsReached));
        var international = Goal("G1").International;
        Assert.Equal(["ES", "ML", "NE"], international.CountryCodes);
        Assert.Equal(["EU", "GLOBAL", "SAHEL"], international.RegionCodes);
        var line = Goal("G1").Contributions.First();
        Assert.Equal(["ML", "NE"], line.CountryCodes);
        Assert.Equal(["SAHEL"], line.RegionCodes);

        var json = JsonNode.Parse(JsonReportWriter.Write(Report))!;
        Assert.Equal(4, (int)json["totals"]!["countriesReached"]!);
        Assert.Equal(3, (int)json["totals"]!["regionsReached"]!);
        Assert.Equal("SAHEL", (string)json["goals"]![0]!["national"]!["regionCodes"]![0]!);

        var g1 = Chapter(DocxBytes, "3. Strategisch doel G1");
        Assert.Contains("3 landen: Mali, Niger en Spanje; 3 regio's: Europese Unie, Sahel en Wereldwijd.", g1, StringComparison.Ordinal);
        Assert.Contains("2 landen: Mali en Niger; 1 regio: Sahel.", g1, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_public_narrative_kind_is_quoted_per_goal_with_its_organisation()
    {
        Assert.Equal(["Hoogtepunt BZ"], Goal("G1").Highlights.Select(q => q.Text));
        Assert.Equal(["Uitdaging BZ"], Goal("G1").Challenges.Select(q => q.Text));
        Assert.Equal(["Les Alfa"], Goal("G1").Lessons.Select(q => q.Text));
        Assert.Equal("Ministerie van Defensie", Goal("G2").Challenges.Single().Organisation);
        Assert.Equal(2, Report.DataQuality.WithheldConfidentialNarratives);
        Assert.Equal(1, Report.DataQuality.WithheldConfidentialContributions);

        var g1 = Chapter(DocxBytes, "3. Strategisch doel G1");
        Assert.Contains("UitdagingenUitdaging BZ— Ministerie van Buitenlandse Zaken", g1, StringComparison.Ordinal);
        Assert.Contains("Geleerde lessenLes Alfa— Stichting Alfa", g1, StringComparison.Ordinal);
        Assert.Contains("UitdagingenUitdaging Defensie— Ministerie van Defensie", Chapter(DocxBytes, "4. Strategisch doel G2"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_draft_publishes_no_count_of_withheld_items_and_a_final_only_totals()
    {
        var draft = AnnexWorld.Full().Compile(ReportKind.Draft);
        Assert.Null(draft.DataQuality.WithheldConfidentialContributions);
        Assert.Null(draft.DataQuality.WithheldConfidentialNarratives);
        var json = JsonNode.Parse(JsonReportWriter.Write(draft))!["dataQuality"]!.AsObject();
        Assert.False(json.ContainsKey("withheldConfidentialContributions"));
        Assert.False(json.ContainsKey("withheldConfidentialNarratives"));
        var text = BodyText(AnnexWorld.Docx(draft), "\n");
        Assert.Contains("Bijdragen en teksten die ondertekenaars als vertrouwelijk hebben gemarkeerd, zijn niet opgenomen, ook niet in de cijfers. Hoeveel het er zijn, staat alleen in de definitieve bijlage.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vertrouwelijke bijdrage", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vertrouwelijke tekst", text, StringComparison.Ordinal);

        // The final: one total per kind, never per organisation.
        var final = BodyText(DocxBytes, "\n");
        Assert.Contains("Op verzoek van de ondertekenaars zijn 1 vertrouwelijke bijdrage en 2 vertrouwelijke teksten niet opgenomen, ook niet in de cijfers.", final, StringComparison.Ordinal);
        Assert.Single(final.Split('\n'), p => p.Contains("vertrouwelijke", StringComparison.Ordinal));
    }

    [Fact]
    public void Confidential_content_reaches_no_file()
    {
        var csv = Encoding.UTF8.GetString(CsvReportWriter.Write(Report, AnnexWorld.Countries, AnnexWorld.Framework));
        var json = Encoding.UTF8.GetString(JsonReportWriter.Write(Report));
        Assert.DoesNotContain(AnnexWorld.Canary, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(AnnexWorld.Canary, json, StringComparison.Ordinal);
        Assert.DoesNotContain(AnnexWorld.Canary, BodyText(DocxBytes), StringComparison.Ordinal);
        // SD was only in the confidential contribution: not counted either.
        Assert.DoesNotContain("SD", Report.Goals.SelectMany(g => g.Total.CountryCodes));
    }

    [Fact]
    public void Contributions_carry_ids_from_their_published_position_and_their_submission_version_and_keyed_hash()
    {
        var alfa = Goal("G1").Contributions.Single(c => c.SignatoryId == "cso-a");
        // The confidential contribution before it leaves no gap: the derived id and the position count published ones only.
        Assert.Equal(("G1-1", 0), (alfa.Id, alfa.Position));
        var submission = AnnexWorld.Full().Submissions.Single(s => s.Version.Receipt.SignatoryId == "cso-a").Version.Receipt;
        Assert.Equal(new SourceRef(submission.SubmissionId, 1, AnnexWorld.HashKey.Of(submission.Sha256)), alfa.Source);
        Assert.NotEqual(submission.Sha256, alfa.Source.KeyedHash);
        Assert.All(alfa.IndicatorResults, r => Assert.Equal(alfa.Source, r.Source));
        Assert.Equal(alfa.Source, Goal("G1").Lessons.Single().Source);
        var listing = Goal("G1").Total.Indicators.Single(i => i.Code == "G1.1.b").Listed.Single();
        Assert.Equal(("min-bz", "G1-1"), (listing.SignatoryId, listing.ContributionId));
        Assert.Equal(Report.Lineage.Single(l => l.SignatoryId == "min-bz").KeyedHash, listing.Source.KeyedHash);

        var rows = Csv.Parse(Encoding.UTF8.GetString(CsvReportWriter.Write(Report, AnnexWorld.Countries, AnnexWorld.Framework)[3..]));
        var header = rows[0];
        var row = rows.Single(r => r[0] == "bijdrage" && r[header.IndexOf("Organisatie-id")] == "cso-a");
        Assert.Equal("G1-1", row[header.IndexOf("Bijdrage-id")]);
        Assert.Equal("1", row[header.IndexOf("Versie")]);
        Assert.Equal(AnnexWorld.HashKey.Of(submission.Sha256), row[header.IndexOf("Sleutelhash (HMAC-SHA256)")]);
        // Nothing points at the withheld place: no G1-2 of cso-a anywhere, no "position": 1.
        var json = JsonNode.Parse(JsonReportWriter.Write(Report))!;
        var alfaJson = json["goals"]![0]!["contributions"]!.AsArray().Single(c => (string)c!["signatoryId"]! == "cso-a")!;
        Assert.Equal(("cso-a/G1-1", 0), ((string)alfaJson["key"]!, (int)alfaJson["position"]!));
        Assert.DoesNotContain("cso-a/G1-2", json.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Mali", row[header.IndexOf("Landen")]);
        // Not reported is an empty cell, not 0.
        var defence = rows.Single(r => r[0] == "bijdrage" && r[header.IndexOf("Organisatie-id")] == "min-def");
        Assert.Equal("", defence[header.IndexOf("Besteed budget (EUR)")]);
        var ki = rows.Single(r => r[0] == "bijdrage" && r[header.IndexOf("Organisatie-id")] == "ki-c");
        Assert.Equal("0", ki[header.IndexOf("Besteed budget (EUR)")]);
    }

    [Fact]
    public void Chapters_per_signatory_kind_with_each_ministry_national_then_international()
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(DocxBytes), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        var ministries = Section(body, "8. Inzet van de ministeries");
        var outline = ministries.OfType<Paragraph>().Where(p => Style(p) is "Heading2" or "Heading3" or "NapGoalLabel" or "NapContribution")
            .Select(p => $"{Style(p)}:{p.InnerText}").ToList();
        Assert.Equal([
            "Heading2:Ministerie van Buitenlandse Zaken",
            "Heading3:Nationaal", "NapGoalLabel:G1 Participatie", "NapContribution:Vrouwen aan de vredestafel",
            "Heading3:Internationaal", "NapGoalLabel:G1 Participatie", "NapContribution:Vrouwen aan de vredestafel", "NapContribution:EU-inzet",
            "Heading2:Ministerie van Defensie",
            "Heading3:Nationaal", "NapGoalLabel:G2 Preventie", "NapContribution:Genderadviseurs",
            "Heading3:Internationaal",
        ], outline);
        var ministryText = string.Concat(ministries.Select(e => e.InnerText));
        Assert.Contains("Omschrijving van Vrouwen aan de vredestafel", ministryText, StringComparison.Ordinal);
        Assert.Contains("Partners: Partner van Vrouwen aan de vredestafel", ministryText, StringComparison.Ordinal);
        Assert.Contains("Landen: Mali en Niger", ministryText, StringComparison.Ordinal);
        Assert.Contains("Regio's: Sahel", ministryText, StringComparison.Ordinal);
        Assert.Contains("Besteed budget: € 1.000.000,00", ministryText, StringComparison.Ordinal);
        Assert.Contains("Besteed budget: niet gerapporteerd", ministryText, StringComparison.Ordinal);
        Assert.Contains("Geteld bij trainingen", ministryText, StringComparison.Ordinal);
        Assert.Contains("Beleid aangepast", ministryText, StringComparison.Ordinal);

        var cso = Section(body, "9. Inzet van maatschappelijke organisaties");
        var csoOutline = cso.OfType<Paragraph>().Where(p => Style(p) is "Heading2" or "NapGoalLabel" or "NapContribution").Select(p => $"{Style(p)}:{p.InnerText}").ToList();
        Assert.Equal([
            "Heading2:Nationaal", "NapGoalLabel:G3 Bescherming", "NapContribution:Opvang — Vereniging Beta",
            "Heading2:Internationaal", "NapGoalLabel:G1 Participatie", "NapContribution:Bemiddelaarsnetwerk — Stichting Alfa",
        ], csoOutline);
        Assert.Contains(Section(body, "10. Inzet van kennisinstellingen").OfType<Paragraph>(), p => p.InnerText == "Onderzoek genderlens — Instituut Gamma");
        Assert.DoesNotContain(body.Elements<Paragraph>(), p => Style(p) == "Heading1" && p.InnerText.Contains("overige", StringComparison.Ordinal));
    }

    [Fact]
    public void Docx_passes_the_open_xml_validator_with_footnotes_and_coordinator_texts_in_both_languages()
    {
        foreach (var language in new[] { "nl", "en" })
        {
            var report = WithLinks(AnnexWorld.Full(language, new CycleReportTexts("Inleiding.\n\n- punt een\n- punt twee", "Sturing.")).Compile());
            using var doc = WordprocessingDocument.Open(new MemoryStream(AnnexWorld.Docx(report)), false);
            var errors = new OpenXmlValidator(FileFormatVersions.Microsoft365).Validate(doc).ToList();
            Assert.True(errors.Count == 0, language + ": " + string.Join('\n', errors.Take(20).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")));
        }
    }

    /// <summary>The report with links on two contributions, as the contract change (issue 9) will bring them.</summary>
    public static CompiledReport WithLinks(CompiledReport report) => report with
    {
        Goals = report.Goals.Select(g => g with
        {
            Contributions = g.Contributions.Select(c => c.Title switch
            {
                "Vrouwen aan de vredestafel" => c with { Links = ["https://example.org/vredestafel", "https://example.org/rapport?jaar=2031&taal=nl"] },
                "Opvang" => c with { Links = ["https://example.org/opvang"] },
                _ => c,
            }).ToList(),
        }).ToList(),
    };

    [Fact]
    public void Links_of_contributions_are_numbered_word_footnotes_with_the_url_as_an_external_hyperlink()
    {
        var bytes = AnnexWorld.Docx(WithLinks(Report));
        using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        var references = body.Descendants<FootnoteReference>().ToList();
        // "Vrouwen aan de vredestafel" is both national and international: described (and footnoted) once, under national.
        Assert.Equal([1, 2, 3], references.Select(r => (int)r.Id!.Value));
        var titles = references.Select(r => r.Ancestors<Paragraph>().Single().InnerText).ToList();
        Assert.Equal(["Vrouwen aan de vredestafel,", "Vrouwen aan de vredestafel,", "Opvang — Vereniging Beta"], titles);
        Assert.DoesNotContain("https://", body.InnerText, StringComparison.Ordinal);

        var part = doc.MainDocumentPart.FootnotesPart!;
        var notes = part.Footnotes!.Elements<Footnote>().Where(f => f.Id!.Value > 0).ToList();
        Assert.Equal(3, notes.Count);
        Assert.All(notes, n => Assert.Single(n.Descendants<FootnoteReferenceMark>()));
        var links = notes.Select(n => n.Descendants<Hyperlink>().Single()).ToList();
        Assert.Equal(["https://example.org/vredestafel", "https://example.org/rapport?jaar=2031&taal=nl", "https://example.org/opvang"], links.Select(h => h.InnerText));
        Assert.All(links, h => Assert.Equal(h.InnerText, part.HyperlinkRelationships.Single(r => r.Id == h.Id).Uri.OriginalString));
        Assert.Contains(part.Footnotes.Elements<Footnote>(), f => f.Type?.Value == FootnoteEndnoteValues.Separator);
    }

    [Fact]
    public void The_title_never_breaks_inside_NAP_IV()
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(DocxBytes), false);
        var title = doc.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Single(p => Style(p) == "Title");
        Assert.Equal("Bijlage bij de Voortgangsrapportage NAP\u2011IV 2031", ReportContentTests.Shown(title));
        Assert.DoesNotContain(doc.MainDocumentPart.Document.Body.Descendants<Text>(), t => t.Text.Contains("NAP-IV", StringComparison.Ordinal));
        Assert.DoesNotContain(doc.MainDocumentPart.FooterParts.Single().Footer!.Descendants<Text>(), t => t.Text.Contains("NAP-IV", StringComparison.Ordinal));
    }

    [Fact]
    public void The_english_annex_uses_the_frameworks_english_titles_english_names_and_numbers()
    {
        var report = AnnexWorld.Full("en").Compile();
        Assert.Equal("en", report.Language);
        Assert.Equal("Annex to the NAP-IV Progress Report 2031", report.Title);
        var framework = AnnexWorld.Framework;
        Assert.Equal(framework.Goals.Select(g => g.Title.En), report.Goals.Select(g => g.Title));
        Assert.Equal(framework.Goals[0].Outcomes[0].Indicators[0].Title.En, report.Goals[0].Total.Indicators[0].Title);
        var text = BodyText(AnnexWorld.Docx(report), "\n");
        Assert.Contains($"3. Strategic goal G1: {framework.Goals[0].Title.En}", text, StringComparison.Ordinal);
        Assert.Contains("Budget spent: €1.3 million (3 of 6 contributions reported a budget).", text, StringComparison.Ordinal);
        Assert.Contains("3 countries: Mali, Niger and Spain; 3 regions: European Union, Global and Sahel.", text, StringComparison.Ordinal);
        Assert.Contains("8. Contributions of the ministries", text, StringComparison.Ordinal);
        Assert.Contains("Budget spent: € 1,000,000.00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Strategisch doel", text, StringComparison.Ordinal);
        Assert.DoesNotContain("niet gerapporteerd", text, StringComparison.Ordinal);
        // The inputs differ by language, so a Dutch and an English final never share a version.
        Assert.NotEqual(AnnexWorld.Full().Compile().InputHash, report.InputHash);
    }

    // ---- Dutch (and English) forms over 0, 1 and n of every counted thing ----

    [Theory]
    [InlineData(0, "0 ondertekenaars", "0 bijdragen", "0 landen", "0 regio's", "0 rapportages", "0 resultaten")]
    [InlineData(1, "1 ondertekenaar", "1 bijdrage", "1 land", "1 regio", "1 rapportage", "1 resultaat")]
    [InlineData(2, "2 ondertekenaars", "2 bijdragen", "2 landen", "2 regio's", "2 rapportages", "2 resultaten")]
    [InlineData(1234, "1.234 ondertekenaars", "1.234 bijdragen", "1.234 landen", "1.234 regio's", "1.234 rapportages", "1.234 resultaten")]
    public void Counted_things_agree_with_their_number(int n, string signatories, string contributions, string countries, string regions, string submissions, string results)
    {
        var l = ReportLanguage.Dutch;
        Assert.Equal([signatories, contributions, countries, regions, submissions, results],
            [l.Signatories(n), l.Contributions(n), l.Countries(n), l.Regions(n), l.Submissions(n), l.Results(n)]);
        var en = ReportLanguage.English;
        Assert.Equal(n == 1 ? "1 signatory" : $"{en.Number(n)} signatories", en.Signatories(n));
        Assert.Equal(n == 1 ? "1 country" : $"{en.Number(n)} countries", en.Countries(n));
    }

    [Fact]
    public void Dutch_dates_numbers_and_sums_are_spelled_out()
    {
        var l = ReportLanguage.Dutch;
        Assert.Equal("9 november 2022", l.Date(new DateOnly(2022, 11, 9)));
        Assert.Equal("12.345,50", l.Money(12_345.5m));
        Assert.Equal("€ 7,1 mln", l.MoneyShort(7_099_000m));
        Assert.Equal("€ 12.346", l.MoneyShort(12_345.5m));
        Assert.Equal("€ 7,1 mln (12 van 46 bijdragen rapporteerden een budget)", l.BudgetSentence(new ReportedSum(7_100_000m, 12, 46, [])));
        Assert.Equal("€ 5 (1 van 1 bijdrage rapporteerde een budget)", l.BudgetSentence(new ReportedSum(5m, 1, 1, [])));
        Assert.Equal("geen van de 3 bijdragen rapporteerde een budget", l.BudgetSentence(new ReportedSum(null, 0, 3, [])));
        Assert.Equal("Mali, Niger en Sahel", l.List(["Mali", "Niger", "Sahel"]));
        Assert.Equal("9 November 2022", ReportLanguage.English.Date(new DateOnly(2022, 11, 9)));
    }

    /// <summary>A world where every counted thing occurs exactly once.</summary>
    private static AnnexWorld One()
    {
        var world = new AnnexWorld();
        world.Registry.AddRange([AnnexWorld.Signatory("min-bz", "Ministerie van Buitenlandse Zaken", SignatoryKind.Ministry),
            AnnexWorld.Signatory("cso-a", "Stichting Alfa", SignatoryKind.CivilSocietyOrganisation)]);
        world.Add("min-bz", world.Cycle.DeadlineUtc.AddDays(1),
            new GoalReport("G1", [
                AnnexWorld.Contribution("Enige bijdrage", [Focus.International], ["ML", "SAHEL"], 100m, AnnexWorld.Result("G1.1.a", 1)),
                AnnexWorld.Contribution("Geheim", [Focus.International], ["SD"], 1m) with { Confidential = true },
            ], new Narratives(null, null, new Narrative("Geheime les", true))));
        return world;
    }

    private static AnnexWorld None()
    {
        var world = new AnnexWorld();
        world.Registry.AddRange([AnnexWorld.Signatory("min-bz", "Ministerie van Buitenlandse Zaken", SignatoryKind.Ministry)]);
        return world;
    }

    public static TheoryData<string> Worlds => new() { "none", "one", "full" };

    [Theory]
    [MemberData(nameof(Worlds))]
    public void No_sentence_of_the_annex_puts_a_singular_noun_with_a_plural_number_or_the_reverse(string name)
    {
        foreach (var language in new[] { "nl", "en" })
        {
            var world = name switch { "none" => None(), "one" => One(), _ => AnnexWorld.Full() };
            world = new AnnexWorld { Language = language }.With(world);
            var text = BodyText(AnnexWorld.Docx(world.Compile()), separator: "\n");
            var wrong = language == "nl"
                ? Regex.Matches(text, @"(?<![\d.,])1 (ondertekenaars|bijdragen|landen|regio's|rapportages|resultaten|actieve ondertekenaars|vertrouwelijke bijdragen|vertrouwelijke teksten|ministeries|maatschappelijke organisaties|kennisinstellingen)(?![\w'])" +
                                      @"|(?<![\d.,])(0|[2-9]|\d{2,}|\d{1,3}(\.\d{3})+) (ondertekenaar|bijdrage|land|regio|rapportage|resultaat|actieve ondertekenaar|vertrouwelijke bijdrage|vertrouwelijke tekst|ministerie|maatschappelijke organisatie|kennisinstelling)(?![\w'])" +
                                      @"|rapporteerden 1 |rapporteerde (0|[2-9]|\d{2,}) ")
                : Regex.Matches(text, @"(?<![\d.,])1 (signatories|contributions|countries|regions|reports|results|active signatories|confidential contributions|confidential texts|ministries)(?![\w'])" +
                                      @"|(?<![\d.,])(0|[2-9]|\d{2,}|\d{1,3}(,\d{3})+) (signatory|contribution|country|region|report|result|active signatory|confidential contribution|confidential text|ministry)(?![\w'])");
            Assert.True(wrong.Count == 0, $"{name}/{language}: " + string.Join(" | ", wrong.Select(m => m.Value)));
        }
        if (name == "one")
        {
            var text = BodyText(AnnexWorld.Docx(One().Compile()));
            Assert.Contains("Over 2031 rapporteerde 1 ondertekenaar 1 bijdrage aan de strategische doelen", text, StringComparison.Ordinal);
            Assert.Contains("1 land en 1 regio", text, StringComparison.Ordinal);
            Assert.Contains("1 rapportage is na de deadline ontvangen en meegeteld.", text, StringComparison.Ordinal);
            Assert.Contains("1 actieve ondertekenaar heeft (nog) niet gerapporteerd.", text, StringComparison.Ordinal);
            Assert.Contains("1 vertrouwelijke bijdrage en 1 vertrouwelijke tekst niet opgenomen", text, StringComparison.Ordinal);
            Assert.Contains("1 van 2 actieve ondertekenaars heeft gerapporteerd", text, StringComparison.Ordinal);
            Assert.Contains("1 ministerie rapporteerde 1 bijdrage.", text, StringComparison.Ordinal);
        }
        if (name == "none")
        {
            var text = BodyText(AnnexWorld.Docx(None().Compile()));
            Assert.Contains("Over 2031 zijn (nog) geen bijdragen gerapporteerd.", text, StringComparison.Ordinal);
            Assert.Contains("Er zijn (nog) geen rapportages ingediend.", text, StringComparison.Ordinal);
        }
    }

    // ---- helpers ----

    private static string Style(Paragraph p) => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? "";

    /// <summary>The body's text, paragraph by paragraph (joined without separator unless given), a non-breaking hyphen as '-'.</summary>
    public static string BodyText(byte[] docx, string separator = "")
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return string.Join(separator, doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>()
            .Select(p => ReportContentTests.Shown(p).Replace('\u2011', '-')));
    }

    private static List<OpenXmlElement> Section(Body body, string headingStart) =>
        body.Elements().SkipWhile(e => !(e is Paragraph p && Style(p) == "Heading1" && p.InnerText.StartsWith(headingStart, StringComparison.Ordinal))).Skip(1)
            .TakeWhile(e => !(e is Paragraph p && Style(p) == "Heading1")).ToList();

    /// <summary>The text of the chapter whose heading starts so, up to the next chapter.</summary>
    private static string Chapter(byte[] docx, string headingStart)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var section = Section(doc.MainDocumentPart!.Document!.Body!, headingStart);
        Assert.NotEmpty(section);
        return string.Concat(section.Select(e => e.InnerText));
    }
}

/// <summary>Renders the fixture world's annex through LibreOffice to PDF and PNG pages (in the test output, for people to look at).</summary>
public sealed class ReportAnnexRenderTests
{
    [Fact]
    public async Task LibreOffice_renders_the_annex_with_footnotes_to_pdf_and_png_pages()
    {
        var soffice = ProcessRunner.Which("libreoffice") ?? ProcessRunner.Which("soffice");
        Assert.True(soffice is not null, "LibreOffice is not installed: `apt-get install -y libreoffice-writer-nogui poppler-utils`.");
        var pdftoppm = ProcessRunner.Which("pdftoppm");
        var pdftotext = ProcessRunner.Which("pdftotext");
        Assert.True(pdftoppm is not null && pdftotext is not null, "poppler-utils is not installed.");
        var dir = Path.Combine(AppContext.BaseDirectory, "report-render");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        var texts = new CycleReportTexts(
            "In 2031 rapporteerden de ondertekenaars voor het eerst via het nieuwe formulier.\n\nDeze bijlage geeft per doel en per ondertekenaar de inzet weer:\n- de kerncijfers per doel;\n- de inzet per ministerie, nationaal en internationaal;\n- de inzet van maatschappelijke organisaties en kennisinstellingen.",
            "De toezichtsraad kwam zes keer bijeen. WO=MEN en het ministerie van Buitenlandse Zaken coördineren het NAP-IV samen.");
        var docx = Path.Combine(dir, "annex.docx");
        await File.WriteAllBytesAsync(docx, AnnexWorld.Docx(ReportAnnexTests.WithLinks(AnnexWorld.Full(texts: texts).Compile())));
        var convert = await ProcessRunner.RunAsync(soffice!, ["-env:UserInstallation=file://" + Path.Combine(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, docx],
            TimeSpan.FromMinutes(4));
        var pdf = Path.Combine(dir, "annex.pdf");
        Assert.True(File.Exists(pdf), "LibreOffice made no PDF: " + convert.Output);
        var png = await ProcessRunner.RunAsync(pdftoppm!, ["-png", "-r", "60", pdf, Path.Combine(dir, "page")], TimeSpan.FromMinutes(2));
        Assert.Equal(0, png.ExitCode);
        Assert.True(Directory.GetFiles(dir, "page-*.png").Length >= 8);
        var text = await ProcessRunner.RunAsync(pdftotext!, [pdf, "-"], TimeSpan.FromMinutes(1));
        var flat = string.Join(' ', text.Output.Split((char[])[' ', '\n', '\r', '\t', '\f'], StringSplitOptions.RemoveEmptyEntries));
        // The footnotes are rendered as footnotes: the URL is on the page, once per reference.
        Assert.Single(Regex.Matches(flat, Regex.Escape("https://example.org/vredestafel")));
        Assert.Contains("https://example.org/opvang", flat, StringComparison.Ordinal);
        Assert.Contains("Inzet van de ministeries", flat, StringComparison.Ordinal);
        Assert.Contains("Ministerie van Defensie", flat, StringComparison.Ordinal);
    }
}

/// <summary>The coordinators' texts: what is accepted, what is refused (by pointer, never echoing the text), how it is split.</summary>
public sealed class ReportTextRulesTests
{
    private static CycleReportTexts Parse(string json) => ReportTextRules.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Texts_are_trimmed_and_blank_or_missing_ones_cleared()
    {
        Assert.Equal(new CycleReportTexts("Inleiding", null), Parse("{\"introduction\": \"  Inleiding \\r\\n\", \"governance\": \"  \"}"));
        Assert.Equal(CycleReportTexts.None, Parse("{}"));
        // A "<" in a sentence is text, not HTML.
        Assert.Equal("Minder dan < 5 procent", Parse("{\"governance\": \"Minder dan < 5 procent\"}").Governance);
    }

    [Theory]
    [InlineData("{\"introduction\": \"<b>vet</b>\"}", "/introduction", "html")]
    [InlineData("{\"governance\": \"tekst <!-- x -->\"}", "/governance", "html")]
    [InlineData("{\"governance\": \"bel\\u0007\"}", "/governance", "control-character")]
    [InlineData("{\"introduction\": 5}", "/introduction", "type")]
    [InlineData("{\"title\": \"x\"}", "/title", "unknown-field")]
    public void Html_control_characters_wrong_types_and_unknown_fields_are_refused_by_pointer(string json, string pointer, string code)
    {
        var problem = Assert.Throws<Nap.Api.ProblemException>(() => Parse(json)).Problem;
        Assert.Equal(422, problem.Status);
        var error = Assert.Single(problem.Errors!);
        Assert.Equal((pointer, code), (error.Pointer, error.Code));
        Assert.DoesNotContain("vet", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_long_texts_and_malformed_json_are_refused()
    {
        var tooLong = new string('a', ReportTextRules.MaxLength + 1);
        Assert.Equal("too-long", Assert.Single(Assert.Throws<Nap.Api.ProblemException>(() => Parse($"{{\"introduction\": \"{tooLong}\"}}")).Problem.Errors!).Code);
        Assert.Equal(400, Assert.Throws<Nap.Api.ProblemException>(() => Parse("{\"introduction\": ")).Problem.Status);
    }

    [Fact]
    public void Blank_lines_separate_paragraphs_and_dash_lines_are_list_items()
    {
        var blocks = DocxReportWriter.CoordinatorBlocks("Eerste regel\nloopt door.\n\nTweede alinea:\n- punt een\n* punt twee\nDerde alinea.");
        Assert.Equal([
            new DocxReportWriter.TextBlock("Eerste regel loopt door.", false),
            new DocxReportWriter.TextBlock("Tweede alinea:", false),
            new DocxReportWriter.TextBlock("punt een", true),
            new DocxReportWriter.TextBlock("punt twee", true),
            new DocxReportWriter.TextBlock("Derde alinea.", false),
        ], blocks);
    }
}
