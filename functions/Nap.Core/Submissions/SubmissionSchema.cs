using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nap.Countries;
using Nap.Framework;

namespace Nap.Submissions;

/// <summary>
/// The submission contract as JSON Schema (draft 2020-12), built once at start-up from <see cref="SubmissionRules"/>, the
/// loaded results framework and the country list. A test runs the shared invalid cases and the fuzz corpus through this
/// schema and <see cref="SubmissionParser"/> and requires the same verdict and JSON pointers; the parser's error codes are
/// the ones clients get. Served at <c>GET /api/submission-schema</c>; the form's constraint attributes and openapi.json
/// refer to it.
/// </summary>
public sealed class SubmissionSchema
{
    public const string Route = "/api/submission-schema";
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>The parser's rules that JSON Schema cannot state (uniqueness of a member across items, text encoding).</summary>
    public static readonly string[] UnstatedRules =
    [
        "The body is I-JSON (RFC 7493): UTF-8, no duplicate member names, no lone surrogates; nesting at most " + SubmissionRules.MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels.",
        "Contribution ids are unique within the submission; a contribution without one gets {goal}-{position} (from 1), which must then be free.",
        "An indicator is reported at most once per contribution.",
    ];

    public SubmissionSchema(ResultsFramework framework, CountryCatalog countries)
    {
        Document = Build(framework, countries);
        Bytes = JsonSerializer.SerializeToUtf8Bytes(Document, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Bytes))[..32] + "\"";
    }

    /// <summary>The schema; callers get a copy so nobody changes what is served.</summary>
    public JsonObject Node => (JsonObject)Document.DeepClone();
    private JsonObject Document { get; }

    /// <summary>The served bytes (indented UTF-8) and their strong ETag.</summary>
    public byte[] Bytes { get; }
    public string ETag { get; }

    private static JsonObject Build(ResultsFramework framework, CountryCatalog countries)
    {
        var defs = new JsonObject
        {
            ["plainText"] = new JsonObject
            {
                ["description"] = "Text without C0/C1 controls (tab, LF and CR allowed), Unicode noncharacters or bidirectional embedding, override and isolate controls.",
                ["type"] = "string",
                ["pattern"] = SubmissionRules.PlainTextPattern,
            },
            ["singleLineText"] = new JsonObject
            {
                ["description"] = "Plain text that also has no invisible format characters (Unicode category Cf, except the zero width joiner and non-joiner).",
                ["type"] = "string",
                ["pattern"] = SubmissionRules.SingleLineTextPattern,
            },
            ["contactName"] = RequiredText(SubmissionRules.NameMax, singleLine: true),
            ["email"] = new JsonObject
            {
                ["$ref"] = "#/$defs/singleLineText",
                ["maxLength"] = SubmissionRules.EmailMax,
                ["pattern"] = SubmissionRules.EmailPattern,
            },
            ["title"] = RequiredText(SubmissionRules.TitleMax, singleLine: true),
            ["description"] = OptionalText(SubmissionRules.DescriptionMax),
            ["narrativeText"] = RequiredText(SubmissionRules.NarrativeMax),
            ["comment"] = OptionalText(SubmissionRules.CommentMax, singleLine: true),
            ["qualitativeValue"] = RequiredText(SubmissionRules.QualitativeValueMax),
            ["partner"] = RequiredText(SubmissionRules.PartnerMax, singleLine: true),
            ["contributionId"] = new JsonObject
            {
                ["type"] = Types("string", "null"),
                ["maxLength"] = SubmissionRules.ContributionIdMax,
                ["pattern"] = SubmissionRules.ContributionIdPattern,
            },
            ["iatiActivityId"] = new JsonObject
            {
                ["type"] = Types("string", "null"),
                ["maxLength"] = SubmissionRules.IatiActivityIdMax,
                ["pattern"] = SubmissionRules.IatiActivityIdPattern,
            },
            ["link"] = new JsonObject { ["$ref"] = "#/$defs/singleLineText", ["maxLength"] = SubmissionRules.LinkMax, ["pattern"] = SubmissionRules.LinkPattern },
            ["links"] = new JsonObject
            {
                ["type"] = Types("array", "null"),
                ["maxItems"] = SubmissionRules.LinksMax,
                ["uniqueItems"] = true,
                ["items"] = Ref("link"),
            },
            ["focus"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = 1,
                ["maxItems"] = SubmissionRules.FocusValues.Length,
                ["uniqueItems"] = true,
                ["items"] = new JsonObject { ["enum"] = Strings(SubmissionRules.FocusValues) },
            },
            ["countryCode"] = new JsonObject { ["enum"] = Strings(countries.Entries.Select(e => e.Code)) },
            ["countries"] = new JsonObject
            {
                ["type"] = Types("array", "null"),
                ["maxItems"] = SubmissionRules.CountriesMax,
                ["uniqueItems"] = true,
                ["items"] = Ref("countryCode"),
            },
            ["amount"] = new JsonObject
            {
                ["type"] = Types("number", "null"),
                ["minimum"] = 0,
                ["maximum"] = SubmissionRules.NumberMax,
                ["multipleOf"] = SubmissionRules.AmountStep,
            },
            ["flag"] = new JsonObject { ["type"] = Types("boolean", "null") },
            ["carriedOver"] = new JsonObject
            {
                ["description"] = "Set by carry-over (POST /api/cycles/{cycleId}/draft/carry-over): the earlier cycle and version the contribution was copied from. A carried contribution is submitted only once confirmed.",
                ["type"] = Types("object", "null"),
                ["additionalProperties"] = false,
                ["required"] = Strings(["cycle", "version"]),
                ["properties"] = new JsonObject
                {
                    ["cycle"] = new JsonObject { ["type"] = "string", ["pattern"] = SubmissionRules.CycleIdPattern },
                    ["version"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = int.MaxValue },
                },
            },
            ["contact"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = Strings(["name", "email"]),
                ["properties"] = new JsonObject { ["name"] = Ref("contactName"), ["email"] = Ref("email") },
            },
            ["narrative"] = new JsonObject
            {
                ["type"] = Types("object", "null"),
                ["additionalProperties"] = false,
                ["required"] = Strings(["text"]),
                ["properties"] = new JsonObject { ["text"] = Ref("narrativeText"), ["confidential"] = Ref("flag") },
            },
            ["narratives"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject(SubmissionRules.NarrativeKinds.Select(k => KeyValuePair.Create(k, (JsonNode?)Ref("narrative")))),
            },
            ["qualitativeResult"] = new JsonObject
            {
                ["description"] = "A qualitative indicator is answered in text and has neither unit nor target.",
                ["properties"] = new JsonObject
                {
                    ["value"] = Ref("qualitativeValue"),
                    ["unit"] = new JsonObject { ["type"] = "null" },
                    ["target"] = new JsonObject { ["type"] = "null" },
                },
            },
        };
        foreach (var unit in framework.Units)
        {
            var max = unit.Code == SubmissionRules.PercentUnit ? SubmissionRules.PercentMax : SubmissionRules.NumberMax;
            defs["quantity-" + unit.Code] = new JsonObject
            {
                ["description"] = $"A quantitative result counted in {unit.Title.En}.",
                ["properties"] = new JsonObject
                {
                    ["value"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = max },
                    ["target"] = new JsonObject { ["type"] = Types("number", "null"), ["minimum"] = 0, ["maximum"] = max },
                    ["unit"] = new JsonObject { ["type"] = Types("string", "null"), ["enum"] = new JsonArray(unit.Code, null) },
                },
            };
        }

        var goalProperties = new JsonObject();
        foreach (var goal in framework.Goals)
        {
            var indicators = goal.Outcomes.SelectMany(o => o.Indicators).ToList();
            var byKind = indicators
                .GroupBy(i => i.Kind == IndicatorKind.Qualitative ? "qualitativeResult" : "quantity-" + i.Unit)
                .Select(g => (JsonNode)new JsonObject
                {
                    ["if"] = new JsonObject
                    {
                        ["required"] = Strings(["indicator"]),
                        ["properties"] = new JsonObject { ["indicator"] = new JsonObject { ["enum"] = Strings(g.Select(i => i.Code)) } },
                    },
                    ["then"] = Ref(g.Key),
                });
            var allOf = new JsonArray([.. byKind]);
            // The rest of a result is only looked at once its indicator is one of this goal's.
            allOf.Insert(0, new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["required"] = Strings(["indicator"]),
                    ["properties"] = new JsonObject { ["indicator"] = new JsonObject { ["enum"] = Strings(indicators.Select(i => i.Code)) } },
                },
                ["then"] = new JsonObject
                {
                    ["required"] = Strings(["value"]),
                    ["properties"] = new JsonObject { ["comment"] = Ref("comment") },
                },
            });
            defs["result-" + goal.Code] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = Strings(["indicator"]),
                ["properties"] = new JsonObject
                {
                    ["indicator"] = new JsonObject { ["type"] = "string", ["enum"] = Strings(indicators.Select(i => i.Code)) },
                    ["value"] = true,
                    ["unit"] = true,
                    ["target"] = true,
                    ["comment"] = true,
                },
                ["allOf"] = allOf,
            };
            defs["contribution-" + goal.Code] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["required"] = Strings(["title", "focus", "outcomes"]),
                ["properties"] = new JsonObject
                {
                    ["id"] = Ref("contributionId"),
                    ["title"] = Ref("title"),
                    ["description"] = Ref("description"),
                    ["focus"] = Ref("focus"),
                    ["countries"] = Ref("countries"),
                    ["outcomes"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["minItems"] = 1,
                        ["maxItems"] = SubmissionRules.OutcomesMax,
                        ["uniqueItems"] = true,
                        ["items"] = new JsonObject { ["enum"] = Strings(goal.Outcomes.Select(o => o.Code)) },
                    },
                    ["indicatorResults"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["maxItems"] = SubmissionRules.IndicatorResultsMax,
                        ["items"] = Ref("result-" + goal.Code),
                    },
                    ["budgetSpentEur"] = Ref("amount"),
                    ["partners"] = new JsonObject { ["type"] = "array", ["maxItems"] = SubmissionRules.PartnersMax, ["items"] = Ref("partner") },
                    ["iatiActivityId"] = Ref("iatiActivityId"),
                    ["links"] = Ref("links"),
                    ["confidential"] = Ref("flag"),
                    ["carriedOver"] = Ref("carriedOver"),
                    ["confirmed"] = Ref("flag"),
                },
                // A contribution carried over from an earlier cycle is confirmed ("still running, updated") before it is submitted.
                ["allOf"] = new JsonArray(new JsonObject
                {
                    ["if"] = new JsonObject
                    {
                        ["required"] = Strings(["carriedOver"]),
                        ["properties"] = new JsonObject { ["carriedOver"] = new JsonObject { ["type"] = "object" } },
                    },
                    ["then"] = new JsonObject
                    {
                        ["required"] = Strings(["confirmed"]),
                        ["properties"] = new JsonObject { ["confirmed"] = new JsonObject { ["const"] = true } },
                    },
                }),
                // An international contribution names at least one country or region.
                ["if"] = new JsonObject
                {
                    ["required"] = Strings(["focus"]),
                    ["properties"] = new JsonObject
                    {
                        ["focus"] = new JsonObject
                        {
                            ["type"] = "array",
                            ["maxItems"] = SubmissionRules.FocusValues.Length,
                            ["contains"] = new JsonObject { ["const"] = "international" },
                        },
                    },
                },
                ["then"] = new JsonObject
                {
                    ["required"] = Strings(["countries"]),
                    ["properties"] = new JsonObject { ["countries"] = new JsonObject { ["type"] = "array", ["minItems"] = 1 } },
                },
            };
            defs["goal-" + goal.Code] = new JsonObject
            {
                ["title"] = goal.Title.En,
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject
                {
                    ["contributions"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["maxItems"] = SubmissionRules.ContributionsMax,
                        ["items"] = Ref("contribution-" + goal.Code),
                    },
                    ["narratives"] = Ref("narratives"),
                },
            };
            goalProperties[goal.Code] = Ref("goal-" + goal.Code);
        }

        return new JsonObject
        {
            ["$schema"] = Dialect,
            ["title"] = "NAP 1325 progress submission",
            ["description"] = $"One signatory's yearly report, checked against results framework {framework.Version}. "
                              + "Rules JSON Schema cannot state: " + string.Join(" ", UnstatedRules),
            ["x-framework-version"] = framework.Version,
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = Strings(["contact", "goals"]),
            ["properties"] = new JsonObject
            {
                ["contact"] = Ref("contact"),
                ["goals"] = new JsonObject
                {
                    ["type"] = "object",
                    ["minProperties"] = 1,
                    ["additionalProperties"] = false,
                    ["properties"] = goalProperties,
                },
            },
            ["$defs"] = defs,
        };
    }

    private static JsonObject RequiredText(int max, bool singleLine = false) => new()
    {
        ["$ref"] = singleLine ? "#/$defs/singleLineText" : "#/$defs/plainText",
        ["maxLength"] = max,
        ["pattern"] = SubmissionRules.NotBlankPattern,
    };

    private static JsonObject OptionalText(int max, bool singleLine = false) => new()
    {
        ["type"] = Types("string", "null"),
        ["maxLength"] = max,
        ["pattern"] = singleLine ? SubmissionRules.SingleLineTextPattern : SubmissionRules.PlainTextPattern,
    };

    private static JsonObject Ref(string def) => new() { ["$ref"] = "#/$defs/" + def };
    private static JsonArray Types(params string[] types) => Strings(types);
    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
