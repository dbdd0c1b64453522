using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;

namespace Nap.Reports;

/// <summary>
/// Writes the annex body into its part's <see cref="XmlWriter"/>. The elements repeated for every contribution, quote and
/// table row (paragraphs, runs, table rows) are written as markup; building them as Open XML objects first cost about
/// 1.5 GB of allocations and three quarters of the report's rendering time at 10,000 submissions. Everything else is
/// written from Open XML objects (<see cref="WriteElement"/>). The markup is exactly what those objects would write, so
/// the document's bytes are the same either way (the golden-hash tests hold it to that).
/// <para>Texts go through <see cref="XmlWriter.WriteString"/>, which escapes them and refuses characters XML cannot hold.</para>
/// </summary>
internal sealed class WordMarkup(XmlWriter xml)
{
    public const string WordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// <summary>The prefixes the document declares on its root; <see cref="Markup"/> writes fragments in the same scope.</summary>
    public static readonly IReadOnlyList<(string Prefix, string Uri)> DocumentNamespaces =
    [
        ("w", WordNamespace),
        ("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
        ("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
        ("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
        ("pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
    ];

    /// <summary>What <c>OpenXmlWriter.Create(stream)</c> writes with: UTF-8 (with BOM), the stream left open.</summary>
    public static readonly XmlWriterSettings PartSettings = new() { CloseOutput = false, Encoding = Encoding.UTF8 };

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>Starts the document and its body, as <c>OpenXmlWriter.WriteStartElement</c> would.</summary>
    public void StartDocument()
    {
        xml.WriteStartDocument(true);
        xml.WriteStartElement("w", "document", WordNamespace);
        foreach (var (prefix, uri) in DocumentNamespaces) xml.WriteAttributeString("xmlns", prefix, XmlnsNamespace, uri);
        xml.WriteStartElement("w", "body", WordNamespace);
    }

    public void EndDocument()
    {
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>An element written from its Open XML object (for the one-off parts of the document).</summary>
    public void WriteElement(OpenXmlElement element) => element.WriteTo(xml);

    /// <summary>Markup written as it is: only constants and <see cref="Markup"/> of typed elements, never user text.</summary>
    public void Raw(string markup) => xml.WriteRaw(markup);

    /// <summary>A paragraph with an optional style and a bullet ("•" and a tab), its text as <see cref="Runs"/>.</summary>
    public void Paragraph(string? style, string text, bool bullet = false)
    {
        xml.WriteRaw("<w:p>");
        if (style is not null) ParagraphStyle(style);
        if (bullet) xml.WriteRaw("<w:r><w:t>•</w:t><w:tab /></w:r>");
        Runs(text);
        xml.WriteRaw("</w:p>");
    }

    public void ParagraphStyle(string style)
    {
        xml.WriteRaw("<w:pPr><w:pStyle w:val=\"");
        xml.WriteRaw(style);
        xml.WriteRaw("\" /></w:pPr>");
    }

    /// <summary>
    /// Text as runs, one per line with a break between lines ("\r\n" and "\n" end a line); bold runs carry their own
    /// properties. <paramref name="breakAfter"/> ends the last run with a break too (a label list in one paragraph).
    /// </summary>
    public void Runs(string text, bool bold = false, bool breakAfter = false)
    {
        if (text.IndexOf('\n') < 0)
        {
            Run(text, bold, breakAfter);
            return;
        }
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++) Run(lines[i], bold, breakAfter || i < lines.Length - 1);
    }

    private void Run(string line, bool bold, bool breakAfter)
    {
        xml.WriteRaw(bold ? "<w:r><w:rPr><w:b /></w:rPr>" : "<w:r>");
        Text(line);
        xml.WriteRaw(breakAfter ? "<w:br /></w:r>" : "</w:r>");
    }

    /// <summary>One run of text exactly as given (no line handling), with optional run properties markup.</summary>
    public void PlainRun(string text, string? runProperties = null)
    {
        xml.WriteRaw("<w:r>");
        if (runProperties is not null) xml.WriteRaw(runProperties);
        Preserved(text);
        xml.WriteRaw("</w:r>");
    }

    /// <summary>The text of a run: a non-breaking hyphen (w:noBreakHyphen) in every "NAP-IV", so the title never breaks inside it.</summary>
    public void Text(string text)
    {
        foreach (var (piece, hyphenAfter) in UnbrokenPieces(text))
        {
            Preserved(piece);
            if (hyphenAfter) xml.WriteRaw("<w:noBreakHyphen />");
        }
    }

    /// <summary>
    /// The text cut at the hyphen of every "NAP-IV": each piece, and whether a non-breaking hyphen follows it. The one
    /// place of that rule, for the markup here and the Open XML runs of the one-off parts.
    /// </summary>
    public static IEnumerable<(string Text, bool HyphenAfter)> UnbrokenPieces(string text)
    {
        var start = 0;
        for (var at = text.IndexOf("NAP-IV", StringComparison.Ordinal); at >= 0; at = text.IndexOf("NAP-IV", start, StringComparison.Ordinal))
        {
            yield return (text[start..(at + 3)], true);
            start = at + 4;
        }
        yield return (start == 0 ? text : text[start..], false);
    }

    private void Preserved(string text)
    {
        xml.WriteRaw("<w:t xml:space=\"preserve\">");
        xml.WriteString(text);
        xml.WriteRaw("</w:t>");
    }

    /// <summary>
    /// The markup an Open XML element writes inside the document (its prefixes already declared there), for markup that
    /// is the same every time: written once, reused for every table and row.
    /// </summary>
    public static string Markup(params OpenXmlElement[] elements)
    {
        var text = new StringBuilder();
        using (var x = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            x.WriteStartElement("w", "document", WordNamespace);
            foreach (var (prefix, uri) in DocumentNamespaces) x.WriteAttributeString("xmlns", prefix, XmlnsNamespace, uri);
            x.WriteString("");
            foreach (var element in elements) element.WriteTo(x);
            x.WriteEndElement();
        }
        var all = text.ToString();
        var start = all.IndexOf('>', StringComparison.Ordinal) + 1;
        return all[start..all.LastIndexOf("</w:document>", StringComparison.Ordinal)];
    }
}
