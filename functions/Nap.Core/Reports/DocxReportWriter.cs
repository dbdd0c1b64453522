using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using Nap.Countries;
using Nap.Framework;
using Nap.Signatories;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Nap.Reports;

/// <summary>
/// The annex as a Word document, in Dutch or English, structured as the ministry's progress letter: the coordinators'
/// introduction and governance text, a summary with chart, completeness, one chapter per strategic goal (figures,
/// national then international, and the narratives), one chapter per kind of signatory with every contribution
/// (ministries one by one), the reporting signatories, data quality, provenance and the framework's indicators.
/// Links of contributions are numbered Word footnotes.
/// The package is written directly as a zip with fixed part names, relationship ids and entry times, and the body is
/// streamed with <see cref="OpenXmlWriter"/> into its compressed entry: the same report gives the same bytes, and a
/// report with thousands of contributions never exists as one object tree or one uncompressed buffer.
/// </summary>
public static class DocxReportWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    // A4 with 2 cm margins; widths in twentieths of a point.
    private const int PageWidth = 11906, PageHeight = 16838, Margin = 1134, TextWidth = PageWidth - 2 * Margin;
    private const string Font = "Arial";
    private const string Blue = "154273";
    private const string ChartId = "rIdChart", StylesId = "rIdStyles", SettingsId = "rIdSettings", FooterId = "rIdFooter", FootnotesId = "rIdFootnotes";

    public static byte[] Write(CompiledReport report, byte[] chartPng, CountryCatalog countries, ResultsFramework framework)
    {
        using var buffer = new MemoryStream();
        // Written as into a blob: forward only, so the bytes are the ones the stored file has.
        Write(report, chartPng, countries, framework, new ForwardOnlyStream(buffer));
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the package into <paramref name="output"/> as it goes (a blob write stream): no part and no whole file is
    /// ever in memory. The zip is always written forward only (sizes in data descriptors after each entry), so a
    /// seekable and a forward-only target get the same bytes.
    /// </summary>
    public static void Write(CompiledReport report, byte[] chartPng, CountryCatalog countries, ResultsFramework framework, Stream output)
    {
        if (output.CanSeek) output = new ForwardOnlyStream(output);
        var language = ReportLanguage.For(report.Language);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        // The package is written entry by entry in a fixed order, with fixed relationship ids and one timestamp:
        // System.IO.Packaging would add random relationship ids, a GUID-named core-properties part and the clock.
        Entry(zip, "[Content_Types].xml", s => Xml(s, ContentTypesXml));
        Entry(zip, "_rels/.rels", s => Xml(s, PackageRelationshipsXml));
        Entry(zip, "docProps/core.xml", s => Xml(s, CorePropertiesXml(report)));
        var yearCharts = YearsCharts(report, language);
        Entry(zip, "word/_rels/document.xml.rels", s => Xml(s, DocumentRelationshipsXml(yearCharts)));
        Entry(zip, "word/styles.xml", s => Root(s, BuildStyles(language)));
        Entry(zip, "word/settings.xml", s => Root(s, new Settings(
            new Zoom { Percent = "100" },
            new DefaultTabStop { Val = 708 },
            new CharacterSpacingControl { Val = CharacterSpacingValues.DoNotCompress },
            // Word refreshes the contents (page numbers) when the document is opened.
            new UpdateFieldsOnOpen { Val = true },
            new FootnoteDocumentWideProperties(new FootnoteSpecialReference { Id = -1 }, new FootnoteSpecialReference { Id = 0 }),
            new ThemeFontLanguages { Val = language.IsEnglish ? "en-GB" : "nl-NL" })));
        Entry(zip, "word/footer1.xml", s => Root(s, BuildFooter(report, language)));
        Entry(zip, "word/media/chart.png", s => s.Write(chartPng));
        foreach (var chart in yearCharts) Entry(zip, "word/media/" + chart.Part, s => s.Write(chart.Png));
        var footnotes = new List<string>();
        // The body streams into the compressed entry: a report with thousands of rows is never one object tree.
        Entry(zip, "word/document.xml", s =>
        {
            using var xml = XmlWriter.Create(s, WordMarkup.PartSettings);
            var w = new WordMarkup(xml);
            w.StartDocument();
            new BodyWriter(w, report, countries, framework, language, footnotes, yearCharts).WriteAll();
            w.WriteElement(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = FooterId },
                new PageSize { Width = PageWidth, Height = PageHeight },
                new PageMargin { Top = Margin, Right = Margin, Bottom = Margin, Left = Margin, Header = 567, Footer = 567, Gutter = 0 }));
            w.EndDocument();
        });
        // The footnotes are known once the body is written; their links are external relationships of the footnotes part.
        Entry(zip, "word/_rels/footnotes.xml.rels", s => Xml(s, FootnoteRelationshipsXml(footnotes)));
        Entry(zip, "word/footnotes.xml", s => WriteFootnotes(s, footnotes));
    }

    /// <summary>A write-only view of a stream that cannot seek: the zip is then written the way a blob write stream gets it.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _written += buffer.Length;
        }
    }

    /// <summary>The relationship id of the n-th footnote's link (1-based).</summary>
    private static string LinkId(int n) => "rIdLink" + n.ToString(CultureInfo.InvariantCulture);

    private static string FootnoteRelationshipsXml(IReadOnlyList<string> links)
    {
        var sb = new StringBuilder(XmlHeader).Append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (var i = 0; i < links.Count; i++)
            sb.Append("<Relationship Id=\"").Append(LinkId(i + 1))
              .Append("\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"")
              .Append(SecurityElement.Escape(links[i])).Append("\" TargetMode=\"External\"/>");
        return sb.Append("</Relationships>").ToString();
    }

    private static void WriteFootnotes(Stream stream, IReadOnlyList<string> links)
    {
        using var w = OpenXmlWriter.Create(stream);
        w.WriteStartDocument(true);
        w.WriteStartElement(new Footnotes(), [], [
            new("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
            new("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
        ]);
        w.WriteElement(new Footnote(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
            new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 });
        w.WriteElement(new Footnote(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
            new Run(new ContinuationSeparatorMark()))) { Type = FootnoteEndnoteValues.ContinuationSeparator, Id = 0 });
        for (var i = 0; i < links.Count; i++)
        {
            w.WriteElement(new Footnote(new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "FootnoteText" }),
                new Run(new RunProperties(new RunStyle { Val = "FootnoteReference" }), new FootnoteReferenceMark()),
                new Run(new Text(" ") { Space = SpaceProcessingModeValues.Preserve }),
                new Hyperlink(new Run(new RunProperties(new RunStyle { Val = "Hyperlink" }), new Text(links[i]))) { Id = LinkId(i + 1), History = true }))
            { Id = i + 1 });
        }
        w.WriteEndElement();
    }

    /// <summary>Zip entries carry this time: the clock must not reach the file, and DOS timestamps cannot hold every report date anyway.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static void Entry(ZipArchive zip, string name, Action<Stream> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        // The compressor's output depends on how its input is cut into writes: fixed blocks keep the zip's bytes the
        // same whenever the part's bytes are, however the part was written.
        using (var blocks = new FixedBlockStream(stream, 64 * 1024)) write(blocks);
    }

    /// <summary>Passes writes on in blocks of one fixed size (the last one shorter), on dispose.</summary>
    private sealed class FixedBlockStream(Stream inner, int blockSize) : Stream
    {
        private readonly byte[] _block = new byte[blockSize];
        private int _filled;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        // Flushing would cut a block short; the block goes out when full or on dispose.
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (buffer.Length > 0)
            {
                var n = Math.Min(buffer.Length, _block.Length - _filled);
                buffer[..n].CopyTo(_block.AsSpan(_filled));
                _filled += n;
                buffer = buffer[n..];
                if (_filled == _block.Length)
                {
                    inner.Write(_block);
                    _filled = 0;
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _filled > 0) inner.Write(_block.AsSpan(0, _filled));
            _filled = 0;
            base.Dispose(disposing);
        }
    }

    private static void Xml(Stream stream, string xml) => stream.Write(Encoding.UTF8.GetBytes(xml));

    private static void Root(Stream stream, OpenXmlPartRootElement root)
    {
        using var w = OpenXmlWriter.Create(stream);
        w.WriteStartDocument(true);
        w.WriteElement(root);
    }

    private const string XmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";

    private const string ContentTypesXml = XmlHeader +
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
        "<Default Extension=\"png\" ContentType=\"image/png\"/>" +
        "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>" +
        "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>" +
        "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>" +
        "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>" +
        "<Override PartName=\"/word/footnotes.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>" +
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>" +
        "</Types>";

    private const string PackageRelationshipsXml = XmlHeader +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"rIdDocument\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>" +
        "<Relationship Id=\"rIdCore\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>" +
        "</Relationships>";

    /// <summary>A goal's chart of the years side by side: its image part and relationship id.</summary>
    private sealed record YearsChart(string Goal, string RelationshipId, string Part, byte[] Png);

    /// <summary>One chart per goal with indicators over the years, numbered in goal order (part names and ids stay the same for the same report).</summary>
    private static List<YearsChart> YearsCharts(CompiledReport report, ReportLanguage language)
    {
        if (report.Years is not { } years) return [];
        return years.Goals.Where(g => g.Indicators.Count > 0)
            .Select((g, i) =>
            {
                var n = (i + 1).ToString(CultureInfo.InvariantCulture);
                return new YearsChart(g.Code, "rIdYears" + n, "years-" + n + ".png", ReportChart.RenderYearsPng(g, years.Cycles, language));
            })
            .ToList();
    }

    private static string DocumentRelationshipsXml(IReadOnlyList<YearsChart> charts)
    {
        if (charts.Count == 0) return DocumentRelationshipsBaseXml;
        var sb = new StringBuilder(DocumentRelationshipsBaseXml, 0, DocumentRelationshipsBaseXml.Length - "</Relationships>".Length, DocumentRelationshipsBaseXml.Length + 200 * charts.Count);
        foreach (var chart in charts)
            sb.Append("<Relationship Id=\"").Append(chart.RelationshipId)
              .Append("\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/").Append(chart.Part).Append("\"/>");
        return sb.Append("</Relationships>").ToString();
    }

    private const string DocumentRelationshipsBaseXml = XmlHeader +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"" + StylesId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>" +
        "<Relationship Id=\"" + SettingsId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>" +
        "<Relationship Id=\"" + FooterId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>" +
        "<Relationship Id=\"" + FootnotesId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/>" +
        "<Relationship Id=\"" + ChartId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart.png\"/>" +
        "</Relationships>";

    /// <summary>The heading of a goal chapter, as the document and its contents list show it.</summary>
    public static string GoalHeading(int number, GoalSection goal, ReportLanguage? language = null) =>
        $"{number.ToString(CultureInfo.InvariantCulture)}. {(language ?? ReportLanguage.Dutch).T("Strategisch doel", "Strategic goal")} {goal.Code}: {goal.Title}";

    /// <summary>The chapters per kind of signatory, in the letter's order.</summary>
    public static readonly IReadOnlyList<SignatoryKind> ChapterKinds =
        [SignatoryKind.Ministry, SignatoryKind.CivilSocietyOrganisation, SignatoryKind.KnowledgeInstitution, SignatoryKind.Other];

    public static string KindChapterTitle(SignatoryKind kind, ReportLanguage language) => kind switch
    {
        SignatoryKind.Ministry => language.T("Inzet van de ministeries", "Contributions of the ministries"),
        SignatoryKind.CivilSocietyOrganisation => language.T("Inzet van maatschappelijke organisaties", "Contributions of civil-society organisations"),
        SignatoryKind.KnowledgeInstitution => language.T("Inzet van kennisinstellingen", "Contributions of knowledge institutions"),
        _ => language.T("Inzet van overige ondertekenaars", "Contributions of other signatories"),
    };

    private sealed class BodyWriter(WordMarkup w, CompiledReport report, CountryCatalog countries, ResultsFramework framework, ReportLanguage l, List<string> footnotes,
        IReadOnlyList<YearsChart> yearCharts)
    {
        private int _figure = 1;
        private int _bookmark;
        private int _table;
        private readonly List<(string Text, string Anchor)> _sections = [];
        private int _next;

        private (string Text, string Anchor) NextSection() => _sections[_next++];

        private List<SignatoryKind>? _kinds;
        private Dictionary<SignatoryKind, List<Placed>>? _placed;

        /// <summary>The kinds that get a chapter: the three the letter has always, others only when they reported.</summary>
        private List<SignatoryKind> Kinds() => _kinds ??= ChapterKinds.Where(k => k != SignatoryKind.Other || Placements().ContainsKey(k)).ToList();

        /// <summary>
        /// One pass over all contributions for where each is (goal, position) and what the chapters group it by; each is
        /// read in full again only when it is written.
        /// </summary>
        private Dictionary<SignatoryKind, List<Placed>> Placements()
        {
            if (_placed is not null) return _placed;
            var names = new Dictionary<string, (string Id, string Name)>(StringComparer.Ordinal);
            // Arrays and lists of their final size: growing lists of thousands by doubling leaves large garbage behind.
            var all = new (SignatoryKind Kind, Placed Placed)[report.Goals.Sum(g => g.Contributions.Count)];
            var n = 0;
            for (var g = 0; g < report.Goals.Count; g++)
            {
                var index = 0;
                foreach (var c in report.Goals[g].Contributions)
                {
                    // One string per organisation, not one per contribution read.
                    if (!names.TryGetValue(c.SignatoryId, out var known)) names[c.SignatoryId] = known = (c.SignatoryId, c.Organisation);
                    all[n++] = (c.SignatoryKind, new Placed(g, index, known.Id, known.Name, c.Focus.Contains(Submissions.Focus.National), c.Focus.Contains(Submissions.Focus.International)));
                    index++;
                }
            }
            _placed = all.CountBy(x => x.Kind).ToDictionary(x => x.Key, x => new List<Placed>(x.Value));
            foreach (var (kind, placed) in all) _placed[kind].Add(placed);
            return _placed;
        }

        public void WriteAll()
        {
            PlanHeadings();
            TitlePage();
            Contents();
            if (report.Texts.Introduction is { } intro) CoordinatorText(NextSection(), intro);
            if (report.Texts.Governance is { } governance) CoordinatorText(NextSection(), governance);
            Summary(NextSection());
            CompletenessSection(NextSection());
            foreach (var goal in report.Goals) Goal(NextSection(), goal);
            foreach (var kind in Kinds()) KindChapter(NextSection(), kind);
            SignatoriesSection(NextSection());
            DataQualitySection(NextSection());
            Provenance(NextSection());
            FrameworkAppendix(NextSection());
        }

        /// <summary>The top-level headings are known before the body is written, so the contents list can be written first.</summary>
        private void PlanHeadings()
        {
            var texts = new List<string>();
            var number = 1;
            string N() => (number++).ToString(CultureInfo.InvariantCulture) + ". ";
            if (report.Texts.Introduction is not null) texts.Add(N() + l.T("Inleiding", "Introduction"));
            if (report.Texts.Governance is not null) texts.Add(N() + l.T("Sturing en samenwerking", "Governance and cooperation"));
            texts.Add(N() + l.T("Samenvatting", "Summary"));
            texts.Add(N() + l.T("Volledigheid van de rapportage", "Completeness of the reporting"));
            foreach (var goal in report.Goals) texts.Add(GoalHeading(number++, goal, l));
            _firstKindChapter = number;
            foreach (var kind in Kinds()) texts.Add(N() + KindChapterTitle(kind, l));
            texts.Add(N() + l.T("Rapporterende ondertekenaars", "Reporting signatories"));
            texts.Add(N() + l.T("Datakwaliteit", "Data quality"));
            texts.Add(N() + l.T("Verantwoording", "Provenance"));
            texts.Add(l.T("Bijlage. Indicatoren van het resultatenraamwerk", "Appendix. Indicators of the results framework"));
            _sections.AddRange(texts.Select((t, i) => (t, $"_Toc{(i + 1).ToString("D4", CultureInfo.InvariantCulture)}")));
        }

        private int _firstKindChapter;

        private void TitlePage()
        {
            for (var i = 0; i < 6; i++) w.WriteElement(new Paragraph());
            Para(report.Title, "Title");
            Para(l.T("Nationaal Actieplan 1325-IV inzake Vrouwen, Vrede en Veiligheid", "Dutch National Action Plan 1325-IV on Women, Peace and Security"), "Subtitle");
            Para(l.T($"Inzet en voortgang van de ondertekenaars over de periode {l.Date(report.PeriodStart)} tot en met {l.Date(report.PeriodEnd)}.",
                $"Efforts and progress of the signatories over the period {l.Date(report.PeriodStart)} to {l.Date(report.PeriodEnd)}."));
            Para(l.T($"Stand van {l.Date(report.ReportDate)}, samengesteld uit {l.Submissions(report.Completeness.Submitted)} van ondertekenaars.",
                $"As of {l.Date(report.ReportDate)}, compiled from {l.Submissions(report.Completeness.Submitted)} by signatories."));
            if (report.Kind == ReportKind.Draft)
                Para(l.T("Concept: automatisch samengesteld uit de tot nu toe ingediende rapportages en nog niet vastgesteld.",
                    "Draft: compiled automatically from the reports submitted so far; not yet adopted."), "NapNotice");
            if (report.Kind == ReportKind.Draft) Para(ReportReviewTexts.DraftVersionsNotice(report, l), "NapNotice");
            if (report.SampleFramework)
                Para(l.T($"Let op: samengesteld met het voorbeeld-resultatenraamwerk ({report.FrameworkVersion}), niet met het officiële raamwerk.",
                    $"Note: compiled with the sample results framework ({report.FrameworkVersion}), not the official one."), "NapNotice");
        }

        private void Contents()
        {
            Para(l.T("Inhoud", "Contents"), "TOCHeading");
            for (var i = 0; i < _sections.Count; i++)
            {
                var p = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "TOC1" }));
                if (i == 0)
                {
                    p.Append(new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }));
                    p.Append(new Run(new FieldCode(" TOC \\o \"1-1\" \\h \\z \\u ") { Space = SpaceProcessingModeValues.Preserve }));
                    p.Append(new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }));
                }
                p.Append(new Hyperlink(Runs(_sections[i].Text)) { Anchor = _sections[i].Anchor, History = true });
                w.WriteElement(p);
            }
            w.WriteElement(new Paragraph(new Run(new FieldChar { FieldCharType = FieldCharValues.End })));
        }

        /// <summary>
        /// The coordinators' text: blank lines separate paragraphs, lines starting with "- " (or "* ") are list items.
        /// Plain text only; nothing in it is interpreted as markup.
        /// </summary>
        private void CoordinatorText((string Text, string Anchor) heading, string text)
        {
            Heading1(heading);
            foreach (var block in CoordinatorBlocks(text))
                Para(block.Text, block.Item ? "NapListItem" : null, bullet: block.Item);
        }

        private void Summary((string Text, string Anchor) heading)
        {
            Heading1(heading);
            var t = report.Totals;
            if (t.Contributions == 0)
                Para(l.T($"Over {report.CycleId} zijn (nog) geen bijdragen gerapporteerd.", $"No contributions have been reported for {report.CycleId} (yet)."));
            else
                Para(l.T(
                    $"Over {report.CycleId} {(t.Signatories == 1 ? "rapporteerde" : "rapporteerden")} {l.Signatories(t.Signatories)}{(t.Signatories == 1 ? "" : " samen")} " +
                    $"{l.Contributions(t.Contributions)} aan de strategische doelen van het NAP-IV: {l.Number(t.NationalContributions)} met een nationale en " +
                    $"{l.Number(t.InternationalContributions)} met een internationale focus (een bijdrage kan beide hebben), in {l.Countries(t.CountriesReached)} en " +
                    $"{l.Regions(t.RegionsReached)}. Besteed budget: {l.BudgetSentence(t.BudgetSpentEur)}.",
                    $"For {report.CycleId}, {l.Signatories(t.Signatories)} reported {l.Contributions(t.Contributions)} to the strategic goals of NAP-IV: " +
                    $"{l.Number(t.NationalContributions)} with a national and {l.Number(t.InternationalContributions)} with an international focus (a contribution can have both), " +
                    $"in {l.Countries(t.CountriesReached)} and {l.Regions(t.RegionsReached)}. Budget spent: {l.BudgetSentence(t.BudgetSpentEur)}."));
            Caption(l.T("Bijdragen, ondertekenaars, landen, regio's en budget per strategisch doel", "Contributions, signatories, countries, regions and budget per strategic goal"));
            Table([(l.T("Strategisch doel", "Strategic goal"), 19, false), (l.T("Bijdragen", "Contri\u00ADbutions"), 11, true), (l.T("Nationaal", "National"), 11, true),
                    (l.T("Inter\u00ADnationaal", "Inter\u00ADnational"), 13, true), (l.T("Onder\u00ADtekenaars", "Signa\u00ADtories"), 13, true), (l.T("Landen", "Countries"), 9, true),
                    (l.T("Regio's", "Regions"), 9, true), (l.T("Besteed budget (€)", "Budget spent (€)"), 15, true)],
                report.Goals.Select(g => Row(false, $"{g.Code} {g.Title}", l.Number(g.Total.Contributions), l.Number(g.National.Contributions),
                    l.Number(g.International.Contributions), l.Number(g.Total.Signatories), l.Number(g.Total.CountriesReached), l.Number(g.Total.RegionsReached),
                    BudgetCell(g.Total.BudgetSpentEur)))
                .Append(Row(true, l.T("Totaal", "Total"), l.Number(t.Contributions), l.Number(t.NationalContributions), l.Number(t.InternationalContributions),
                    l.Number(t.Signatories), l.Number(t.CountriesReached), l.Number(t.RegionsReached), BudgetCell(t.BudgetSpentEur))));
            Para(l.T("Ondertekenaars, landen en regio's tellen in de totaalregel één keer, ook als zij bij meerdere doelen voorkomen. Landen en regio's worden apart geteld. " +
                     "Het budget is de som over de bijdragen die een budget rapporteerden (tussen haakjes: hoeveel van het totaal); een bijdrage zonder budget telt niet als nul.",
                     "Signatories, countries and regions count once in the total row, even when they appear under several goals. Countries and regions are counted apart. " +
                     "The budget is the sum over the contributions that reported one (in brackets: how many of all); a contribution without a budget does not count as zero."), "NapNote");
            Chart();
            Caption(l.T("Figuur 1. Aantal bijdragen per strategisch doel en focus", "Figure 1. Number of contributions per strategic goal and focus"), figure: true);
        }

        /// <summary>The amount (or "niet gerapporteerd") and, below it, how many contributions it adds up.</summary>
        private string BudgetCell(ReportedSum sum) => sum.Of == 0 ? "–" : l.MoneyCell(sum) + "\n(" + ReportedOfCell(sum) + ")";

        private string ReportedOfCell(ReportedSum sum) => l.T($"{l.Number(sum.Reported)} van {l.Number(sum.Of)}", $"{l.Number(sum.Reported)} of {l.Number(sum.Of)}");

        private void CompletenessSection((string Text, string Anchor) heading)
        {
            Heading1(heading);
            var c = report.Completeness;
            if (c.Expected == 0)
                Para(l.T("Er zijn geen actieve ondertekenaars geregistreerd.", "No active signatories are registered."));
            else
                Para(l.T($"{l.Number(c.SubmittedByExpected)} van {l.Count(c.Expected, "actieve ondertekenaar", "actieve ondertekenaars", "", "")} " +
                         $"{(c.SubmittedByExpected == 1 ? "heeft" : "hebben")} gerapporteerd ({l.Percent(c.CompletionPercent)}).",
                         $"{l.Number(c.SubmittedByExpected)} of {l.Count(c.Expected, "", "", "active signatory", "active signatories")} reported ({l.Percent(c.CompletionPercent)})."));
            Table([(l.T("Onderdeel", "Item"), 60, false), (l.T("Aantal", "Number"), 40, true)], [
                Row(false, l.T("Verwacht (actieve ondertekenaars)", "Expected (active signatories)"), l.Number(c.Expected)),
                Row(false, l.T("Ingediend", "Submitted"), l.Number(c.Submitted)),
                Row(false, l.T("Waarvan na de deadline", "Of which after the deadline"), l.Number(c.Late)),
                Row(false, l.T("Ontbrekend", "Missing"), l.Number(c.Missing)),
                Row(true, l.T("Volledigheid", "Completeness"), l.Percent(c.CompletionPercent)),
            ]);
        }

        private void Goal((string Text, string Anchor) heading, GoalSection goal)
        {
            Heading1(heading);
            var t = goal.Total;
            if (t.Contributions == 0)
                Para(l.T("Voor dit doel zijn geen bijdragen gerapporteerd.", "No contributions were reported for this goal."));
            else
                Para(l.T($"Voor dit doel {(t.Signatories == 1 ? "rapporteerde" : "rapporteerden")} {l.Signatories(t.Signatories)} {l.Contributions(t.Contributions)}. " +
                         $"Besteed budget: {l.BudgetSentence(t.BudgetSpentEur)}.",
                         $"For this goal, {l.Signatories(t.Signatories)} reported {l.Contributions(t.Contributions)}. Budget spent: {l.BudgetSentence(t.BudgetSpentEur)}."));
            Focus(goal, goal.National, l.T("NAP-IV nationaal", "NAP-IV national"), l.T("nationale", "national"));
            Focus(goal, goal.International, l.T("NAP-IV internationaal", "NAP-IV international"), l.T("internationale", "international"));
            Years(goal);
            Heading2(l.T("Hoogtepunten", "Highlights"));
            Quotes(goal.Highlights, l.T("Er zijn voor dit doel geen hoogtepunten gedeeld.", "No highlights were shared for this goal."));
            Heading2(l.T("Uitdagingen", "Challenges"));
            Quotes(goal.Challenges, l.T("Er zijn voor dit doel geen uitdagingen gedeeld.", "No challenges were shared for this goal."));
            Heading2(l.T("Geleerde lessen", "Lessons learned"));
            Quotes(goal.Lessons, l.T("Er zijn voor dit doel geen geleerde lessen gedeeld.", "No lessons learned were shared for this goal."));
            if (t.Contributions > 0)
            {
                var last = _firstKindChapter + Kinds().Count - 1;
                Para(l.T($"De afzonderlijke bijdragen staan, per soort ondertekenaar, in de hoofdstukken {_firstKindChapter} tot en met {last}.",
                    $"The individual contributions are listed per kind of signatory in chapters {_firstKindChapter} to {last}."), "NapNote");
            }
        }

        /// <summary>
        /// The plan's years side by side: the goal's summable indicators reported in more than one year, one column per
        /// year ("–" where not reported), and their chart. Only in a report whose plan has earlier cycles.
        /// </summary>
        private void Years(GoalSection goal)
        {
            if (report.Years is not { } years) return;
            var plan = years.Plan ?? l.T("het actieplan", "the action plan");
            Heading2(l.T("Over de jaren", "Over the years"));
            var g = years.Goals.FirstOrDefault(x => x.Code == goal.Code);
            if (g is null || g.Indicators.Count == 0)
            {
                Para(l.T($"Voor dit doel is geen optelbare indicator in meer dan één rapportagejaar van {plan} gerapporteerd.",
                    $"For this goal, no summable indicator was reported in more than one reporting year of {plan}."));
                return;
            }
            Caption(l.T($"Opgetelde indicatorresultaten {goal.Code} per rapportagejaar", $"Summed indicator results {goal.Code} per reporting year"));
            var yearWidth = years.Cycles.Count == 0 ? 0 : 52 / years.Cycles.Count;
            var columns = new List<(string, int, bool)> { (l.T("Indicator", "Indicator"), 100 - 14 - yearWidth * years.Cycles.Count, false), (l.T("Eenheid", "Unit"), 14, false) };
            columns.AddRange(years.Cycles.Select(c => (c, yearWidth, true)));
            Table(columns, g.Indicators.Select(i => Row(false, [$"{i.Code} {i.Title}", i.Unit ?? "", .. i.Cycles.Select(c => c.Sum.Sum is { } v ? l.Number(v) : "–")])));
            Para(l.T($"Per rapportagejaar de som over de bijdragen die een waarde rapporteerden, uit de gebruikte versie van elke rapportage van dat jaar; " +
                     $"– : in dat jaar niet gerapporteerd. Alleen optelbare indicatoren die in meer dan één rapportagejaar van {plan} zijn gerapporteerd.",
                     $"Per reporting year the sum over the contributions that reported a value, from the version of each report used for that year; " +
                     $"– : not reported that year. Only summable indicators reported in more than one reporting year of {plan}."), "NapNote");
            if (yearCharts.FirstOrDefault(c => c.Goal == goal.Code) is { } chart)
            {
                var number = (++_figure).ToString(CultureInfo.InvariantCulture);
                var alt = l.T($"Staafdiagram van de opgetelde indicatorresultaten van {goal.Code} per rapportagejaar: ",
                    $"Bar chart of the summed indicator results of {goal.Code} per reporting year: ") +
                    string.Join("; ", g.Indicators.Select(i => $"{i.Code}: " + string.Join(", ", i.Cycles.Select(c => $"{c.Cycle} {(c.Sum.Sum is { } v ? l.Number(v) : "–")}"))));
                Picture(chart.RelationshipId, (uint)(_figure), chart.Part, l.T("Figuur ", "Figure ") + number, alt, ReportChart.YearsHeight * 1.0 / ReportChart.Width);
                Caption(l.T($"Figuur {number}. Opgetelde indicatorresultaten {goal.Code} per rapportagejaar", $"Figure {number}. Summed indicator results {goal.Code} per reporting year"), figure: true);
            }
        }

        private void Focus(GoalSection goal, GoalFigures f, string heading, string adjective)
        {
            Heading2(heading);
            if (f.Contributions == 0)
            {
                Para(l.T($"Voor dit doel zijn geen bijdragen met een {adjective} focus gerapporteerd.", $"No contributions with a {adjective} focus were reported for this goal."));
                return;
            }
            Caption(l.T($"Kerncijfers {goal.Code}, {l.Scope(f.Scope)}", $"Key figures {goal.Code}, {l.Scope(f.Scope)}"));
            Table([(l.T("Kerncijfer", "Key figure"), 60, false), (l.T("Waarde", "Value"), 40, true)], [
                Row(false, l.T("Bijdragen", "Contributions"), l.Number(f.Contributions)),
                Row(false, l.T("Ondertekenaars", "Signatories"), l.Number(f.Signatories)),
                Row(false, l.T("Landen", "Countries"), l.Number(f.CountriesReached)),
                Row(false, l.T("Regio's", "Regions"), l.Number(f.RegionsReached)),
                Row(false, l.T("Besteed budget (€)", "Budget spent (€)"), l.MoneyCell(f.BudgetSpentEur)),
                Row(false, l.T("Bijdragen die een budget rapporteerden", "Contributions that reported a budget"), ReportedOfCell(f.BudgetSpentEur)),
            ]);
            Para(Places(f.CountryCodes, f.RegionCodes));

            var summed = f.Indicators.Where(i => i.Summable).ToList();
            if (summed.Count > 0)
            {
                Caption(l.T($"Opgetelde indicatorresultaten {goal.Code}, {l.Scope(f.Scope)}", $"Summed indicator results {goal.Code}, {l.Scope(f.Scope)}"));
                Table([(l.T("Indicator", "Indicator"), 40, false), (l.T("Resultaat", "Result"), 13, true), (l.T("Eenheid", "Unit"), 15, false),
                        (l.T("Streefwaarde", "Target"), 16, true), (l.T("Met waarde", "With value"), 16, true)],
                    summed.Select(i => Row(false, $"{i.Code} {i.Title}", i.Sum?.Sum is { } s ? l.Number(s) : l.T("niet gerapporteerd", "not reported"), i.Unit ?? "",
                        i.TargetSum?.Sum is { } ts ? l.Number(ts) : l.T("niet gerapporteerd", "not reported"),
                        i.Sum is { } sum ? ReportedOfCell(sum) : "")));
                Para(l.T("‘Met waarde’: hoeveel van de gerapporteerde resultaten een waarde gaven; alleen die zijn opgeteld.",
                    "‘With value’: how many of the reported results gave a value; only those are added up."), "NapNote");
            }
            var listed = f.Indicators.Where(i => !i.Summable).ToList();
            if (listed.Count > 0)
            {
                Caption(l.T($"Indicatorresultaten per organisatie {goal.Code}, {l.Scope(f.Scope)} (niet op te tellen)",
                    $"Indicator results per organisation {goal.Code}, {l.Scope(f.Scope)} (not summable)"));
                Table([(l.T("Indicator", "Indicator"), 12, false), (l.T("Organisatie", "Organisation"), 22, false), (l.T("Resultaat", "Result"), 26, false),
                        (l.T("Streefwaarde", "Target"), 16, true), (l.T("Toelichting", "Comment"), 24, false)],
                    listed.SelectMany(i => i.Listed.Select(x => Row(false, i.Code, x.Organisation, ResultText(x.Value, x.Text, i.Unit),
                        x.Target is { } tv ? l.Number(tv) : "–", x.Comment ?? ""))));
            }
        }

        private string ResultText(decimal? value, string? text, string? unit) =>
            value is { } v ? $"{l.Number(v)} {unit}".TrimEnd() + (string.IsNullOrWhiteSpace(text) ? "" : " – " + text)
            : !string.IsNullOrWhiteSpace(text) ? text : l.T("niet gerapporteerd", "not reported");

        /// <summary>"3 landen: A, B en C; 2 regio's: Sahel en Grote Meren." Countries and regions apart.</summary>
        private string Places(IReadOnlyList<string> countryCodes, IReadOnlyList<string> regionCodes)
        {
            var parts = new List<string>();
            if (countryCodes.Count > 0) parts.Add(l.Countries(countryCodes.Count) + ": " + l.List(countryCodes.Select(PlaceName).Order(StringComparer.Ordinal).ToList()));
            if (regionCodes.Count > 0) parts.Add(l.Regions(regionCodes.Count) + ": " + l.List(regionCodes.Select(PlaceName).Order(StringComparer.Ordinal).ToList()));
            if (parts.Count == 0) return l.T("Geen landen of regio's gerapporteerd.", "No countries or regions reported.");
            var text = string.Join("; ", parts) + ".";
            return char.ToUpperInvariant(text[0]) + text[1..];
        }

        private void Quotes(IReadOnlyList<Quote> quotes, string none)
        {
            if (quotes.Count == 0) { Para(none); return; }
            foreach (var q in quotes)
            {
                w.Paragraph("Quote", q.Text);
                w.Paragraph("NapQuoteSource", "— " + q.Organisation);
            }
        }

        /// <summary>
        /// One chapter per kind of signatory, as the letter is written: ministries one by one, each national then
        /// international; the other kinds national then international, per goal.
        /// </summary>
        private void KindChapter((string Text, string Anchor) heading, SignatoryKind kind)
        {
            Heading1(heading);
            var lines = Placements().GetValueOrDefault(kind) ?? [];
            var organisations = lines.Select(c => c.SignatoryId).Distinct(StringComparer.Ordinal).Count();
            var (one, many, enOne, enMany) = kind switch
            {
                SignatoryKind.Ministry => ("ministerie", "ministeries", "ministry", "ministries"),
                SignatoryKind.CivilSocietyOrganisation => ("maatschappelijke organisatie", "maatschappelijke organisaties", "civil-society organisation", "civil-society organisations"),
                SignatoryKind.KnowledgeInstitution => ("kennisinstelling", "kennisinstellingen", "knowledge institution", "knowledge institutions"),
                _ => ("overige ondertekenaar", "overige ondertekenaars", "other signatory", "other signatories"),
            };
            if (lines.Count == 0)
            {
                Para(l.T($"Geen {one} rapporteerde een bijdrage die openbaar mag worden gemaakt.", $"No {enOne} reported a contribution that may be published."));
                return;
            }
            Para(l.T($"{l.Count(organisations, one, many, "", "")} {(organisations == 1 ? "rapporteerde" : "rapporteerden")} {l.Contributions(lines.Count)}.",
                $"{l.Count(organisations, "", "", enOne, enMany)} reported {l.Contributions(lines.Count)}."));
            if (kind == SignatoryKind.Ministry)
            {
                foreach (var ministry in lines.GroupBy(c => c.SignatoryId, StringComparer.Ordinal))
                {
                    Heading2(ministry.First().Organisation);
                    ByFocus(ministry.ToList(), withOrganisation: false, "Heading3");
                }
            }
            else ByFocus(lines, withOrganisation: true, "Heading2");
        }

        /// <summary>The placements of one focus, goal by goal (the list is in goal order): no copies of a kind's list.</summary>
        private static IEnumerable<(int Goal, List<Placed> Lines, int Start, int End)> GoalRuns(List<Placed> lines, Submissions.Focus focus)
        {
            bool In(Placed c) => focus == Submissions.Focus.National ? c.National : c.International;
            var i = 0;
            while (i < lines.Count)
            {
                var goal = lines[i].Goal;
                var end = i;
                while (end < lines.Count && lines[end].Goal == goal) end++;
                var any = false;
                for (var j = i; j < end && !any; j++) any = In(lines[j]);
                if (any) yield return (goal, lines, i, end);
                i = end;
            }
        }

        /// <summary>Where a contribution is (goal and position in the goal's list), with what the chapters group it by.</summary>
        private readonly record struct Placed(int Goal, int Index, string SignatoryId, string Organisation, bool National, bool International);

        private void ByFocus(List<Placed> lines, bool withOrganisation, string focusStyle)
        {
            foreach (var (focus, label) in new[] { (Submissions.Focus.National, l.T("Nationaal", "National")), (Submissions.Focus.International, l.T("Internationaal", "International")) })
            {
                Para(label, focusStyle);
                var none = true;
                foreach (var (goal, placements, start, end) in GoalRuns(lines, focus))
                {
                    none = false;
                    var section = report.Goals[goal];
                    Para($"{section.Code} {section.Title}", "NapGoalLabel");
                    for (var p = start; p < end; p++)
                    {
                        var placed = placements[p];
                        if (!(focus == Submissions.Focus.National ? placed.National : placed.International)) continue;
                        var c = section.Contributions[placed.Index];
                        // A contribution with both foci is described once, under national; international names it only.
                        if (focus == Submissions.Focus.International && c.Focus.Contains(Submissions.Focus.National))
                        {
                            ContributionTitle(c, withOrganisation, links: false);
                            Para(l.T("Ook nationaal; beschreven onder ‘Nationaal’.", "Also national; described under ‘National’."), "NapNote");
                        }
                        else ContributionBlock(c, withOrganisation);
                    }
                }
                if (none) Para(l.T("Geen bijdragen met deze focus.", "No contributions with this focus."));
            }
        }

        /// <summary>A contribution with its description, partners, places, budget and indicator results; its links as footnotes.</summary>
        private void ContributionTitle(ContributionLine c, bool withOrganisation, bool links)
        {
            w.Raw("<w:p>");
            w.ParagraphStyle("NapContribution");
            w.Runs(c.Title);
            for (var i = 0; links && i < c.Links.Count; i++)
            {
                footnotes.Add(c.Links[i]);
                // "Title¹,²": references side by side are separated, as Word does.
                if (i > 0) w.Raw(FootnoteSeparatorMarkup);
                w.Raw(FootnoteReferenceStart);
                w.Raw(footnotes.Count.ToString(CultureInfo.InvariantCulture));
                w.Raw(FootnoteReferenceEnd);
            }
            if (withOrganisation) w.PlainRun(" — " + c.Organisation, OrganisationRunProperties);
            w.Raw("</w:p>");
        }

        private static readonly string FootnoteSeparatorMarkup = WordMarkup.Markup(new Run(new RunProperties(new RunStyle { Val = "FootnoteReference" }), new Text(",")));
        // The reference's markup around its number (written once with a stand-in number, cut there).
        private static readonly string[] FootnoteReferenceAround =
            WordMarkup.Markup(new Run(new RunProperties(new RunStyle { Val = "FootnoteReference" }), new FootnoteReference { Id = 7 })).Split("7", 2);
        private static string FootnoteReferenceStart => FootnoteReferenceAround[0];
        private static string FootnoteReferenceEnd => FootnoteReferenceAround[1];
        private static readonly string OrganisationRunProperties = WordMarkup.Markup(new RunProperties(new Bold { Val = false }, new Color { Val = "404040" }));
        private static readonly string DetailsWithTable = WordMarkup.Markup(new ParagraphProperties(new ParagraphStyleId { Val = "NapDetails" }));
        private static readonly string DetailsAlone = WordMarkup.Markup(new ParagraphProperties(new ParagraphStyleId { Val = "NapDetails" }, new KeepNext { Val = false }));

        private void ContributionBlock(ContributionLine c, bool withOrganisation)
        {
            ContributionTitle(c, withOrganisation, links: true);
            if (!string.IsNullOrWhiteSpace(c.Description)) Para(c.Description, "NapDescription");

            // The details keep with the results table below them; without one, they need not keep with what follows.
            w.Raw("<w:p>");
            w.Raw(c.IndicatorResults.Count > 0 ? DetailsWithTable : DetailsAlone);
            void Detail(string label, string value, bool last = false)
            {
                w.PlainRun(label + ": ", "<w:rPr><w:b /></w:rPr>");
                w.Runs(value, breakAfter: !last);
            }
            if (c.Partners.Count > 0) Detail(l.T("Partners", "Partners"), string.Join(", ", c.Partners));
            if (c.CountryCodes.Count > 0) Detail(l.T("Landen", "Countries"), l.List(c.CountryCodes.Select(PlaceName).ToList()));
            if (c.RegionCodes.Count > 0) Detail(l.T("Regio's", "Regions"), l.List(c.RegionCodes.Select(PlaceName).ToList()));
            if (c.Focus.Count > 1) Detail(l.T("Focus", "Focus"), l.Focus(c.Focus));
            Detail(l.T("Besteed budget", "Budget spent"), c.BudgetSpentEur is { } b ? "€ " + l.Money(b) : l.T("niet gerapporteerd", "not reported"), last: true);
            w.Raw("</w:p>");

            if (c.IndicatorResults.Count > 0)
                Table(ResultColumns ??= [(l.T("Indicator", "Indicator"), 34, false), (l.T("Resultaat", "Result"), 18, false), (l.T("Streefwaarde", "Target"), 16, true), (l.T("Toelichting", "Comment"), 32, false)],
                    c.IndicatorResults.Select(r => Row(false, r.IndicatorTitle is null ? r.Indicator : $"{r.Indicator} {r.IndicatorTitle}",
                        ResultText(r.Value, r.Text, r.Unit), r.Target is { } t ? l.Number(t) : "–", r.Comment ?? "")), spacing: false);
        }

        private (string Header, int Percent, bool Numeric)[]? ResultColumns;

        private void SignatoriesSection((string Text, string Anchor) heading)
        {
            Heading1(heading);
            Para(l.T($"Deze bijlage is samengesteld uit {ReportReviewTexts.VersionsUsed(report, l)} van de rapportage van {(report.Signatories.Count == 1 ? "de volgende ondertekenaar" : $"de volgende {l.Number(report.Signatories.Count)} ondertekenaars")}.",
                $"This annex is compiled from {ReportReviewTexts.VersionsUsed(report, l)} of the report of the following {l.Signatories(report.Signatories.Count)}."));
            Table([(l.T("Organisatie", "Organisation"), 48, false), (l.T("Soort", "Kind"), 22, false), (l.T("Versie", "Version"), 8, true),
                    (l.T("Ontvangen", "Received"), 14, false), (l.T("Te laat", "Late"), 8, false)],
                report.Signatories.Select(s => Row(false, s.Name, s.KindLabel, l.Number(s.Version),
                    Api.AmsterdamTime.ToLocal(s.ReceivedAt).ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
                    s.Late ? l.T("ja", "yes") : l.T("nee", "no"))));
        }

        private void DataQualitySection((string Text, string Anchor) heading)
        {
            Heading1(heading);
            var q = report.DataQuality;
            var included = report.Lineage.Count(x => x.Included);
            var total = report.Lineage.Count;
            Para(total == 0
                ? l.T("Er zijn (nog) geen rapportages ingediend.", "No reports have been submitted (yet).")
                : l.T($"{l.Number(included)} van {l.Submissions(total)} {(included == 1 ? "is" : "zijn")} verwerkt.", $"{l.Number(included)} of {l.Submissions(total)} were processed."));
            if (q.Skipped.Count > 0)
            {
                Para(l.T("De volgende rapportages konden niet worden verwerkt en tellen in deze bijlage niet mee:", "The following reports could not be processed and do not count in this annex:"));
                Caption(l.T("Niet verwerkte rapportages", "Reports not processed"));
                Table([(l.T("Ondertekenaar (id)", "Signatory (id)"), 30, false), (l.T("Organisatie", "Organisation"), 28, false), (l.T("Versie", "Version"), 10, true), (l.T("Reden", "Reason"), 32, false)],
                    q.Skipped.Select(s => Row(false, s.SignatoryId, report.Signatories.FirstOrDefault(x => x.Id == s.SignatoryId)?.Name ?? s.SignatoryId,
                        l.Number(s.Version), l.IsEnglish ? SkipReasons.English(s.Reason) : SkipReasons.Dutch(s.Reason))));
            }
            else if (total > 0) Para(l.T("Alle ingediende rapportages konden worden gelezen en voldoen aan het rapportageformat.", "Every submitted report could be read and meets the reporting format."));
            foreach (var line in ReportReviewTexts.DataQuality(report, l)) Para(line);
            // A redaction is never silent: the annex says which versions it quotes as redacted, and when.
            foreach (var r in report.Lineage.Where(x => x.Redacted is not null))
            {
                var name = report.Signatories.FirstOrDefault(x => x.Id == r.SignatoryId)?.Name ?? r.SignatoryId;
                var on = DateTimeOffset.Parse(r.Redacted!.On, CultureInfo.InvariantCulture);
                Para(l.T($"In versie {l.Number(r.Version)} van {name} is na ontvangst tekst verwijderd (geredigeerd op {Api.AmsterdamTime.FormatForPeople(on, "nl")}).",
                    $"Text was removed from version {l.Number(r.Version)} of {name} after it was received (redacted on {Api.AmsterdamTime.FormatForPeople(on, "en")})."));
            }
            if (q.UnknownSignatoryIds.Count > 0)
                Para(l.T($"Rapportages van ondertekenaars die niet in het register staan (opgenomen onder hun id): {string.Join(", ", q.UnknownSignatoryIds)}.",
                    $"Reports by signatories not in the register (included under their id): {string.Join(", ", q.UnknownSignatoryIds)}."));
            Para(q.LateSubmissions == 0
                ? l.T("Geen rapportage is na de deadline ontvangen.", "No report was received after the deadline.")
                : l.T($"{l.Submissions(q.LateSubmissions)} {(q.LateSubmissions == 1 ? "is" : "zijn")} na de deadline ontvangen en meegeteld.",
                    $"{l.Submissions(q.LateSubmissions)} {(q.LateSubmissions == 1 ? "was" : "were")} received after the deadline and counted."));
            var missing = report.Completeness.Missing;
            Para(missing == 0
                ? l.T("Alle actieve ondertekenaars hebben gerapporteerd.", "Every active signatory reported.")
                : l.T($"{l.Count(missing, "actieve ondertekenaar", "actieve ondertekenaars", "", "")} {(missing == 1 ? "heeft" : "hebben")} (nog) niet gerapporteerd.",
                    $"{l.Count(missing, "", "", "active signatory", "active signatories")} did not report (yet)."));
            Para(ReportReviewTexts.Withheld(report, l));
        }

        private void Provenance((string Text, string Anchor) heading)
        {
            Heading1(heading);
            Para(l.T($"Deze bijlage is automatisch samengesteld uit {ReportReviewTexts.VersionsUsed(report, l)} van elke rapportage. Het bijbehorende JSON-bestand bevat alle " +
                     "cijfers en hun herkomst: bij elke bijdrage, elk indicatorresultaat en elk citaat de inzending, de versie en een sleutelhash (HMAC-SHA256) van de ingediende tekst, " +
                     "en bij elke som de bijdragen die zij optelt. Het CSV-bestand bevat één regel per bijdrage en per indicatorresultaat, met dezelfde herkomst.",
                     $"This annex is compiled automatically from {ReportReviewTexts.VersionsUsed(report, l)} of each report. The accompanying JSON file holds every figure and " +
                     "its provenance: for each contribution, indicator result and quote the submission, its version and a keyed hash (HMAC-SHA256) of the submitted text, and for " +
                     "each sum the contributions it adds up. The CSV file has one row per contribution and per indicator result, with the same provenance."));
            Para(l.T($"Resultatenraamwerk: {report.FrameworkVersion}. Invoer-hash: {report.InputHash}.", $"Results framework: {report.FrameworkVersion}. Input hash: {report.InputHash}."), "NapNote");
        }

        /// <summary>Every indicator of the framework, with how many results this report has on it.</summary>
        private void FrameworkAppendix((string Text, string Anchor) heading)
        {
            Heading1(heading);
            Para(l.T("De hoofdstukken per doel tonen alleen indicatoren waarover is gerapporteerd. Dit is de volledige lijst van het resultatenraamwerk.",
                "The goal chapters show only indicators someone reported on. This is the full list of the results framework."));
            var results = report.Goals.SelectMany(g => g.Total.Indicators).ToDictionary(i => i.Code, i => i.Results, StringComparer.Ordinal);
            Caption(l.T("Indicatoren van het resultatenraamwerk", "Indicators of the results framework"));
            Table([(l.T("Code", "Code"), 12, false), (l.T("Indicator", "Indicator"), 50, false), (l.T("Soort", "Kind"), 14, false), (l.T("Eenheid", "Unit"), 12, false), (l.T("Resultaten", "Results"), 12, true)],
                framework.Goals.SelectMany(g => g.Outcomes).SelectMany(o => o.Indicators).Select(i => Row(false, i.Code, i.Title.In(l.Code),
                    i.Kind == IndicatorKind.Quantitative ? l.T("kwantitatief", "quantitative") : l.T("kwalitatief", "qualitative"),
                    i.Unit is null ? "" : framework.FindUnit(i.Unit)?.Title.In(l.Code) ?? i.Unit,
                    results.TryGetValue(i.Code, out var n) ? l.Number(n) : l.T("geen", "none"))));
        }

        // ---- building blocks ----

        private void Heading1((string Text, string Anchor) heading)
        {
            var id = (++_bookmark).ToString(System.Globalization.CultureInfo.InvariantCulture);
            w.WriteElement(new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }),
                new BookmarkStart { Id = id, Name = heading.Anchor },
                new Run(new Text(heading.Text) { Space = SpaceProcessingModeValues.Preserve }),
                new BookmarkEnd { Id = id }));
        }

        private void Heading2(string text) => Para(text, "Heading2");

        private void Caption(string text, bool figure = false)
        {
            if (!figure) text = $"Tabel {++_table}. {text}";
            Para(text, "Caption");
        }

        private void Para(string text, string? style = null, bool bullet = false) => w.Paragraph(style, text, bullet);

        private string PlaceName(string code) => countries.Find(code)?.Name.In(l.Code) ?? code;

        private void Chart()
        {
            var alt = l.T("Staafdiagram met het aantal bijdragen per strategisch doel: ", "Bar chart of the number of contributions per strategic goal: ") + string.Join("; ", report.Goals.Select(g =>
                $"{g.Code} {g.Title}: {l.Number(g.National.Contributions)} {l.T("nationaal", "national")}, {l.Number(g.International.Contributions)} {l.T("internationaal", "international")}"));
            Picture(ChartId, 1U, "bijdragen-per-doel.png", l.T("Figuur 1", "Figure 1"), alt, ReportChart.Height * 1.0 / ReportChart.Width);
        }

        /// <summary>An inline image of the chart behind <paramref name="relationshipId"/>, 17 cm wide.</summary>
        private void Picture(string relationshipId, uint id, string fileName, string name, string alt, double aspect)
        {
            const long cx = 6_120_000L; // 17 cm wide
            var cy = (long)Math.Round(cx * aspect);
            var picture = new PIC.Picture(
                new PIC.NonVisualPictureProperties(
                    new PIC.NonVisualDrawingProperties { Id = 0U, Name = fileName },
                    new PIC.NonVisualPictureDrawingProperties()),
                new PIC.BlipFill(new A.Blip { Embed = relationshipId }, new A.Stretch(new A.FillRectangle())),
                new PIC.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));
            var inline = new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
                new DW.DocProperties { Id = id, Name = name, Description = alt },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(picture) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            {
                DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
            };
            w.WriteElement(new Paragraph(
                new ParagraphProperties(new KeepNext(), new Justification { Val = JustificationValues.Center }),
                new Run(new Drawing(inline))));
        }

        /// <summary>A table written row by row: the rows are never all in memory at once.</summary>
        private void Table(IReadOnlyList<(string Header, int Percent, bool Numeric)> columns, IEnumerable<Line> rows, bool spacing = true)
        {
            w.Raw(TableStart(columns));
            foreach (var row in rows)
            {
                w.Raw("<w:tr><w:trPr><w:cantSplit /></w:trPr>");
                for (var i = 0; i < row.Cells.Length; i++)
                {
                    w.Raw(columns[i].Numeric ? "<w:tc><w:p><w:pPr><w:pStyle w:val=\"NapTableNumber\" /></w:pPr>" : "<w:tc><w:p><w:pPr><w:pStyle w:val=\"NapTableText\" /></w:pPr>");
                    w.Runs(row.Cells[i], row.Bold);
                    w.Raw("</w:p></w:tc>");
                }
                w.Raw("</w:tr>");
            }
            w.Raw(spacing ? TableEndSpaced : TableEndTight);
        }

        private readonly Dictionary<string, string> _tableStarts = new(StringComparer.Ordinal);

        /// <summary>A table's properties, grid and header row: the same for every table with these columns, so made once.</summary>
        private string TableStart(IReadOnlyList<(string Header, int Percent, bool Numeric)> columns)
        {
            var key = string.Join("\u0001", columns.Select(c => $"{c.Header}\u0002{c.Percent}\u0002{c.Numeric}"));
            if (_tableStarts.TryGetValue(key, out var known)) return known;
            var widths = columns.Select(c => TextWidth * c.Percent / 100).ToArray();
            var header = new TableRow(new TableRowProperties(new TableHeader(), new CantSplit()));
            for (var i = 0; i < columns.Count; i++)
                header.Append(HeaderCell(columns[i].Header, widths[i], columns[i].Numeric));
            var markup = "<w:tbl>" + WordMarkup.Markup(TableProperties(),
                new TableGrid(widths.Select(x => new GridColumn { Width = x.ToString(System.Globalization.CultureInfo.InvariantCulture) })), header);
            _tableStarts[key] = markup;
            return markup;
        }

        private static TableProperties TableProperties() => new(
            new TableWidth { Width = TextWidth.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4, Color = "A6A6A6" },
                new LeftBorder { Val = BorderValues.Nil },
                new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "A6A6A6" },
                new RightBorder { Val = BorderValues.Nil },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Color = "D9D9D9" },
                new InsideVerticalBorder { Val = BorderValues.Nil }),
            new TableLayout { Type = TableLayoutValues.Fixed },
            new TableCellMarginDefault(
                new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa }),
            new TableLook { Val = "04A0" });

        private static readonly string TableEndSpaced = "</w:tbl>" + WordMarkup.Markup(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "120" })));
        private static readonly string TableEndTight = "</w:tbl>" + WordMarkup.Markup(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0" })));

        /// <summary>One table row's texts; widths and alignment come from the columns.</summary>
        private readonly record struct Line(bool Bold, string[] Cells);

        private static Line Row(bool bold, params string[] cells) => new(bold, cells);

        private static TableCell HeaderCell(string text, int width, bool numeric)
        {
            var paragraph = new Paragraph(new ParagraphProperties(
                new ParagraphStyleId { Val = "NapTableHeader" },
                new Justification { Val = numeric ? JustificationValues.Right : JustificationValues.Left }));
            return new TableCell(
                new TableCellProperties(
                    new TableCellWidth { Width = width.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                    new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = Blue }),
                Text(paragraph, text, bold: false));
        }

        /// <summary>Adds the text as runs, line breaks kept.</summary>
        private static Paragraph Text(Paragraph paragraph, string text, bool bold)
        {
            if (text.IndexOf('\n') < 0)
            {
                var run = bold ? new Run(new RunProperties(new Bold())) : new Run();
                AppendText(run, text);
                paragraph.Append(run);
                return paragraph;
            }
            foreach (var run in Runs(text))
            {
                if (bold) run.PrependChild(new RunProperties(new Bold()));
                paragraph.Append(run);
            }
            return paragraph;
        }

        /// <summary>Text as runs, line breaks kept; "NAP-IV" never breaks at its hyphen.</summary>
        private static IEnumerable<Run> Runs(string text)
        {
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var run = new Run();
                AppendText(run, lines[i]);
                if (i < lines.Length - 1) run.Append(new Break());
                yield return run;
            }
        }
    }

    /// <summary>Appends the text to the run, with a non-breaking hyphen (w:noBreakHyphen) in every "NAP-IV".</summary>
    private static void AppendText(Run run, string text)
    {
        foreach (var (piece, hyphenAfter) in WordMarkup.UnbrokenPieces(text))
        {
            run.Append(new Text(piece) { Space = SpaceProcessingModeValues.Preserve });
            if (hyphenAfter) run.Append(new NoBreakHyphen());
        }
    }

    /// <summary>A block of a coordinators' text: a paragraph, or one list item.</summary>
    public readonly record struct TextBlock(string Text, bool Item);

    /// <summary>
    /// Splits the coordinators' markdown-like text: blank lines end a paragraph, a line starting with "- " or "* " is a
    /// list item; other lines continue the paragraph they are in. Nothing else is interpreted.
    /// </summary>
    public static IReadOnlyList<TextBlock> CoordinatorBlocks(string text)
    {
        var blocks = new List<TextBlock>();
        var paragraph = new StringBuilder();
        void Flush()
        {
            if (paragraph.Length > 0) blocks.Add(new TextBlock(paragraph.ToString(), false));
            paragraph.Clear();
        }
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) { Flush(); continue; }
            if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
            {
                Flush();
                blocks.Add(new TextBlock(line[2..].Trim(), true));
                continue;
            }
            if (paragraph.Length > 0) paragraph.Append(' ');
            paragraph.Append(line);
        }
        Flush();
        return blocks;
    }

    private static Footer BuildFooter(CompiledReport report, ReportLanguage l)
    {
        var run = new Run();
        AppendText(run, l.T($"Voortgangsrapportage NAP-IV {report.CycleId}{(report.Kind == ReportKind.Draft ? " (concept)" : "")} | pagina ",
            $"NAP-IV Progress Report {report.CycleId}{(report.Kind == ReportKind.Draft ? " (draft)" : "")} | page "));
        return new Footer(new Paragraph(
            new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }, new Justification { Val = JustificationValues.Right }),
            run,
            new SimpleField(new Run(new Text("1"))) { Instruction = " PAGE " }));
    }

    private static string CorePropertiesXml(CompiledReport report)
    {
        // Created and modified are the report date, not the clock: the same inputs give the same bytes.
        var date = report.ReportDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z";
        return XmlHeader +
               "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " +
               "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" +
               $"<dc:title>{SecurityElement.Escape(report.Title)}</dc:title>" +
               "<dc:creator>NAP1325 rapportage</dc:creator>" +
               $"<dc:language>{(report.Language == "en" ? "en-GB" : "nl-NL")}</dc:language>" +
               $"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>" +
               $"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>" +
               "</cp:coreProperties>";
    }

    private static Styles BuildStyles(ReportLanguage language)
    {
        static Style Paragraph(string id, string name, string? basedOn, ParagraphProperties? p, RunProperties? r, int? outline = null)
        {
            var s = new Style { Type = StyleValues.Paragraph, StyleId = id };
            s.Append(new StyleName { Val = name });
            if (basedOn is not null) s.Append(new BasedOn { Val = basedOn });
            s.Append(new NextParagraphStyle { Val = "Normal" });
            if (outline is not null) s.Append(new UIPriority { Val = 9 }, new PrimaryStyle());
            else s.Append(new PrimaryStyle());
            if (p is not null) { s.Append(new StyleParagraphProperties(p.ChildElements.Select(e => e.CloneNode(true)))); }
            if (r is not null) { s.Append(new StyleRunProperties(r.ChildElements.Select(e => e.CloneNode(true)))); }
            return s;
        }

        var normal = new Style(
            new StyleName { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties(new SpacingBetweenLines { Before = "0", After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }),
            new StyleRunProperties(new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font }, new FontSize { Val = "20" }, new FontSizeComplexScript { Val = "20" }))
        { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true };

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                    new FontSize { Val = "20" }, new FontSizeComplexScript { Val = "20" },
                    new Languages { Val = language.IsEnglish ? "en-GB" : "nl-NL", EastAsia = language.IsEnglish ? "en-GB" : "nl-NL", Bidi = "ar-SA" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120" }))),
            normal,
            Paragraph("Title", "Title", "Normal",
                new ParagraphProperties(new SpacingBetweenLines { Before = "240", After = "240" }),
                new RunProperties(new Bold(), new Color { Val = Blue }, new FontSize { Val = "48" }, new FontSizeComplexScript { Val = "48" })),
            Paragraph("Subtitle", "Subtitle", "Normal",
                new ParagraphProperties(new SpacingBetweenLines { After = "480" }),
                new RunProperties(new Color { Val = Blue }, new FontSize { Val = "28" }, new FontSizeComplexScript { Val = "28" })),
            Paragraph("Heading1", "heading 1", "Normal",
                new ParagraphProperties(new KeepNext(), new KeepLines(), new PageBreakBefore(), new SpacingBetweenLines { Before = "240", After = "160" }, new OutlineLevel { Val = 0 }),
                new RunProperties(new Bold(), new Color { Val = Blue }, new FontSize { Val = "32" }, new FontSizeComplexScript { Val = "32" }), outline: 0),
            Paragraph("Heading2", "heading 2", "Normal",
                new ParagraphProperties(new KeepNext(), new KeepLines(), new SpacingBetweenLines { Before = "240", After = "80" }, new OutlineLevel { Val = 1 }),
                new RunProperties(new Bold(), new Color { Val = Blue }, new FontSize { Val = "24" }, new FontSizeComplexScript { Val = "24" }), outline: 1),
            Paragraph("Heading3", "heading 3", "Normal",
                new ParagraphProperties(new KeepNext(), new KeepLines(), new SpacingBetweenLines { Before = "200", After = "80" }, new OutlineLevel { Val = 2 }),
                new RunProperties(new Bold(), new Color { Val = Blue }, new FontSize { Val = "22" }, new FontSizeComplexScript { Val = "22" }), outline: 2),
            Paragraph("NapGoalLabel", "Goal label", "Normal",
                new ParagraphProperties(new KeepNext(), new KeepLines(),
                    new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "A6A6A6", Space = 1 }),
                    new SpacingBetweenLines { Before = "200", After = "60" }),
                new RunProperties(new Bold(), new Color { Val = "404040" })),
            Paragraph("NapContribution", "Contribution", "Normal",
                new ParagraphProperties(new KeepNext(), new KeepLines(), new SpacingBetweenLines { Before = "160", After = "40" }),
                new RunProperties(new Bold())),
            Paragraph("NapDescription", "Contribution description", "Normal",
                new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { After = "60" }), null),
            Paragraph("NapDetails", "Contribution details", "Normal",
                new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { After = "80" }),
                new RunProperties(new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" })),
            Paragraph("NapListItem", "List item", "Normal",
                new ParagraphProperties(new Tabs(new TabStop { Val = TabStopValues.Left, Position = 567 }), new SpacingBetweenLines { After = "60" },
                    new Indentation { Left = "567", Hanging = "283" }), null),
            Paragraph("FootnoteText", "footnote text", "Normal",
                new ParagraphProperties(new SpacingBetweenLines { After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
                new RunProperties(new FontSize { Val = "16" }, new FontSizeComplexScript { Val = "16" })),
            new Style(new StyleName { Val = "footnote reference" }, new UIPriority { Val = 99 },
                new StyleRunProperties(new VerticalTextAlignment { Val = VerticalPositionValues.Superscript })) { Type = StyleValues.Character, StyleId = "FootnoteReference" },
            new Style(new StyleName { Val = "Hyperlink" }, new UIPriority { Val = 99 },
                new StyleRunProperties(new Color { Val = "0563C1" }, new Underline { Val = UnderlineValues.Single })) { Type = StyleValues.Character, StyleId = "Hyperlink" },
            Paragraph("Caption", "caption", "Normal",
                new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "120", After = "60" }),
                new RunProperties(new Bold(), new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" })),
            Paragraph("Quote", "Quote", "Normal",
                new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "120", After = "0" }, new Indentation { Left = "567", Right = "567" }),
                new RunProperties(new Italic(), new Color { Val = "404040" })),
            Paragraph("NapQuoteSource", "Quote source", "Normal",
                new ParagraphProperties(new SpacingBetweenLines { After = "160" }, new Indentation { Left = "567", Right = "567" }, new Justification { Val = JustificationValues.Right }),
                new RunProperties(new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" })),
            Paragraph("NapNote", "Note", "Normal", null,
                new RunProperties(new Color { Val = "595959" }, new FontSize { Val = "16" }, new FontSizeComplexScript { Val = "16" })),
            Paragraph("NapNotice", "Notice", "Normal",
                new ParagraphProperties(new SpacingBetweenLines { Before = "240" }),
                new RunProperties(new Bold(), new Color { Val = "C00000" })),
            Paragraph("TOCHeading", "TOC Heading", "Normal",
                new ParagraphProperties(new PageBreakBefore(), new SpacingBetweenLines { After = "240" }),
                new RunProperties(new Bold(), new Color { Val = Blue }, new FontSize { Val = "32" }, new FontSizeComplexScript { Val = "32" })),
            Paragraph("TOC1", "toc 1", "Normal", new ParagraphProperties(new SpacingBetweenLines { After = "80" }), null),
            Paragraph("NapTableText", "Table text", "Normal",
                new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
                new RunProperties(new FontSize { Val = "18" }, new FontSizeComplexScript { Val = "18" })),
            Paragraph("NapTableNumber", "Table number", "NapTableText", new ParagraphProperties(new Justification { Val = JustificationValues.Right }), null),
            Paragraph("NapTableHeader", "Table header", "NapTableText", new ParagraphProperties(new KeepNext()),
                new RunProperties(new Bold(), new Color { Val = "FFFFFF" })),
            Paragraph("Footer", "footer", "Normal", null,
                new RunProperties(new Color { Val = "595959" }, new FontSize { Val = "16" }, new FontSizeComplexScript { Val = "16" })));
    }
}
