using System.Text.Json;
using Nap.Framework;

namespace Nap.Countries;

public sealed record CountryEntry(string Code, string Kind, LocalizedText Name);

/// <summary>ISO 3166-1 alpha-2 countries, XK (Kosovo) and the NAP's region entries, from the shipped data file.</summary>
public sealed class CountryCatalog
{
    private readonly Dictionary<string, CountryEntry> _byCode;

    public CountryCatalog(IReadOnlyList<CountryEntry> entries)
    {
        Entries = entries;
        _byCode = entries.ToDictionary(e => e.Code, StringComparer.Ordinal);
    }

    public IReadOnlyList<CountryEntry> Entries { get; }

    public bool Contains(string code) => _byCode.ContainsKey(code);
    public CountryEntry? Find(string code) => _byCode.GetValueOrDefault(code);

    public static CountryCatalog LoadEmbedded()
    {
        using var stream = typeof(CountryCatalog).Assembly.GetManifestResourceStream("Nap.Data.countries.json")
            ?? throw new InvalidOperationException("The country list is missing from the assembly.");
        using var doc = JsonDocument.Parse(stream);
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => new CountryEntry(
                e.GetProperty("code").GetString()!,
                e.GetProperty("kind").GetString()!,
                new LocalizedText(e.GetProperty("nl").GetString()!, e.GetProperty("en").GetString()!)))
            .ToList();
        return new CountryCatalog(entries);
    }
}
