using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nap.Api;
using Nap.Countries;
using Nap.Framework;

namespace Nap.Submissions;

/// <summary>
/// Reads a submission body and checks it against the framework, the country list and <see cref="SubmissionRules"/>.
/// Every error carries a JSON pointer to the offending member; no error message repeats submitted text.
/// </summary>
public sealed partial class SubmissionParser(ResultsFramework framework, CountryCatalog countries)
{
    [GeneratedRegex(SubmissionRules.EmailPattern)] private static partial Regex EmailPattern();
    [GeneratedRegex(SubmissionRules.ContributionIdPattern)] private static partial Regex ContributionIdPattern();
    [GeneratedRegex(SubmissionRules.IatiActivityIdPattern)] private static partial Regex IatiActivityIdPattern();
    [GeneratedRegex(SubmissionRules.LinkPattern)] private static partial Regex LinkPattern();
    [GeneratedRegex(SubmissionRules.CycleIdPattern)] private static partial Regex CycleIdPattern();

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = SubmissionRules.MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses UTF-8 JSON; throws <see cref="ProblemException"/> 400 for malformed JSON and 422 for invalid content.</summary>
    public SubmissionDocument Parse(ReadOnlyMemory<byte> utf8Json) => Parse(utf8Json, storedPart: false);

    /// <summary>
    /// Reads a stored public part (see <see cref="SubmissionParts"/>): a body without contact, where
    /// <c>{"withheld":true}</c> stands for a confidential contribution or narrative (read as an empty confidential one).
    /// Never used for what a client sends: there <c>withheld</c> is an unknown member.
    /// </summary>
    public SubmissionDocument ParseStoredPart(ReadOnlyMemory<byte> utf8Json) => Parse(utf8Json, storedPart: true);

