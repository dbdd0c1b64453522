using System.IO.Compression;
using System.Security;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;
using Nap.Countries;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Nap.Reports;

/// <summary>
/// The annex as a Word document in Dutch: title page, contents, summary with chart, completeness, one section per
/// strategic goal (national and international), the reporting signatories, data quality and provenance.
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
    private const string ChartId = "rIdChart", StylesId = "rIdStyles", SettingsId = "rIdSettings", FooterId = "rIdFooter";

    public static byte[] Write(CompiledReport report, byte[] chartPng, CountryCatalog countries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            // The package is written entry by entry in a fixed order, with fixed relationship ids and one timestamp:
            // System.IO.Packaging would add random relationship ids, a GUID-named core-properties part and the clock.
            Entry(zip, "[Content_Types].xml", s => Xml(s, ContentTypesXml));
            Entry(zip, "_rels/.rels", s => Xml(s, PackageRelationshipsXml));
            Entry(zip, "docProps/core.xml", s => Xml(s, CorePropertiesXml(report)));
            Entry(zip, "word/_rels/document.xml.rels", s => Xml(s, DocumentRelationshipsXml));
            Entry(zip, "word/styles.xml", s => Root(s, BuildStyles()));
            Entry(zip, "word/settings.xml", s => Root(s, new Settings(
                new Zoom { Percent = "100" },
                new DefaultTabStop { Val = 708 },
                new CharacterSpacingControl { Val = CharacterSpacingValues.DoNotCompress },
                // Word refreshes the contents (page numbers) when the document is opened.
                new UpdateFieldsOnOpen { Val = true },
                new ThemeFontLanguages { Val = "nl-NL" })));
            Entry(zip, "word/footer1.xml", s => Root(s, BuildFooter(report)));
            Entry(zip, "word/media/chart.png", s => s.Write(chartPng));
            // The body streams into the compressed entry: a report with thousands of rows is never one object tree.
            Entry(zip, "word/document.xml", s =>
            {
                using var w = OpenXmlWriter.Create(s);
                w.WriteStartDocument(true);
                w.WriteStartElement(new Document(), [], [
                    new("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
                    new("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
                    new("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
                    new("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
                    new("pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
                ]);
                w.WriteStartElement(new Body());
                new BodyWriter(w, report, countries).WriteAll();
                w.WriteElement(new SectionProperties(
                    new FooterReference { Type = HeaderFooterValues.Default, Id = FooterId },
                    new PageSize { Width = PageWidth, Height = PageHeight },
                    new PageMargin { Top = Margin, Right = Margin, Bottom = Margin, Left = Margin, Header = 567, Footer = 567, Gutter = 0 }));
                w.WriteEndElement();
                w.WriteEndElement();
            });
        }
        return buffer.ToArray();
    }

    /// <summary>Zip entries carry this time: the clock must not reach the file, and DOS timestamps cannot hold every report date anyway.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static void Entry(ZipArchive zip, string name, Action<Stream> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        write(stream);
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
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>" +
        "</Types>";

    private const string PackageRelationshipsXml = XmlHeader +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"rIdDocument\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>" +
        "<Relationship Id=\"rIdCore\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>" +
        "</Relationships>";

    private const string DocumentRelationshipsXml = XmlHeader +
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
        "<Relationship Id=\"" + StylesId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>" +
        "<Relationship Id=\"" + SettingsId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>" +
        "<Relationship Id=\"" + FooterId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>" +
        "<Relationship Id=\"" + ChartId + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart.png\"/>" +
        "</Relationships>";

    /// <summary>The heading texts of the goal sections, as the document and its contents list show them.</summary>
    public static string GoalHeading(int number, GoalSection goal) => $"{number}. Strategisch doel {goal.Code}: {goal.Title}";

    private sealed class BodyWriter(OpenXmlWriter w, CompiledReport report, CountryCatalog countries)
    {
        private int _bookmark;
        private int _table;

        public void WriteAll()
        {
            var sections = PlanHeadings();
            TitlePage();
            Contents(sections);
            var n = 0;
            Summary(sections[n++]);
            CompletenessSection(sections[n++]);
            foreach (var goal in report.Goals) Goal(sections[n++], goal);
            SignatoriesSection(sections[n++]);
            DataQualitySection(sections[n++]);
            Provenance(sections[n]);
        }

        /// <summary>The top-level headings are known before the body is written, so the contents list can be written first.</summary>
        private List<(string Text, string Anchor)> PlanHeadings()
        {
            var texts = new List<string> { "1. Samenvatting", "2. Volledigheid van de rapportage" };
            var number = 3;
            foreach (var goal in report.Goals) texts.Add(GoalHeading(number++, goal));
            texts.Add($"{number++}. Rapporterende ondertekenaars");
            texts.Add($"{number++}. Datakwaliteit");
            texts.Add($"{number}. Verantwoording");
            return texts.Select((t, i) => (t, $"_Toc{(i + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)}")).ToList();
        }

        private void TitlePage()
        {
            for (var i = 0; i < 6; i++) w.WriteElement(new Paragraph());
            Para(report.Title, "Title");
            Para("Nationaal Actieplan 1325-IV inzake Vrouwen, Vrede en Veiligheid", "Subtitle");
            Para($"Inzet en voortgang van de ondertekenaars over de periode {DutchFormat.Date(report.PeriodStart)} tot en met {DutchFormat.Date(report.PeriodEnd)}.");
            Para($"Stand van {DutchFormat.Date(report.ReportDate)}, samengesteld uit {DutchFormat.Number(report.Completeness.Submitted)} rapportages van ondertekenaars.");
            if (report.Kind == ReportKind.Draft)
                Para("Concept: automatisch samengesteld uit de tot nu toe ingediende rapportages en nog niet vastgesteld.", "NapNotice");
            if (report.SampleFramework)
                Para($"Let op: samengesteld met het voorbeeld-resultatenraamwerk ({report.FrameworkVersion}), niet met het officiële raamwerk.", "NapNotice");
        }

        private void Contents(List<(string Text, string Anchor)> sections)
        {
            Para("Inhoud", "TOCHeading");
            for (var i = 0; i < sections.Count; i++)
            {
                var p = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "TOC1" }));
                if (i == 0)
                {
                    p.Append(new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }));
                    p.Append(new Run(new FieldCode(" TOC \\o \"1-1\" \\h \\z \\u ") { Space = SpaceProcessingModeValues.Preserve }));
                    p.Append(new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }));
                }
                p.Append(new Hyperlink(new Run(new Text(sections[i].Text) { Space = SpaceProcessingModeValues.Preserve })) { Anchor = sections[i].Anchor, History = true });
                w.WriteElement(p);
            }
            w.WriteElement(new Paragraph(new Run(new FieldChar { FieldCharType = FieldCharValues.End })));
        }

        private void Summary((string Text, string Anchor) heading)
        {
            Heading1(heading);
            var t = report.Totals;
            Para($"Over {report.CycleId} rapporteerden {DutchFormat.Number(t.Signatories)} ondertekenaars samen {DutchFormat.Number(t.Contributions)} bijdragen aan de strategische doelen van het NAP-IV: " +
                 $"{DutchFormat.Number(t.NationalContributions)} met een nationale en {DutchFormat.Number(t.InternationalContributions)} met een internationale focus " +
                 $"(een bijdrage kan beide hebben), in {DutchFormat.Number(t.CountriesReached)} landen en regio's en met een besteed budget van € {DutchFormat.Money(t.BudgetSpentEur)}.");
            Caption("Bijdragen, ondertekenaars, landen en budget per strategisch doel");
            Table([("Strategisch doel", 20, false), ("Bijdragen", 11, true), ("Nationaal", 11, true), ("Internationaal", 14, true),
                    ("Ondertekenaars", 17, true), ("Landen en regio's", 11, true), ("Besteed budget (€)", 16, true)],
                report.Goals.Select(g => Row(false, $"{g.Code} {g.Title}", DutchFormat.Number(g.Total.Contributions), DutchFormat.Number(g.National.Contributions),
                    DutchFormat.Number(g.International.Contributions), DutchFormat.Number(g.Total.Signatories), DutchFormat.Number(g.Total.CountriesReached),
                    DutchFormat.Money(g.Total.BudgetSpentEur)))
                .Append(Row(true, "Totaal", DutchFormat.Number(t.Contributions), DutchFormat.Number(t.NationalContributions), DutchFormat.Number(t.InternationalContributions),
                    DutchFormat.Number(t.Signatories), DutchFormat.Number(t.CountriesReached), DutchFormat.Money(t.BudgetSpentEur))));
            Para("Ondertekenaars en landen tellen in de totaalregel één keer, ook als zij bij meerdere doelen voorkomen.", "NapNote");
            Chart();
            Caption("Figuur 1. Aantal bijdragen per strategisch doel en focus", figure: true);
        }

        private void CompletenessSection((string Text, string Anchor) heading)
        {
            Heading1(heading);
            var c = report.Completeness;
            Para($"Van de {DutchFormat.Number(c.Expected)} actieve ondertekenaars hebben er {DutchFormat.Number(c.SubmittedByExpected)} gerapporteerd ({DutchFormat.Percent(c.CompletionPercent)}).");
            Table([("Onderdeel", 60, false), ("Aantal", 40, true)], [
                Row(false, "Verwacht (actieve ondertekenaars)", DutchFormat.Number(c.Expected)),
                Row(false, "Ingediend", DutchFormat.Number(c.Submitted)),
                Row(false, "Waarvan na de deadline", DutchFormat.Number(c.Late)),
                Row(false, "Ontbrekend", DutchFormat.Number(c.Missing)),
                Row(true, "Volledigheid", DutchFormat.Percent(c.CompletionPercent)),
            ]);
        }

        private void Goal((string Text, string Anchor) heading, GoalSection goal)
        {
            Heading1(heading);
            Para($"Voor dit doel rapporteerden {DutchFormat.Number(goal.Total.Signatories)} ondertekenaars {DutchFormat.Number(goal.Total.Contributions)} bijdragen, " +
                 $"met een besteed budget van € {DutchFormat.Money(goal.Total.BudgetSpentEur)}.");
            Focus(goal, goal.National, "NAP-IV nationaal", "nationale");
            Focus(goal, goal.International, "NAP-IV internationaal", "internationale");
            Heading2("Hoogtepunten");
            Quotes(goal.Highlights, "Er zijn voor dit doel geen hoogtepunten gedeeld.");
            Heading2("Geleerde lessen");
            Quotes(goal.Lessons, "Er zijn voor dit doel geen geleerde lessen gedeeld.");
        }

        private void Focus(GoalSection goal, GoalFigures f, string heading, string adjective)
        {
            Heading2(heading);
            if (f.Contributions == 0)
            {
                Para($"Voor dit doel zijn geen bijdragen met een {adjective} focus gerapporteerd.");
                return;
            }
            Caption($"Kerncijfers {goal.Code}, {DutchFormat.Scope(f.Scope)}");
            Table([("Kerncijfer", 60, false), ("Waarde", 40, true)], [
                Row(false, "Bijdragen", DutchFormat.Number(f.Contributions)),
                Row(false, "Ondertekenaars", DutchFormat.Number(f.Signatories)),
                Row(false, "Landen en regio's bereikt", DutchFormat.Number(f.CountriesReached)),
                Row(false, "Besteed budget (€)", DutchFormat.Money(f.BudgetSpentEur)),
            ]);
            if (f.Countries.Count > 0)
                Para("Landen en regio's: " + string.Join(", ", f.Countries.Select(CountryName).Order(StringComparer.Ordinal)) + ".");

            var summed = f.Indicators.Where(i => i.Summable).ToList();
            if (summed.Count > 0)
            {
                Caption($"Opgetelde indicatorresultaten {goal.Code}, {DutchFormat.Scope(f.Scope)}");
                Table([("Indicator", 44, false), ("Resultaat", 12, true), ("Eenheid", 14, false), ("Streefwaarde", 15, true), ("Rapportages", 15, true)],
                    summed.Select(i => Row(false, $"{i.Code} {i.Title}", i.Sum is { } s ? DutchFormat.Number(s) : "–", i.Unit ?? "",
                        i.TargetSum is { } ts ? DutchFormat.Number(ts) : "–", DutchFormat.Number(i.Results))));
            }
            var listed = f.Indicators.Where(i => !i.Summable && i.Results > 0).ToList();
            if (listed.Count > 0)
            {
                Caption($"Indicatorresultaten per organisatie {goal.Code}, {DutchFormat.Scope(f.Scope)} (niet op te tellen)");
                Table([("Indicator", 26, false), ("Organisatie", 24, false), ("Resultaat", 36, false), ("Streefwaarde", 14, true)],
                    listed.SelectMany(i => i.Listed.Select(l => Row(false, i.Code, l.Organisation,
                        l.Value is { } v ? $"{DutchFormat.Number(v)} {i.Unit}".TrimEnd() : l.Text ?? "",
                        l.Target is { } t ? DutchFormat.Number(t) : "–"))));
            }
            Caption($"Bijdragen {goal.Code}, {DutchFormat.Scope(f.Scope)}");
            Table([("Organisatie", 26, false), ("Bijdrage", 36, false), ("Landen en regio's", 24, false), ("Budget (€)", 14, true)],
                goal.Contributions.Where(c => f.Scope == FigureScope.National ? c.Focus.Contains(Submissions.Focus.National) : c.Focus.Contains(Submissions.Focus.International))
                    .Select(c => Row(false, c.Organisation, c.Title, string.Join(", ", c.Countries.Select(CountryName)),
                        c.BudgetSpentEur is { } b ? DutchFormat.Money(b) : "–")));
        }

        private void Quotes(IReadOnlyList<Quote> quotes, string none)
        {
            if (quotes.Count == 0) { Para(none); return; }
            foreach (var q in quotes)
            {
                w.WriteElement(new Paragraph(new[] { new ParagraphProperties(new ParagraphStyleId { Val = "Quote" }) }.Concat<OpenXmlElement>(Runs(q.Text))));
                Para("— " + q.Organisation, "NapQuoteSource");
            }
        }

        private void SignatoriesSection((string Text, string Anchor) heading)
        {
            Heading1(heading);
            Para($"Deze bijlage is samengesteld uit de laatst ingediende rapportage van de volgende {DutchFormat.Number(report.Signatories.Count)} ondertekenaars.");
            Table([("Organisatie", 50, false), ("Soort", 20, false), ("Versie", 8, true), ("Ontvangen", 14, false), ("Te laat", 8, false)],
                report.Signatories.Select(s => Row(false, s.Name, s.Kind, DutchFormat.Number(s.Version),
                    Api.AmsterdamTime.ToLocal(s.ReceivedAt).ToString("dd-MM-yyyy", System.Globalization.CultureInfo.InvariantCulture),
                    s.Late ? "ja" : "nee")));
        }

        private void DataQualitySection((string Text, string Anchor) heading)
        {
            Heading1(heading);
            var q = report.DataQuality;
            var included = report.Lineage.Count(l => l.Included);
            Para($"{DutchFormat.Number(included)} van de {DutchFormat.Number(report.Lineage.Count)} ingediende rapportages zijn verwerkt.");
            if (q.Skipped.Count > 0)
            {
                Para("De volgende rapportages konden niet worden verwerkt en tellen in deze bijlage niet mee:");
                Caption("Niet verwerkte rapportages");
                Table([("Ondertekenaar (id)", 30, false), ("Organisatie", 28, false), ("Versie", 10, true), ("Reden", 32, false)],
                    q.Skipped.Select(s => Row(false, s.SignatoryId, report.Signatories.FirstOrDefault(x => x.Id == s.SignatoryId)?.Name ?? s.SignatoryId,
                        DutchFormat.Number(s.Version), SkipReasons.Dutch(s.Reason))));
            }
            else Para("Alle ingediende rapportages konden worden gelezen en voldoen aan het rapportageformat.");
            if (q.UnknownSignatoryIds.Count > 0)
                Para($"Rapportages van ondertekenaars die niet in het register staan (opgenomen onder hun id): {string.Join(", ", q.UnknownSignatoryIds)}.");
            Para($"{DutchFormat.Number(q.LateSubmissions)} rapportages zijn na de deadline ontvangen; zij zijn meegeteld.");
            Para($"{DutchFormat.Number(report.Completeness.Missing)} actieve ondertekenaars hebben (nog) niet gerapporteerd.");
            Para($"Op verzoek van de ondertekenaars zijn {DutchFormat.Number(q.WithheldConfidentialContributions)} vertrouwelijke bijdragen en " +
                 $"{DutchFormat.Number(q.WithheldConfidentialNarratives)} vertrouwelijke teksten niet opgenomen, ook niet in de cijfers.");
        }

        private void Provenance((string Text, string Anchor) heading)
        {
            Heading1(heading);
            Para("Deze bijlage is automatisch samengesteld uit de laatst ingediende versie van elke rapportage. Het bijbehorende JSON-bestand bevat alle " +
                 "cijfers en de herkomst: per rapportage de inzending, de versie en de SHA-256 van de ingediende tekst. Het CSV-bestand bevat één regel " +
                 "per bijdrage en per indicatorresultaat.");
            Para($"Resultatenraamwerk: {report.FrameworkVersion}. Invoer-hash: {report.InputHash}.", "NapNote");
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

        private void Para(string text, string? style = null)
        {
            var p = new Paragraph();
            if (style is not null) p.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
            p.Append(Runs(text));
            w.WriteElement(p);
        }

        private string CountryName(string code) => countries.Find(code)?.Name.Nl ?? code;

        private void Chart()
        {
            const long cx = 6_120_000L, cy = cx * ReportChart.Height / ReportChart.Width; // 17 cm wide
            var alt = "Staafdiagram met het aantal bijdragen per strategisch doel: " + string.Join("; ", report.Goals.Select(g =>
                $"{g.Code} {g.Title}: {g.National.Contributions} nationaal, {g.International.Contributions} internationaal"));
            var picture = new PIC.Picture(
                new PIC.NonVisualPictureProperties(
                    new PIC.NonVisualDrawingProperties { Id = 0U, Name = "bijdragen-per-doel.png" },
                    new PIC.NonVisualPictureDrawingProperties()),
                new PIC.BlipFill(new A.Blip { Embed = ChartId }, new A.Stretch(new A.FillRectangle())),
                new PIC.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));
            var inline = new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
                new DW.DocProperties { Id = 1U, Name = "Figuur 1", Description = alt },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(picture) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            {
                DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
            };
            w.WriteElement(new Paragraph(
                new ParagraphProperties(new KeepNext(), new Justification { Val = JustificationValues.Center }),
                new Run(new Drawing(inline))));
        }

        /// <summary>A table written row by row: the rows are never all in memory as Open XML elements at once.</summary>
        private void Table(IReadOnlyList<(string Header, int Percent, bool Numeric)> columns, IEnumerable<Line> rows)
        {
            var widths = columns.Select(c => TextWidth * c.Percent / 100).ToArray();
            w.WriteStartElement(new Table());
            w.WriteElement(new TableProperties(
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
                new TableLook { Val = "04A0" }));
            w.WriteElement(new TableGrid(widths.Select(x => new GridColumn { Width = x.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
            var header = new TableRow(new TableRowProperties(new TableHeader(), new CantSplit()));
            for (var i = 0; i < columns.Count; i++)
                header.Append(HeaderCell(columns[i].Header, widths[i], columns[i].Numeric));
            w.WriteElement(header);
            foreach (var row in rows)
            {
                var styled = new TableRow(new TableRowProperties(new CantSplit()));
                for (var i = 0; i < row.Cells.Length; i++)
                    styled.Append(new TableCell(Text(new Paragraph(columns[i].Numeric ? NumberStyle.CloneNode(true) : TextStyle.CloneNode(true)), row.Cells[i], row.Bold)));
                w.WriteElement(styled);
            }
            w.WriteEndElement();
            w.WriteElement(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "120" })));
        }

        // Cells take their font size, spacing and alignment from paragraph styles: a few elements per cell, not a dozen.
        private static readonly ParagraphProperties TextStyle = new(new ParagraphStyleId { Val = "NapTableText" });
        private static readonly ParagraphProperties NumberStyle = new(new ParagraphStyleId { Val = "NapTableNumber" });

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
                paragraph.Append(bold
                    ? new Run(new RunProperties(new Bold()), new Text(text) { Space = SpaceProcessingModeValues.Preserve })
                    : new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                return paragraph;
            }
            foreach (var run in Runs(text))
            {
                if (bold) run.PrependChild(new RunProperties(new Bold()));
                paragraph.Append(run);
            }
            return paragraph;
        }

        /// <summary>Text as runs, line breaks kept.</summary>
        private static IEnumerable<Run> Runs(string text)
        {
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var run = new Run(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
                if (i < lines.Length - 1) run.Append(new Break());
                yield return run;
            }
        }
    }

    private static Footer BuildFooter(CompiledReport report) => new(new Paragraph(
        new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }, new Justification { Val = JustificationValues.Right }),
        new Run(new Text($"Voortgangsrapportage NAP-IV {report.CycleId}{(report.Kind == ReportKind.Draft ? " (concept)" : "")} | pagina ") { Space = SpaceProcessingModeValues.Preserve }),
        new SimpleField(new Run(new Text("1"))) { Instruction = " PAGE " }));

    private static string CorePropertiesXml(CompiledReport report)
    {
        // Created and modified are the report date, not the clock: the same inputs give the same bytes.
        var date = report.ReportDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z";
        return XmlHeader +
               "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " +
               "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" +
               $"<dc:title>{SecurityElement.Escape(report.Title)}</dc:title>" +
               "<dc:creator>NAP1325 rapportage</dc:creator>" +
               "<dc:language>nl-NL</dc:language>" +
               $"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>" +
               $"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>" +
               "</cp:coreProperties>";
    }

    private static Styles BuildStyles()
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
                    new Languages { Val = "nl-NL", EastAsia = "nl-NL", Bidi = "ar-SA" })),
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
