using System.Text;
using System.Text.Json.Nodes;
using Nap.Api;
using Nap.Countries;
using Nap.Framework;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

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

    [Theory]
    [MemberData(nameof(Form.InvalidCases.Names), MemberType = typeof(Form.InvalidCases))]
    public void Invalid_submission_names_the_field_by_json_pointer(string name)
    {
        var c = Form.InvalidCases.Named(name);
        var errors = Parser.Validate(c.Body);
        Assert.True(errors.Any(e => e.Pointer == c.Pointer && e.Code == c.Code),
            $"{name}: expected {c.Pointer} {c.Code}, got {string.Join(", ", errors.Select(e => e.Pointer + " " + e.Code))}");
    }

    [Fact]
    public void The_base_of_the_case_table_is_valid_and_keeps_its_ids_iati_identifier_and_links()
    {
        var doc = Parser.Parse(Encoding.UTF8.GetBytes(Form.InvalidCases.Base.ToJsonString()));
        var c = doc.Goals[0].Contributions[0];
        Assert.Equal("c-mediation-2026", c.Id);
        Assert.Equal("NL-KVK-41198677-PRJ-42", c.IatiActivityId);
        Assert.Equal(["https://www.example.org/annual-report-2026"], c.Links);
        Assert.Equal("c-gender-analysis", doc.Goals[1].Contributions[0].Id);
    }

    [Fact]
    public void Contributions_without_an_id_get_goal_and_position()
    {
        var body = ValidWithG1();
        body["goals"]!["G1"]!["contributions"]!.AsArray().Add(Contribution(body).DeepClone());
        var doc = Parser.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()));
        Assert.Equal(["G1-1", "G1-2"], doc.Goals.Single(g => g.Goal == "G1").Contributions.Select(c => c.Id));
    }

    [Fact]
    public void The_sample_framework_counts_what_reports_count_and_an_unknown_unit_is_still_refused()
    {
        var framework = ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "framework.sample.json"));
        var indicators = framework.Goals.SelectMany(g => g.Outcomes).SelectMany(o => o.Indicators).ToList();
        foreach (var unit in new[] { "programmes", "events", "meetings", "courses", "sessions", "policies", "countries" })
        {
            Assert.NotNull(framework.FindUnit(unit));
            Assert.Contains(indicators, i => i.Unit == unit);
        }
        var body = ValidWithG1();
        Contribution(body)["indicatorResults"] = JsonNode.Parse("""[{"indicator":"G1.2.c","value":3,"unit":"programmes"},{"indicator":"G1.1.c","value":2,"unit":"lunches"}]""");
        Contribution(body)["outcomes"] = new JsonArray("G1.1", "G1.2");
        var errors = Errors(body);
        Assert.Equal(["/goals/G1/contributions/0/indicatorResults/1/unit unit-mismatch"], errors.Select(e => e.Pointer + " " + e.Code));
    }

    [Fact]
    public void Framework_codes_are_at_most_code_max_characters()
    {
        var pattern = new System.Text.RegularExpressions.Regex(SubmissionRules.CodePattern);
        Assert.Matches(pattern, new string('a', SubmissionRules.CodeMax));
        Assert.DoesNotMatch(pattern, new string('a', SubmissionRules.CodeMax + 1));
    }

    [Fact]
    public void Lengths_count_characters_not_utf16_units()
    {
        var body = ValidWithG1();
        Contribution(body)["title"] = string.Concat(Enumerable.Repeat("\U0001F54A", SubmissionRules.TitleMax));
        Assert.Empty(Errors(body));
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
