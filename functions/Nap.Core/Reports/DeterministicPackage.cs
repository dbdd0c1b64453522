using System.IO.Compression;
using System.Xml.Linq;

namespace Nap.Reports;

/// <summary>
/// Rewrites an Open Packaging (zip) file so the same content always gives the same bytes: entries in a fixed order
/// with one fixed timestamp (1980-01-01), package relationship ids derived from their type (System.IO.Packaging makes random ones),
/// and a core-properties part under a fixed name (System.IO.Packaging names it after a new GUID).
/// </summary>
public static class DeterministicPackage
{
    private const string RelsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string TypesNamespace = "http://schemas.openxmlformats.org/package/2006/content-types";
    private const string RandomCorePropertiesFolder = "package/services/metadata/core-properties/";
    private const string FixedCorePropertiesName = "package/services/metadata/core-properties/core.psmdcp";

    /// <summary>Every entry carries this time: zip (DOS) timestamps cannot hold every report date, and the date is in the document anyway.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Normalize(byte[] package)
    {
        var entries = new List<(string Name, byte[] Data)>();
        using (var source = new ZipArchive(new MemoryStream(package, writable: false), ZipArchiveMode.Read))
        {
            foreach (var e in source.Entries)
            {
                using var s = e.Open();
                using var copy = new MemoryStream();
                s.CopyTo(copy);
                entries.Add((e.FullName, copy.ToArray()));
            }
        }

        var renames = entries
            .Where(e => e.Name.StartsWith(RandomCorePropertiesFolder, StringComparison.Ordinal) && e.Name.EndsWith(".psmdcp", StringComparison.Ordinal))
            .ToDictionary(e => e.Name, _ => FixedCorePropertiesName, StringComparer.Ordinal);
        entries = entries.Select(e =>
        {
            var name = renames.GetValueOrDefault(e.Name, e.Name);
            var data = e.Name switch
            {
                "_rels/.rels" => RewritePackageRelationships(e.Data, renames),
                "[Content_Types].xml" when renames.Count > 0 => RewriteContentTypes(e.Data, renames),
                _ => e.Data,
            };
            return (name, data);
        }).ToList();

        // [Content_Types].xml first, as Office writes it; the rest by name.
        entries.Sort((a, b) => (a.Name == "[Content_Types].xml", b.Name == "[Content_Types].xml") switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a.Name, b.Name),
        });

        using var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                var entry = target.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var s = entry.Open();
                s.Write(data);
            }
        }
        return output.ToArray();
    }

    private static byte[] RewritePackageRelationships(byte[] xml, Dictionary<string, string> renames)
    {
        var doc = XDocument.Load(new MemoryStream(xml));
        XNamespace ns = RelsNamespace;
        var relationships = doc.Root!.Elements(ns + "Relationship")
            .OrderBy(r => (string?)r.Attribute("Type"), StringComparer.Ordinal)
            .ThenBy(r => (string?)r.Attribute("Target"), StringComparer.Ordinal)
            .ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in relationships)
        {
            var type = (string?)r.Attribute("Type") ?? "";
            var stem = "rId" + type[(type.LastIndexOf('/') + 1)..].Replace("-", "", StringComparison.Ordinal);
            counts[stem] = counts.GetValueOrDefault(stem) + 1;
            r.SetAttributeValue("Id", counts[stem] == 1 ? stem : stem + counts[stem].ToString(System.Globalization.CultureInfo.InvariantCulture));
            var target = ((string?)r.Attribute("Target") ?? "").TrimStart('/');
            if (renames.TryGetValue(target, out var renamed)) r.SetAttributeValue("Target", "/" + renamed);
        }
        // Package relationship ids are referenced by nothing inside the package, so renaming them is safe.
        doc.Root.ReplaceNodes(relationships);
        return Save(doc);
    }

    private static byte[] RewriteContentTypes(byte[] xml, Dictionary<string, string> renames)
    {
        var doc = XDocument.Load(new MemoryStream(xml));
        XNamespace ns = TypesNamespace;
        foreach (var o in doc.Root!.Elements(ns + "Override"))
        {
            var part = ((string?)o.Attribute("PartName") ?? "").TrimStart('/');
            if (renames.TryGetValue(part, out var renamed)) o.SetAttributeValue("PartName", "/" + renamed);
        }
        return Save(doc);
    }

    private static byte[] Save(XDocument doc)
    {
        using var ms = new MemoryStream();
        using (var w = System.Xml.XmlWriter.Create(ms, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = false }))
            doc.Save(w);
        return ms.ToArray();
    }
}
