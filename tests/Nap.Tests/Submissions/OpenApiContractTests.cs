using System.Text.Json.Nodes;
using Nap.Countries;
using Nap.Framework;
using Nap.Submissions;

namespace Nap.Tests.Submissions;

/// <summary>
/// openapi.json refers to the served submission schema instead of restating it, and whatever limit, enum or required
/// list it does carry for a member of a submission agrees with the rules: any drift fails here.
/// </summary>
public sealed class OpenApiContractTests
{
    private static readonly string[] Limits = ["maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum", "multipleOf", "enum", "pattern", "required"];

    private static JsonObject OpenApi()
    {
        using var stream = typeof(Nap.Functions.NapFunctionsServices).Assembly.GetManifestResourceStream("Nap.Functions.openapi.json")!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    private static JsonObject Served() => new SubmissionSchema(
        ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "framework.sample.json")),
        CountryCatalog.LoadEmbedded()).Node;

    /// <summary>Every member schema of the served schema by member name, its $refs followed (one level is enough here).</summary>
    private static Dictionary<string, List<JsonObject>> MembersOf(JsonObject schema)
    {
        var defs = schema["$defs"]!.AsObject();
        JsonObject Follow(JsonObject s) =>
            s["$ref"] is JsonValue r && ((string)r!).StartsWith("#/$defs/", StringComparison.Ordinal) && defs[((string)r!)["#/$defs/".Length..]] is JsonObject target
                ? Merge(Follow(target), s)
                : s;
        var members = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var node in Walk(schema).OfType<JsonObject>())
            if (node["properties"] is JsonObject props)
                foreach (var (name, value) in props)
                    if (value is JsonObject member)
                        (members.TryGetValue(name, out var list) ? list : members[name] = []).Add(Follow(member));
        return members;
    }

    private static JsonObject Merge(JsonObject target, JsonObject referring)
    {
        var merged = (JsonObject)target.DeepClone();
        foreach (var (k, v) in referring) if (k != "$ref") merged[k] = v?.DeepClone();
        return merged;
    }

    private static IEnumerable<JsonNode> Walk(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value).OfType<JsonNode>(),
            JsonArray a => a.OfType<JsonNode>(),
            _ => [],
        };
        foreach (var child in children.ToList())
            foreach (var n in Walk(child)) yield return n;
    }

    /// <summary>Each limit in the description on a member that a submission also has, and that no member of the served schema has with that value.</summary>
    private static List<string> Drift(JsonObject openApi, JsonObject served)
    {
        var members = MembersOf(served);
        var drift = new List<string>();
        foreach (var node in Walk(openApi).OfType<JsonObject>())
        {
            if (node["properties"] is not JsonObject props) continue;
            foreach (var (name, value) in props)
            {
                if (value is not JsonObject member || !members.TryGetValue(name, out var rules)) continue;
                foreach (var keyword in Limits)
                    if (member[keyword] is { } limit && !rules.Any(r => JsonNode.DeepEquals(r[keyword], limit)))
                        drift.Add($"{name}.{keyword} = {limit.ToJsonString()}");
            }
        }
        return drift;
    }

    [Fact]
    public void Submissions_in_requests_and_answers_are_the_served_schema()
    {
        var api = OpenApi();
        Assert.Equal(SubmissionSchema.Route, (string)api["components"]!["schemas"]!["Submission"]!["$ref"]!);
        var post = api["paths"]!["/cycles/{cycleId}/submissions"]!["post"]!;
        Assert.Equal("#/components/schemas/Submission", (string)post["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!);
        var mine = api["paths"]!["/cycles/{cycleId}/submissions/mine"]!["get"]!;
        Assert.Equal("#/components/schemas/Submission", (string)mine["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["properties"]!["submission"]!["$ref"]!);
        Assert.NotNull(api["paths"]!["/submission-schema"]!["get"]);
    }

    [Fact]
    public void The_error_codes_in_the_description_are_the_parsers()
    {
        var codes = OpenApi()["components"]!["schemas"]!["Problem"]!["properties"]!["errors"]!["items"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!);
        Assert.Equal(SubmissionErrorCodes.All.Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_limit_enum_or_required_list_in_the_description_differs_from_the_rules()
    {
        Assert.Empty(Drift(OpenApi(), Served()));
    }

    [Fact]
    public void The_drift_check_catches_a_restated_limit_that_differs()
    {
        var api = OpenApi();
        api["components"]!["schemas"]!["Stale"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["title"] = new JsonObject { ["type"] = "string", ["maxLength"] = SubmissionRules.TitleMax + 1 },
                ["focus"] = new JsonObject { ["type"] = "array", ["maxItems"] = SubmissionRules.FocusValues.Length },
            },
        };
        Assert.Equal(["title.maxLength = 201"], Drift(api, Served()));

        api["components"]!["schemas"]!["Stale"]!["properties"]!["title"]!["maxLength"] = SubmissionRules.TitleMax;
        Assert.Empty(Drift(api, Served()));
    }
}
