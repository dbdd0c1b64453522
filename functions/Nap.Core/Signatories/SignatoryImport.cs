using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nap.Api;

namespace Nap.Signatories;

/// <summary>One problem of an import, located: the row (1-based: the CSV line, or the position in the JSON list; 0 for
/// the file as a whole), a pointer (JSON: into the body; CSV: <c>/{line}/{column}</c>), a code and a detail that
/// never repeats the value.</summary>
public sealed record ImportProblem(int Row, string Pointer, string Code, string Detail);

/// <summary>What an import file holds: the signatories that are valid (the first of a repeated id), and every problem (all of them at once).</summary>
public sealed record SignatoryImportResult(IReadOnlyList<Signatory> Signatories, IReadOnlyList<ImportProblem> Problems)
{
    /// <summary>The rows read, valid or not.</summary>
    public int Rows { get; init; }
}

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

    public static IReadOnlyList<Signatory> FromJson(string json, string name) =>
        OrThrow(ParseJson(json), name, p => $"signatories[{(p.Row - 1).ToString(CultureInfo.InvariantCulture)}]");

    public static IReadOnlyList<Signatory> FromCsv(string csv, string name) =>
        OrThrow(ParseCsv(csv), name, p => $"line {p.Row.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The signatories, or the problems as nap-admin prints them ("line 3: …").</summary>
    private static IReadOnlyList<Signatory> OrThrow(SignatoryImportResult result, string name, Func<ImportProblem, string> where) =>
        result.Problems.Count == 0 ? result.Signatories
        : throw new ConfigurationFileException(name, result.Problems.Select(p => p.Row == 0 ? p.Detail : $"{where(p)}: {p.Detail}").ToList());

    /// <summary>A JSON registry: an array, or an object with <c>signatories</c>; pointers into it.</summary>
    public static SignatoryImportResult ParseJson(string json)
    {
        JsonElement list;
        string prefix;
        List<RowFile?>? rows;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            (list, prefix) = doc.RootElement.ValueKind == JsonValueKind.Array ? (doc.RootElement, "") : (doc.RootElement.GetProperty("signatories"), "/signatories");
            rows = list.Deserialize<List<RowFile?>>(Options);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new SignatoryImportResult([], [new ImportProblem(0, "", "format", "not a JSON signatory registry (an array, or an object with 'signatories')")]);
        }
        var problems = new List<ImportProblem>();
        var result = new List<(Signatory, int)>();
        for (var i = 0; i < (rows?.Count ?? 0); i++)
        {
            var at = $"{prefix}/{i.ToString(CultureInfo.InvariantCulture)}";
            var s = FromRow(rows![i], i + 1, at, problems);
            if (s is not null) result.Add((s, i + 1));
        }
        return Finish(result, problems, rows?.Count ?? 0, (row, _) => $"{prefix}/{(row - 1).ToString(CultureInfo.InvariantCulture)}/id");
    }

    /// <summary>One signatory as the API's body: <c>{"id","name","kind","language","active","contacts":[{"name","email","role"}]}</c>; pointers into it.</summary>
    public static SignatoryImportResult ParseOne(string json)
    {
        RowFile? row;
        try
        {
            row = JsonSerializer.Deserialize<RowFile>(json, Options);
        }
        catch (JsonException)
        {
            return new SignatoryImportResult([], [new ImportProblem(0, "", "format",
                "Send a JSON object {\"id\",\"name\",\"kind\",\"language\",\"active\",\"contacts\":[{\"name\",\"email\",\"role\"}]} without other members.")]);
        }
        var problems = new List<ImportProblem>();
        var s = FromRow(row, 1, "", problems);
        return new SignatoryImportResult(s is null ? [] : [s], problems) { Rows = 1 };
    }

    private static Signatory? FromRow(RowFile? r, int row, string at, List<ImportProblem> problems)
    {
        if (r is null)
        {
            problems.Add(new ImportProblem(row, at, "type", "a signatory is an object"));
            return null;
        }
        var contacts = (r.Contacts ?? []).Select((c, j) => (c?.Name, c?.Email, c?.Role, Row: row,
            At: (Func<string, string>)(field => $"{at}/contacts/{j.ToString(CultureInfo.InvariantCulture)}/{field}"))).ToList();
        return Build(row, field => $"{at}/{field}", r.Id, r.Name, r.Kind, r.Language, r.Active ?? true, contacts, problems, contactsPointer: $"{at}/contacts");
    }

    /// <summary>A CSV registry (',' or ';'), one line per contact; pointers <c>/{line}/{column}</c>.</summary>
    public static SignatoryImportResult ParseCsv(string csv)
    {
        var problems = new List<ImportProblem>();
        var records = Csv.Parse(csv);
        if (records.Count == 0) return new SignatoryImportResult([], [new ImportProblem(0, "", "empty", "the file is empty")]);
        var header = records[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        string[] required = ["id", "name", "kind", "language", "active", "contact_name", "contact_email", "contact_role"];
        var missing = required.Where(r => !header.Contains(r)).ToList();
        if (missing.Count > 0)
            return new SignatoryImportResult([], [new ImportProblem(1, "/1", "missing-column", $"the header lacks column(s): {string.Join(", ", missing)}")]);
        int Col(string c) => header.IndexOf(c);

        var result = new List<(Signatory, int)>();
        var lines = records.Skip(1).Select((r, i) => (Row: r, Line: i + 2)).Where(x => x.Row.Any(f => f.Length > 0)).ToList();
        foreach (var group in lines.GroupBy(x => Field(x.Row, Col("id"))))
        {
            var first = group.First();
            string F(string c) => Field(first.Row, Col(c));
            string At(int line, string column) => $"/{line.ToString(CultureInfo.InvariantCulture)}/{column}";
            var activeText = F("active").ToLowerInvariant();
            var active = activeText is "" or "true" or "yes" or "ja" or "1";
            if (activeText is not ("" or "true" or "false" or "yes" or "no" or "ja" or "nee" or "1" or "0"))
                problems.Add(new ImportProblem(first.Line, At(first.Line, "active"), "invalid-value", "active must be true or false"));
            var contacts = group.Select(x => ((string?)Field(x.Row, Col("contact_name")), (string?)Field(x.Row, Col("contact_email")), (string?)Field(x.Row, Col("contact_role")), x.Line,
                (Func<string, string>)(field => At(x.Line, "contact_" + field)))).ToList();
            var s = Build(first.Line, field => At(first.Line, field), F("id"), F("name"), F("kind"), F("language"), active, contacts, problems, contactsPointer: At(first.Line, "contact_role"));
            if (s is not null) result.Add((s, first.Line));
        }
        return Finish(result, problems, lines.Count, (line, _) => $"/{line.ToString(CultureInfo.InvariantCulture)}/id");
    }

    private static string Field(IReadOnlyList<string> row, int index) => index < row.Count ? row[index].Trim() : "";

    private static Signatory? Build(int row, Func<string, string> at, string? id, string? name, string? kind, string? language, bool active,
        List<(string? Name, string? Email, string? Role, int Row, Func<string, string> At)> contacts, List<ImportProblem> problems, string contactsPointer)
    {
        var before = problems.Count;
        void Problem(int r, string pointer, string code, string detail) => problems.Add(new ImportProblem(r, pointer, code, detail));
        if (id is null || !IdPattern().IsMatch(id)) Problem(row, at("id"), "format", "id must be 2–63 lower-case letters, digits or '-'");
        if (string.IsNullOrWhiteSpace(name)) Problem(row, at("name"), "required", "name is required (at most 200 characters)");
        else if (name.Length > 200) Problem(row, at("name"), "too-long", "name is required (at most 200 characters)");
        var k = ParseKind(kind);
        if (k is null) Problem(row, at("kind"), "unknown-value", "kind must be ministry, civil-society-organisation, knowledge-institution or other");
        if (language is not ("nl" or "en")) Problem(row, at("language"), "unknown-value", "language must be nl or en");
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
            if (string.IsNullOrWhiteSpace(c.Name)) Problem(c.Row, c.At("name"), "required", $"contact {j + 1} needs a name");
            if (!IsEmail(c.Email)) Problem(c.Row, c.At("email"), "invalid-email", $"contact {j + 1} needs a valid email address");
            if (role is null) Problem(c.Row, c.At("role"), "unknown-value", $"contact {j + 1} role must be primary, secondary or director");
            if (!string.IsNullOrWhiteSpace(c.Name) && IsEmail(c.Email) && role is not null)
                parsed.Add(new Contact(c.Name.Trim(), c.Email!.Trim(), role.Value));
        }
        if (!contacts.Any(c => c.Role == "primary")) Problem(row, contactsPointer, "primary-contact", "needs a primary contact");
        return problems.Count > before ? null : new Signatory(id!, name!.Trim(), k!.Value, language!, active, parsed);
    }

    public static SignatoryKind? ParseKind(string? kind) => kind switch
    {
        "ministry" => SignatoryKind.Ministry,
        "civil-society-organisation" => SignatoryKind.CivilSocietyOrganisation,
        "knowledge-institution" => SignatoryKind.KnowledgeInstitution,
        "other" => SignatoryKind.Other,
        _ => null,
    };

    private static SignatoryImportResult Finish(List<(Signatory Signatory, int Row)> result, List<ImportProblem> problems, int rows, Func<int, string, string> idPointer)
    {
        foreach (var dup in result.GroupBy(s => s.Signatory.Id).Where(g => g.Count() > 1))
            foreach (var (_, row) in dup.Skip(1))
                problems.Add(new ImportProblem(row, idPointer(row, dup.Key), "duplicate", $"id '{dup.Key}' appears more than once"));
        if (result.Count == 0 && problems.Count == 0) problems.Add(new ImportProblem(0, "", "empty", "the registry has no signatories"));
        problems.Sort((a, b) => a.Row.CompareTo(b.Row));
        // The valid ones even when others have problems: a preview shows what they would change.
        return new SignatoryImportResult(result.Select(r => r.Signatory).DistinctBy(s => s.Id).ToList(), problems) { Rows = rows };
    }

    public static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 } && MailAddress.TryCreate(value.Trim(), out var a) && a.Address == value.Trim() && value.Contains('.', StringComparison.Ordinal);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record RowFile(string? Id, string? Name, string? Kind, string? Language, bool? Active, List<ContactFile?>? Contacts);
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
