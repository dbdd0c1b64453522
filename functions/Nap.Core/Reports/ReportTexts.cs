using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Nap.Api;

namespace Nap.Reports;

/// <summary>The coordinators' texts of a cycle's annex, as the API shows them.</summary>
public sealed record ReportTextsView(string CycleId, string? Introduction, string? Governance, DateTimeOffset? UpdatedAt);

/// <summary>
/// The rules for the coordinators' texts: markdown-like plain text (paragraphs separated by blank lines, "- " list
/// items), no HTML, no control characters, bounded. Problems point at the field, never repeat the text.
/// </summary>
public static partial class ReportTextRules
{
    /// <summary>Characters per text; a Table Storage string property holds 32K UTF-16 characters.</summary>
    public const int MaxLength = 20_000;

    /// <summary>Parses <c>{"introduction": "...", "governance": "..."}</c>; a missing, null or blank field clears that text.</summary>
    public static CycleReportTexts Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new ProblemException(Problem.BadRequest("Send a JSON object with \"introduction\" and \"governance\" (strings or null)."));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ProblemException(Problem.Validation([new FieldError("", "type", "Expected a JSON object.")]));
            var errors = new List<FieldError>();
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name is not ("introduction" or "governance"))
                    errors.Add(new FieldError("/" + p.Name, "unknown-field", "Only introduction and governance can be set."));
            var introduction = Field(doc.RootElement, "introduction", errors);
            var governance = Field(doc.RootElement, "governance", errors);
            if (errors.Count > 0) throw new ProblemException(Problem.Validation(errors));
            return new CycleReportTexts(introduction, governance);
        }
    }

    private static string? Field(JsonElement root, string name, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var pointer = "/" + name;
        if (value.ValueKind != JsonValueKind.String) { errors.Add(new FieldError(pointer, "type", "Expected a string or null.")); return null; }
        var text = value.GetString()!.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text.Length == 0) return null;
        if (text.Length > MaxLength) errors.Add(new FieldError(pointer, "too-long", $"At most {MaxLength} characters."));
        if (Html().IsMatch(text)) errors.Add(new FieldError(pointer, "html", "Plain text only: paragraphs separated by blank lines and \"- \" list items, no HTML."));
        if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\t')) errors.Add(new FieldError(pointer, "control-character", "Control characters are not allowed."));
        return text;
    }

    // A tag or comment opening: "<p", "</div", "<!--", "<br/>". A lone "<" in a sentence ("< 5") is text.
    [GeneratedRegex(@"<\s*(/\s*)?[A-Za-z!?]")]
    private static partial Regex Html();
}

/// <summary>The texts in the cycle's partition of the report versions table (row <c>texts</c>).</summary>
public sealed partial class ReportStore
{
    public const string TextsKey = "texts";

    public async Task<(CycleReportTexts Texts, DateTimeOffset? UpdatedAt)> FindTextsAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, TextsKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!hit.HasValue) return (CycleReportTexts.None, null);
        var e = hit.Value!;
        return (new CycleReportTexts(Blank(e.GetString("Introduction")), Blank(e.GetString("Governance"))), e.GetDateTimeOffset("UpdatedAt"));
    }

    public async Task SaveTextsAsync(string cycleId, CycleReportTexts texts, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await VersionsAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(cycleId, TextsKey)
        {
            ["Introduction"] = texts.Introduction ?? "",
            ["Governance"] = texts.Governance ?? "",
            ["UpdatedAt"] = now,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
