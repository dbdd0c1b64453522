using System.Text;
using System.Text.Json.Nodes;
using Nap.Api;
using Nap.Countries;
using Nap.Framework;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Domain;

public sealed class SubmissionParserTests
{
    private static readonly SubmissionParser Parser = new(
        ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "framework.sample.json")),
        CountryCatalog.LoadEmbedded());

    private static JsonObject Contribution(JsonObject body, string goal = "G1") =>
        body["goals"]![goal]!["contributions"]![0]!.AsObject();

    private static JsonObject ValidWithG1()
    {
        var body = SampleSubmissions.Valid(5); // seed 5 → G1 always present (5 % 5 == 0)
        Assert.NotNull(body["goals"]!["G1"]);
        return body;
    }

    private static IReadOnlyList<FieldError> Errors(JsonNode body) => Parser.Validate(Encoding.UTF8.GetBytes(body.ToJsonString()));

    [Fact]
    public void Valid_submission_parses_into_the_typed_document_in_framework_order()
    {
        var body = ValidWithG1();
        body["goals"]!.AsObject().Add("G5", JsonNode.Parse("""{"narratives":{"highlights":{"text":"  Opened a centre  "}}}"""));
        var doc = Parser.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal("G1", doc.Goals[0].Goal);
        Assert.Equal("G5", doc.Goals[^1].Goal);
        Assert.Equal("Opened a centre", doc.Goals[^1].Narratives.Highlights!.Text);
        var c = doc.Goals[0].Contributions[0];
        Assert.Equal("persons", c.IndicatorResults[0].Unit);
        Assert.True(doc.Goals[0].Narratives.Lessons!.Confidential);
    }

    public static TheoryData<string, Action<JsonObject>, string, string> InvalidCases => new()
    {
        { "missing contact", b => b.Remove("contact"), "/contact", "required" },
        { "bad email", b => b["contact"]!["email"] = "anna@", "/contact/email", "invalid-email" },
        { "unknown top-level field", b => b["extra"] = 1, "/extra", "unknown-field" },
        { "unknown goal", b => b["goals"]!["G9"] = new JsonObject(), "/goals/G9", "unknown-code" },
        { "no goals", b => b["goals"] = new JsonObject(), "/goals", "required" },
        { "title wrong type", b => Contribution(b)["title"] = 42, "/goals/G1/contributions/0/title", "type" },
        { "title empty", b => Contribution(b)["title"] = "   ", "/goals/G1/contributions/0/title", "required" },
        { "title too long", b => Contribution(b)["title"] = new string('x', 201), "/goals/G1/contributions/0/title", "too-long" },
        { "control character", b => Contribution(b)["description"] = "a\u0001b", "/goals/G1/contributions/0/description", "invalid-characters" },
        { "focus unknown", b => Contribution(b)["focus"] = new JsonArray("regional"), "/goals/G1/contributions/0/focus/0", "invalid-value" },
        { "focus duplicate", b => Contribution(b)["focus"] = new JsonArray("national", "national"), "/goals/G1/contributions/0/focus/1", "duplicate" },
        { "focus empty", b => Contribution(b)["focus"] = new JsonArray(), "/goals/G1/contributions/0/focus", "required" },
        { "unknown country", b => Contribution(b)["countries"] = new JsonArray("ZZ"), "/goals/G1/contributions/0/countries/0", "unknown-code" },
        { "lower-case country", b => Contribution(b)["countries"] = new JsonArray("nl"), "/goals/G1/contributions/0/countries/0", "unknown-code" },
        { "international without country", b => { Contribution(b)["focus"] = new JsonArray("international"); Contribution(b)["countries"] = new JsonArray(); }, "/goals/G1/contributions/0/countries", "required" },
        { "outcome of another goal", b => Contribution(b)["outcomes"] = new JsonArray("G2.1"), "/goals/G1/contributions/0/outcomes/0", "unknown-code" },
        { "no outcome", b => Contribution(b)["outcomes"] = new JsonArray(), "/goals/G1/contributions/0/outcomes", "required" },
        { "indicator of another goal", b => Contribution(b)["indicatorResults"]![0]!["indicator"] = "G3.1.a", "/goals/G1/contributions/0/indicatorResults/0/indicator", "unknown-code" },
        { "negative value", b => Contribution(b)["indicatorResults"]![0]!["value"] = -1, "/goals/G1/contributions/0/indicatorResults/0/value", "out-of-range" },
        { "value as text for quantitative", b => Contribution(b)["indicatorResults"]![0]!["value"] = "12", "/goals/G1/contributions/0/indicatorResults/0/value", "type" },
        { "wrong unit", b => Contribution(b)["indicatorResults"]![0]!["unit"] = "kg", "/goals/G1/contributions/0/indicatorResults/0/unit", "unit-mismatch" },
        { "qualitative with number", b => Contribution(b)["indicatorResults"] = JsonNode.Parse("""[{"indicator":"G1.1.b","value":3}]"""), "/goals/G1/contributions/0/indicatorResults/0/value", "type" },
        { "qualitative with unit", b => Contribution(b)["indicatorResults"] = JsonNode.Parse("""[{"indicator":"G1.1.b","value":"text","unit":"persons"}]"""), "/goals/G1/contributions/0/indicatorResults/0/unit", "not-allowed" },
        { "indicator twice", b => Contribution(b)["indicatorResults"]!.AsArray().Add(Contribution(b)["indicatorResults"]![0]!.DeepClone()), "/goals/G1/contributions/0/indicatorResults/1/indicator", "duplicate" },
        { "budget with three decimals", b => Contribution(b)["budgetSpentEur"] = 10.125m, "/goals/G1/contributions/0/budgetSpentEur", "invalid-value" },
        { "budget as string", b => Contribution(b)["budgetSpentEur"] = "1000", "/goals/G1/contributions/0/budgetSpentEur", "type" },
        { "partners not a list", b => Contribution(b)["partners"] = "one", "/goals/G1/contributions/0/partners", "type" },
        { "too many partners", b => Contribution(b)["partners"] = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode)$"p{i}").ToArray()), "/goals/G1/contributions/0/partners", "too-many" },
        { "confidential as string", b => Contribution(b)["confidential"] = "yes", "/goals/G1/contributions/0/confidential", "type" },
        { "unknown narrative", b => b["goals"]!["G1"]!["narratives"]!["summary"] = new JsonObject(), "/goals/G1/narratives/summary", "unknown-field" },
        { "narrative without text", b => b["goals"]!["G1"]!["narratives"]!["highlights"] = new JsonObject { ["confidential"] = true }, "/goals/G1/narratives/highlights/text", "required" },
        { "contribution not an object", b => b["goals"]!["G1"]!["contributions"]!.AsArray().Add(3), "/goals/G1/contributions/1", "type" },
        { "pointer escaping", b => Contribution(b)["a/b~c"] = 1, "/goals/G1/contributions/0/a~1b~0c", "unknown-field" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_submission_names_the_field_by_json_pointer(string name, Action<JsonObject> mutate, string pointer, string code)
    {
        var body = ValidWithG1();
        mutate(body);
        var errors = Errors(body);
        Assert.True(errors.Any(e => e.Pointer == pointer && e.Code == code),
            $"{name}: expected {pointer} {code}, got {string.Join(", ", errors.Select(e => e.Pointer + " " + e.Code))}");
    }

    [Fact]
    public void Error_details_never_repeat_the_submitted_text()
    {
        var body = ValidWithG1();
        Contribution(body)["title"] = "SECRET-" + new string('x', 300);
        Contribution(body)["countries"] = new JsonArray("SECRET");
        body["contact"]!["email"] = "SECRET@";
        var errors = Errors(body);
        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, e => e.Detail.Contains("SECRET", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1,2]x")]
    [InlineData("{\"contact\":1,}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    public void Malformed_json_is_a_400(string json)
    {
        var ex = Assert.Throws<ProblemException>(() => Parser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(400, ex.Problem.Status);
    }

    [Fact]
    public void Deep_nesting_is_a_400_not_a_stack_overflow()
    {
        var json = new string('[', 5000) + new string(']', 5000);
        Assert.Equal(400, Assert.Throws<ProblemException>(() => Parser.Parse(Encoding.UTF8.GetBytes(json))).Problem.Status);
    }

    [Fact]
    public void Escaped_lone_surrogate_is_refused_as_invalid_characters()
    {
        var json = "{\"contact\":{\"name\":\"A\\ud800B\",\"email\":\"a@b.nl\"},\"goals\":{\"G5\":{}}}";
        var ex = Assert.Throws<ProblemException>(() => Parser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(ex.Problem.Errors!, e => e.Pointer == "/contact/name" && e.Code == "invalid-characters");
    }

    [Fact]
    public void Invalid_utf8_is_a_400()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"contact\":{\"name\":\"A\",\"email\":\"a@b.nl\"},\"goals\":{}}").ToList();
        bytes.InsertRange(22, new byte[] { 0xC3, 0x28 });
        Assert.Equal(400, Assert.Throws<ProblemException>(() => Parser.Parse(bytes.ToArray())).Problem.Status);
    }
}
