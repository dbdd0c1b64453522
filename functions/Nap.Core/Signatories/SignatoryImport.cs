using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nap.Api;

namespace Nap.Signatories;

/// <summary>
/// Reads a signatory registry from JSON (<c>{"signatories":[…]}</c>) or CSV (one row per contact:
/// id;name;kind;language;active;contact_name;contact_email;contact_role). Every problem is reported at once.
/// </summary>
public static partial class SignatoryImport
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static IReadOnlyList<Signatory> LoadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationFileException(path, ["the file does not exist"]);
        var text = File.ReadAllText(path, Encoding.UTF8);
        return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FromCsv(text, path) : FromJson(text, path);
    }

    public static IReadOnlyList<Signatory> FromJson(string json, string name)
    {
        List<RowFile>? rows;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            var list = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("signatories");
            rows = list.Deserialize<List<RowFile>>(Options);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ConfigurationFileException(name, ["not a JSON signatory registry (an array, or an object with 'signatories')"]);
        }
        var problems = new List<string>();
        var result = new List<Signatory>();
        for (var i = 0; i < (rows?.Count ?? 0); i++)
        {
            var r = rows![i];
            var contacts = (r.Contacts ?? []).Select(c => (c.Name, c.Email, c.Role)).ToList();
            var s = Build($"signatories[{i}]", r.Id, r.Name, r.Kind, r.Language, r.Active ?? true, contacts, problems);
            if (s is not null) result.Add(s);
        }
        return Finish(name, result, problems);
    }

    public static IReadOnlyList<Signatory> FromCsv(string csv, string name)
    {
        var problems = new List<string>();
        var records = Csv.Parse(csv);
        if (records.Count == 0) throw new ConfigurationFileException(name, ["the file is empty"]);
        var header = records[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        string[] required = ["id", "name", "kind", "language", "active", "contact_name", "contact_email", "contact_role"];
        var missing = required.Where(r => !header.Contains(r)).ToList();
        if (missing.Count > 0) throw new ConfigurationFileException(name, [$"the header lacks column(s): {string.Join(", ", missing)}"]);
        int Col(string c) => header.IndexOf(c);

        var result = new List<Signatory>();
        foreach (var group in records.Skip(1).Select((r, i) => (Row: r, Line: i + 2))
                     .Where(x => x.Row.Any(f => f.Length > 0))
                     .GroupBy(x => Field(x.Row, Col("id"))))
        {
            var first = group.First();
            string F(string c) => Field(first.Row, Col(c));
            var activeText = F("active").ToLowerInvariant();
            var active = activeText is "" or "true" or "yes" or "ja" or "1";
            if (activeText is not ("" or "true" or "false" or "yes" or "no" or "ja" or "nee" or "1" or "0"))
                problems.Add($"line {first.Line}: active must be true or false");
            var contacts = group.Select(x => (Field(x.Row, Col("contact_name")), Field(x.Row, Col("contact_email")), Field(x.Row, Col("contact_role"))))
                .Select(c => ((string?)c.Item1, (string?)c.Item2, (string?)c.Item3)).ToList();
            var s = Build($"line {first.Line}", F("id"), F("name"), F("kind"), F("language"), active, contacts, problems);
            if (s is not null) result.Add(s);
        }
        return Finish(name, result, problems);
    }

    private static string Field(IReadOnlyList<string> row, int index) => index < row.Count ? row[index].Trim() : "";

    private static Signatory? Build(string where, string? id, string? name, string? kind, string? language, bool active,
        List<(string? Name, string? Email, string? Role)> contacts, List<string> problems)
    {
        var before = problems.Count;
        if (id is null || !IdPattern().IsMatch(id)) problems.Add($"{where}: id must be 2–63 lower-case letters, digits or '-'");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) problems.Add($"{where}: name is required (at most 200 characters)");
        SignatoryKind? k = kind switch
        {
            "ministry" => SignatoryKind.Ministry,
            "civil-society-organisation" => SignatoryKind.CivilSocietyOrganisation,
            "knowledge-institution" => SignatoryKind.KnowledgeInstitution,
            "other" => SignatoryKind.Other,
            _ => null,
        };
        if (k is null) problems.Add($"{where}: kind must be ministry, civil-society-organisation, knowledge-institution or other");
        if (language is not ("nl" or "en")) problems.Add($"{where}: language must be nl or en");
        var parsed = new List<Contact>();
        foreach (var (c, j) in contacts.Select((c, j) => (c, j)))
        {
            ContactRole? role = c.Role switch
            {
                "primary" => ContactRole.Primary,
                "secondary" => ContactRole.Secondary,
                "director" => ContactRole.Director,
                _ => null,
            };
            if (string.IsNullOrWhiteSpace(c.Name)) problems.Add($"{where}: contact {j + 1} needs a name");
            if (!IsEmail(c.Email)) problems.Add($"{where}: contact {j + 1} needs a valid email address");
            if (role is null) problems.Add($"{where}: contact {j + 1} role must be primary, secondary or director");
            if (!string.IsNullOrWhiteSpace(c.Name) && IsEmail(c.Email) && role is not null)
                parsed.Add(new Contact(c.Name.Trim(), c.Email!.Trim(), role.Value));
        }
        if (!parsed.Any(c => c.Role == ContactRole.Primary)) problems.Add($"{where}: needs a primary contact");
        return problems.Count > before ? null : new Signatory(id!, name!.Trim(), k!.Value, language!, active, parsed);
    }

    private static IReadOnlyList<Signatory> Finish(string name, List<Signatory> result, List<string> problems)
    {
        foreach (var dup in result.GroupBy(s => s.Id).Where(g => g.Count() > 1))
            problems.Add($"id '{dup.Key}' appears more than once");
        if (result.Count == 0 && problems.Count == 0) problems.Add("the registry has no signatories");
        if (problems.Count > 0) throw new ConfigurationFileException(name, problems);
        return result;
    }

    public static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 } && MailAddress.TryCreate(value.Trim(), out var a) && a.Address == value.Trim() && value.Contains('.', StringComparison.Ordinal);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record RowFile(string? Id, string? Name, string? Kind, string? Language, bool? Active, List<ContactFile>? Contacts);
    private sealed record ContactFile(string? Name, string? Email, string? Role);
}

/// <summary>RFC 4180 reader accepting ',' or ';' (Dutch Excel) as separator, detected from the header line.</summary>
internal static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var firstLine = text.Split('\n', 2)[0];
        var sep = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == sep) { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                rows.Add(row); row = [];
            }
            else field.Append(ch);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }
}