    private SubmissionDocument Parse(ReadOnlyMemory<byte> utf8Json, bool storedPart)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            // The exception's message can quote the body: only its position goes out.
            throw new ProblemException(Problem.BadRequest($"Malformed JSON near line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}."));
        }
        catch (ArgumentException)
        {
            throw new ProblemException(Problem.BadRequest("The body is not valid UTF-8 JSON."));
        }
        using (doc)
        {
            var errors = new List<FieldError>();
            var result = ReadSubmission(doc.RootElement, errors, storedPart);
            if (errors.Count > 0 || result is null) throw new ProblemException(Problem.Validation(errors));
            return result;
        }
    }

    /// <summary>The same checks without throwing, for callers that want the list (drafts, tests).</summary>
    public IReadOnlyList<FieldError> Validate(ReadOnlyMemory<byte> utf8Json)
    {
        try { Parse(utf8Json); return []; }
        catch (ProblemException p) when (p.Problem.Errors is not null) { return p.Problem.Errors; }
    }

    private SubmissionDocument? ReadSubmission(JsonElement root, List<FieldError> errors, bool storedPart = false)
    {
        if (!Object(root, "", errors)) return null;
        Unknown(root, "", errors, "contact", "goals");
        var contact = storedPart && Optional(root, "contact") is null
            ? new ContactPerson("", "")
            : ReadContact(Member(root, "", "contact", errors), "/contact", errors);
        var goals = new List<GoalReport>();
        var ids = new List<ContributionIdUse>();
        var goalsEl = Member(root, "", "goals", errors);
        if (goalsEl is { } ge && Object(ge, "/goals", errors))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in ge.EnumerateObject())
            {
                var name = SafeName(p);
                var path = "/goals/" + Escape(name);
                if (framework.FindGoal(name) is null) { errors.Add(new(path, SubmissionErrorCodes.UnknownCode, "This is not a strategic goal of the framework.")); continue; }
                seen.Add(name);
                var report = ReadGoal(name, p.Value, path, ids, errors, storedPart);
                if (report is not null) goals.Add(report);
            }
            if (seen.Count == 0 && !errors.Any(e => e.Pointer.StartsWith("/goals/", StringComparison.Ordinal)))
                errors.Add(new("/goals", SubmissionErrorCodes.Required, "Report on at least one strategic goal."));
        }
        CheckIds(ids, errors);
        var order = framework.Goals.Select((g, i) => (g.Code, i)).ToDictionary(x => x.Code, x => x.i);
        goals.Sort((a, b) => order[a.Goal].CompareTo(order[b.Goal]));
        return contact is null ? null : new SubmissionDocument(contact, goals);
    }

    private static ContactPerson? ReadContact(JsonElement? el, string path, List<FieldError> errors)
    {
        if (el is not { } e || !Object(e, path, errors)) return null;
        Unknown(e, path, errors, "name", "email");
        var name = Text(Member(e, path, "name", errors), path + "/name", SubmissionRules.NameMax, true, errors, singleLine: true);
        var email = Text(Member(e, path, "email", errors), path + "/email", SubmissionRules.EmailMax, true, errors, singleLine: true);
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            errors.Add(new(path + "/email", SubmissionErrorCodes.InvalidEmail, "This is not a valid email address."));
            return null;
        }
        return name is null || email is null ? null : new ContactPerson(name, email);
    }

    /// <summary>Where an id was given or derived, so duplicates can be located once every goal is read.</summary>
    private sealed record ContributionIdUse(string Id, string Path, bool Explicit);

    /// <summary>
    /// Ids are unique within the submission. Given ids are checked first (the later of two equal ones is the duplicate);
    /// a derived id that a given one already took is reported on the contribution that needs an id of its own.
    /// </summary>
    private static void CheckIds(List<ContributionIdUse> ids, List<FieldError> errors)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var use in ids.Where(u => u.Explicit))
            if (!taken.Add(use.Id)) errors.Add(new(use.Path + "/id", SubmissionErrorCodes.Duplicate, "Another contribution in this submission has this id."));
        foreach (var use in ids.Where(u => !u.Explicit))
            if (!taken.Add(use.Id)) errors.Add(new(use.Path + "/id", SubmissionErrorCodes.Duplicate, "The id this contribution would get is used by another one: give it an id."));
    }

    private static bool IsWithheld(JsonElement el) =>
        el.ValueKind == JsonValueKind.Object && el.TryGetProperty(SubmissionParts.WithheldMember, out var w) && w.ValueKind == JsonValueKind.True;

    private GoalReport? ReadGoal(string goal, JsonElement el, string path, List<ContributionIdUse> ids, List<FieldError> errors, bool storedPart = false)
    {
        if (!Object(el, path, errors)) return null;
        Unknown(el, path, errors, "contributions", "narratives");
        var contributions = new List<Contribution>();
        if (Optional(el, "contributions") is { } list && Array(list, path + "/contributions", SubmissionRules.ContributionsMax, errors))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var c = storedPart && IsWithheld(item)
                    ? new Contribution("", null, [], [], [], [], null, [], Confidential: true)
                    : ReadContribution(goal, i, item, $"{path}/contributions/{i}", ids, errors);
                i++;
                if (c is not null) contributions.Add(c);
            }
        }
        var narratives = Narratives.None;
        if (Optional(el, "narratives") is { } n && Object(n, path + "/narratives", errors))
        {
            Unknown(n, path + "/narratives", errors, SubmissionRules.NarrativeKinds);
            Narrative? Read(string kind)
            {
                var np = $"{path}/narratives/{kind}";
                if (Optional(n, kind) is not { } ne) return null;
                if (ne.ValueKind == JsonValueKind.Null) return null;
                if (storedPart && IsWithheld(ne)) return new Narrative("", Confidential: true);
                if (!Object(ne, np, errors)) return null;
                Unknown(ne, np, errors, "text", "confidential");
                var text = Text(Member(ne, np, "text", errors), np + "/text", SubmissionRules.NarrativeMax, true, errors);
                var confidential = Bool(Optional(ne, "confidential"), np + "/confidential", errors) ?? false;
                return text is null ? null : new Narrative(text, confidential);
            }
            narratives = new Narratives(Read("highlights"), Read("challenges"), Read("lessons"));
        }
        return new GoalReport(goal, contributions, narratives);
    }

    private Contribution? ReadContribution(string goal, int position, JsonElement el, string path, List<ContributionIdUse> ids, List<FieldError> errors)
    {
        if (!Object(el, path, errors)) return null;
        var before = errors.Count;
        Unknown(el, path, errors, ContributionFields);
        var id = Patterned(Optional(el, "id"), path + "/id", SubmissionRules.ContributionIdMax, ContributionIdPattern(), "An id has letters, digits, '.', '_' or '-' and starts with a letter or digit.", errors);
        var explicitId = id is not null;
        if (Optional(el, "id") is not { ValueKind: not JsonValueKind.Null } || id is not null)
        {
            id ??= SubmissionRules.DerivedContributionId(goal, position);
            ids.Add(new ContributionIdUse(id, path, explicitId));
        }
        var title = Text(Member(el, path, "title", errors), path + "/title", SubmissionRules.TitleMax, true, errors, singleLine: true);
        var description = Text(Optional(el, "description"), path + "/description", SubmissionRules.DescriptionMax, false, errors);

        var focus = new List<Focus>();
        if (Member(el, path, "focus", errors) is { } fe && Array(fe, path + "/focus", SubmissionRules.FocusValues.Length, errors))
        {
            var i = 0;
            foreach (var f in fe.EnumerateArray())
            {
                var fp = $"{path}/focus/{i++}";
                Focus? value = f.ValueKind == JsonValueKind.String && TryGetString(f, out var fs) ? fs switch { "national" => Focus.National, "international" => Focus.International, _ => null } : null;
                if (value is null) errors.Add(new(fp, SubmissionErrorCodes.InvalidValue, "Focus is 'national' or 'international'."));
                else if (focus.Contains(value.Value)) errors.Add(new(fp, SubmissionErrorCodes.Duplicate, "This focus is listed twice."));
                else focus.Add(value.Value);
            }
            if (i == 0) errors.Add(new(path + "/focus", SubmissionErrorCodes.Required, "Choose national, international or both."));
        }

        var countryCodes = Codes(Optional(el, "countries"), path + "/countries", SubmissionRules.CountriesMax, countries.Contains,
            "This is not an ISO 3166 country code or a known region.", errors);
        if (focus.Contains(Focus.International) && countryCodes.Count == 0 && !errors.Any(e => e.Pointer.StartsWith(path + "/countries", StringComparison.Ordinal)))
            errors.Add(new(path + "/countries", SubmissionErrorCodes.Required, "An international contribution names at least one country or region."));

        var outcomes = Codes(Member(el, path, "outcomes", errors), path + "/outcomes", SubmissionRules.OutcomesMax,
            code => framework.TryGetOutcome(code, out var g, out _) && g.Code == goal,
            "This is not an outcome of this strategic goal.", errors);
        if (outcomes.Count == 0 && !errors.Any(e => e.Pointer.StartsWith(path + "/outcomes", StringComparison.Ordinal)))
            errors.Add(new(path + "/outcomes", SubmissionErrorCodes.Required, "Choose at least one outcome."));

        var results = new List<IndicatorResult>();
        if (Optional(el, "indicatorResults") is { } re && Array(re, path + "/indicatorResults", SubmissionRules.IndicatorResultsMax, errors))
        {
            var i = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in re.EnumerateArray())
            {
                var result = ReadIndicatorResult(goal, r, $"{path}/indicatorResults/{i}", errors);
                if (result is not null && !seen.Add(result.Indicator))
                    errors.Add(new($"{path}/indicatorResults/{i}/indicator", SubmissionErrorCodes.Duplicate, "This indicator is reported twice in this contribution."));
                else if (result is not null) results.Add(result);
                i++;
            }
        }

        var budget = Number(Optional(el, "budgetSpentEur"), path + "/budgetSpentEur", SubmissionRules.NumberMax, errors);
        if (budget is { } b && decimal.Round(b, SubmissionRules.AmountDecimals) != b)
            errors.Add(new(path + "/budgetSpentEur", SubmissionErrorCodes.InvalidValue, $"Amounts have at most {SubmissionRules.AmountDecimals} decimals."));

        var partners = new List<string>();
        if (Optional(el, "partners") is { } pe && Array(pe, path + "/partners", SubmissionRules.PartnersMax, errors))
        {
            var i = 0;
            foreach (var p in pe.EnumerateArray())
            {
                var text = Text(p, $"{path}/partners/{i++}", SubmissionRules.PartnerMax, true, errors, singleLine: true);
                if (text is not null) partners.Add(text);
            }
        }
        var iati = Patterned(Optional(el, "iatiActivityId"), path + "/iatiActivityId", SubmissionRules.IatiActivityIdMax, IatiActivityIdPattern(),
            "An IATI activity identifier starts with the organisation identifier, e.g. NL-KVK-12345678-001.", errors);
        var links = new List<string>();
        if (Optional(el, "links") is { ValueKind: not JsonValueKind.Null } le && Array(le, path + "/links", SubmissionRules.LinksMax, errors))
        {
            var i = 0;
            foreach (var l in le.EnumerateArray())
            {
                var lp = $"{path}/links/{i++}";
                var link = Patterned(l, lp, SubmissionRules.LinkMax, LinkPattern(), "A link is a public https address.", errors, required: true);
                if (link is null) continue;
                if (links.Contains(link)) errors.Add(new(lp, SubmissionErrorCodes.Duplicate, "This link is listed twice."));
                else links.Add(link);
            }
        }
        var confidential = Bool(Optional(el, "confidential"), path + "/confidential", errors) ?? false;
        var carriedOver = ReadCarriedOver(Optional(el, "carriedOver"), path + "/carriedOver", errors);
        var confirmedEl = Optional(el, "confirmed");
        var confirmed = Bool(confirmedEl, path + "/confirmed", errors);
        // Any carriedOver object (even a faulty one) asks for the confirmation; a confirmed of the wrong type is reported as such.
        if (Optional(el, "carriedOver") is { ValueKind: JsonValueKind.Object } && confirmed != true
            && confirmedEl is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False) })
            errors.Add(new(path + "/confirmed", SubmissionErrorCodes.Unconfirmed, "This contribution was carried over from an earlier cycle: confirm that it still runs and is updated, or remove it."));
        if (errors.Count > before || title is null || id is null) return null;
        return new Contribution(title, description, focus, countryCodes, outcomes, results, budget, partners, confidential)
        {
            Id = id,
            IatiActivityId = iati,
            Links = links,
            CarriedOver = carriedOver,
        };
    }

    /// <summary><c>{"cycle": "2025", "version": 2}</c>, or null; the cycle is checked by its pattern only (it may since have been removed).</summary>
    private static CarriedOver? ReadCarriedOver(JsonElement? el, string path, List<FieldError> errors)
    {
        if (el is not { } e || e.ValueKind == JsonValueKind.Null) return null;
        if (!Object(e, path, errors)) return null;
        var before = errors.Count;
        Unknown(e, path, errors, "cycle", "version");
        var cycle = Patterned(Member(e, path, "cycle", errors), path + "/cycle", 9, CycleIdPattern(), "A cycle is a year (2025) or a span of years (2022-2023).", errors);
        int? version = null;
        if (Member(e, path, "version", errors) is { } ve)
        {
            if (ve.ValueKind != JsonValueKind.Number || !ve.TryGetDecimal(out var d) || d != decimal.Truncate(d))
                errors.Add(new(path + "/version", SubmissionErrorCodes.Type, "Expected a whole number."));
            else if (d < 1 || d > int.MaxValue)
                errors.Add(new(path + "/version", SubmissionErrorCodes.OutOfRange, $"Expected a version from 1 to {int.MaxValue}.") { Max = int.MaxValue });
            else version = (int)d;
        }
        return errors.Count > before || cycle is null || version is null ? null : new CarriedOver(cycle, version.Value);
    }

    private IndicatorResult? ReadIndicatorResult(string goal, JsonElement el, string path, List<FieldError> errors)
    {
        if (!Object(el, path, errors)) return null;
        var before = errors.Count;
        Unknown(el, path, errors, "indicator", "value", "unit", "target", "comment");
        var code = Code(Member(el, path, "indicator", errors), path + "/indicator", errors);
        if (code is null) return null;
        if (!framework.TryGetIndicator(code, out var g, out _, out var indicator) || g.Code != goal)
        {
            errors.Add(new(path + "/indicator", SubmissionErrorCodes.UnknownCode, "This is not an indicator of this strategic goal."));
            return null;
        }
        var comment = Text(Optional(el, "comment"), path + "/comment", SubmissionRules.CommentMax, false, errors, singleLine: true);
        var valueEl = Member(el, path, "value", errors);
        if (indicator.Kind == IndicatorKind.Qualitative)
        {
            if (Optional(el, "unit") is { ValueKind: not JsonValueKind.Null }) errors.Add(new(path + "/unit", SubmissionErrorCodes.NotAllowed, "A qualitative indicator has no unit."));
            if (Optional(el, "target") is { ValueKind: not JsonValueKind.Null }) errors.Add(new(path + "/target", SubmissionErrorCodes.NotAllowed, "A qualitative indicator has no numeric target."));
            var text = Text(valueEl, path + "/value", SubmissionRules.QualitativeValueMax, true, errors);
            return errors.Count > before || text is null ? null : new IndicatorResult(code, null, text, null, null, comment);
        }
        var max = indicator.Unit == SubmissionRules.PercentUnit ? SubmissionRules.PercentMax : SubmissionRules.NumberMax;
        var value = valueEl is null ? null : Number(valueEl, path + "/value", max, errors, required: true);
        var target = Number(Optional(el, "target"), path + "/target", max, errors);
        var unitEl = Optional(el, "unit");
        var unit = unitEl is { ValueKind: JsonValueKind.String } && TryGetString(unitEl.Value, out var u) ? u : null;
        if (unitEl is { ValueKind: not JsonValueKind.Null and not JsonValueKind.String }) errors.Add(new(path + "/unit", SubmissionErrorCodes.Type, "Expected a unit code."));
        else if (unitEl is { ValueKind: JsonValueKind.String } && unit != indicator.Unit)
            errors.Add(new(path + "/unit", SubmissionErrorCodes.UnitMismatch, $"This indicator is counted in '{indicator.Unit}'."));
        return errors.Count > before || value is null ? null : new IndicatorResult(code, value, null, indicator.Unit, target, comment);
    }

    private static readonly string[] ContributionFields =
        ["id", "title", "description", "focus", "countries", "outcomes", "indicatorResults", "budgetSpentEur", "partners", "iatiActivityId", "links", "confidential", "carriedOver", "confirmed"];

    // ---- small readers; each adds its own error and returns null when the member is unusable ----

    /// <summary>A framework code, compared exactly (no trimming: the schema's enums cannot trim either).</summary>
    private static string? Code(JsonElement? el, string path, List<FieldError> errors)
    {
        if (el is not { } e) return null;
        if (e.ValueKind != JsonValueKind.String) { errors.Add(new(path, SubmissionErrorCodes.Type, "Expected a code.")); return null; }
        return TryGetString(e, out var s) ? s : "\uFFFD";
    }

    /// <summary>An optional identifier-like string checked against a pattern; white space is not trimmed but refused.</summary>
    private static string? Patterned(JsonElement? el, string path, int max, Regex pattern, string detail, List<FieldError> errors, bool required = false)
    {
        if (el is not { } e || e.ValueKind == JsonValueKind.Null)
        {
            if (required && el is not null) errors.Add(new(path, SubmissionErrorCodes.Required, "This is required."));
            return null;
        }
        if (e.ValueKind != JsonValueKind.String) { errors.Add(new(path, SubmissionErrorCodes.Type, "Expected text.")); return null; }
        if (!TryGetString(e, out var s)) { errors.Add(new(path, SubmissionErrorCodes.InvalidCharacters, "The text contains characters that are not allowed.")); return null; }
        if (Length(s) > max) { errors.Add(new(path, SubmissionErrorCodes.TooLong, $"At most {max} characters.") { Max = max }); return null; }
        if (!SubmissionRules.IsAllowedText(s, singleLine: true)) { errors.Add(new(path, SubmissionErrorCodes.InvalidCharacters, "The text contains characters that are not allowed.")); return null; }
        if (!pattern.IsMatch(s)) { errors.Add(new(path, SubmissionErrorCodes.InvalidValue, detail)); return null; }
        return s;
    }

    /// <summary>Lengths count Unicode code points, as JSON Schema's maxLength does: an emoji is one character.</summary>
    private static int Length(string s)
    {
        var n = s.Length;
        for (var i = 0; i + 1 < s.Length; i++)
            if (char.IsHighSurrogate(s[i]) && char.IsLowSurrogate(s[i + 1])) { n--; i++; }
        return n;
    }

    private static bool Object(JsonElement el, string path, List<FieldError> errors)
    {
        if (el.ValueKind == JsonValueKind.Object) return true;
        errors.Add(new(Root(path), SubmissionErrorCodes.Type, "Expected an object."));
        return false;
    }

    private static bool Array(JsonElement el, string path, int max, List<FieldError> errors)
    {
        if (el.ValueKind != JsonValueKind.Array) { errors.Add(new(path, SubmissionErrorCodes.Type, "Expected a list.")); return false; }
        if (el.GetArrayLength() > max) { errors.Add(new(path, SubmissionErrorCodes.TooMany, $"At most {max} items.") { Max = max }); return false; }
        return true;
    }

    private static JsonElement? Optional(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) ? v : null;

    private static JsonElement? Member(JsonElement obj, string path, string name, List<FieldError> errors)
    {
        if (obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null) return v;
        errors.Add(new($"{path}/{name}", SubmissionErrorCodes.Required, "This is required."));
        return null;
    }

    private static void Unknown(JsonElement obj, string path, List<FieldError> errors, params string[] known)
    {
        foreach (var p in obj.EnumerateObject())
            if (System.Array.IndexOf(known, SafeName(p)) < 0)
                errors.Add(new($"{path}/{Escape(SafeName(p))}", SubmissionErrorCodes.UnknownField, "This field is not part of a submission."));
    }

    /// <summary>Escaped lone surrogates ("\ud800") are valid JSON but not valid text: reading them throws.</summary>
    private static bool TryGetString(JsonElement e, out string value)
    {
        try
        {
            value = e.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static string SafeName(JsonProperty p)
    {
        try { return p.Name; }
        catch (InvalidOperationException) { return "\uFFFD"; }
    }

    /// <summary>
    /// Trimmed NFC text within <paramref name="max"/> code points, refusing the characters <see cref="SubmissionRules.IsAllowedText"/>
    /// names (single-line fields also invisible format characters): they could not be rendered in the report, or make
    /// text read differently from what it is.
    /// </summary>
    private static string? Text(JsonElement? el, string path, int max, bool required, List<FieldError> errors, bool singleLine = false)
    {
        if (el is not { } e || e.ValueKind == JsonValueKind.Null)
        {
            if (required && el is not null) errors.Add(new(path, SubmissionErrorCodes.Required, "This is required."));
            return null;
        }
        if (e.ValueKind != JsonValueKind.String) { errors.Add(new(path, SubmissionErrorCodes.Type, "Expected text.")); return null; }
        if (!TryGetString(e, out var s))
        {
            errors.Add(new(path, SubmissionErrorCodes.InvalidCharacters, "The text contains characters that are not allowed."));
            return null;
        }
        if (Length(s) > max) { errors.Add(new(path, SubmissionErrorCodes.TooLong, $"At most {max} characters.") { Max = max }); return null; }
        if (!SubmissionRules.IsAllowedText(s, singleLine))
        {
            errors.Add(new(path, SubmissionErrorCodes.InvalidCharacters, "The text contains characters that are not allowed."));
            return null;
        }
        var trimmed = s.Trim();
        if (trimmed.Length == 0)
        {
            if (required) errors.Add(new(path, SubmissionErrorCodes.Required, "This is required."));
            return null;
        }
        return trimmed.Normalize(NormalizationForm.FormC);
    }

    private static decimal? Number(JsonElement? el, string path, decimal max, List<FieldError> errors, bool required = false)
    {
        if (el is not { } e || e.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(new(path, SubmissionErrorCodes.Required, "This is required."));
            return null;
        }
        if (e.ValueKind != JsonValueKind.Number) { errors.Add(new(path, SubmissionErrorCodes.Type, "Expected a number.")); return null; }
        if (!e.TryGetDecimal(out var d) || d < 0 || d > max) { errors.Add(new(path, SubmissionErrorCodes.OutOfRange, $"Expected a number from 0 to {max}.") { Max = max }); return null; }
        return d;
    }

    private static bool? Bool(JsonElement? el, string path, List<FieldError> errors)
    {
        if (el is not { } e || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
        errors.Add(new(path, SubmissionErrorCodes.Type, "Expected true or false."));
        return null;
    }

    private static List<string> Codes(JsonElement? el, string path, int max, Func<string, bool> known, string unknownDetail, List<FieldError> errors)
    {
        var codes = new List<string>();
        if (el is not { } e || e.ValueKind == JsonValueKind.Null || !Array(e, path, max, errors)) return codes;
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var p = $"{path}/{i++}";
            if (item.ValueKind != JsonValueKind.String) { errors.Add(new(p, SubmissionErrorCodes.Type, "Expected a code.")); continue; }
            if (!TryGetString(item, out var code) || !known(code)) errors.Add(new(p, SubmissionErrorCodes.UnknownCode, unknownDetail));
            else if (codes.Contains(code)) errors.Add(new(p, SubmissionErrorCodes.Duplicate, "This code is listed twice."));
            else codes.Add(code);
        }
        return codes;
    }

    private static string Root(string path) => path.Length == 0 ? "" : path;

    /// <summary>RFC 6901 escaping, and nothing of an over-long unknown name goes back to the client.</summary>
    private static string Escape(string name)
    {
        var s = name.Length > 64 ? name[..64] : name;
        return s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }
}
