using System.Text;
using System.Text.Json.Nodes;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>
/// The fuzz corpus: bad bodies generated from valid samples by a seed. The API test posts them (4xx, nothing stored);
/// the contract test (Nap.Infra.Tests, which links this file) runs them through the schema and the parser.
/// </summary>
public static class BadBodies
{
    private static readonly string[] RequiredPaths =
    [
        "contact", "contact.name", "contact.email", "goals",
        "goals.*.contributions.0.title", "goals.*.contributions.0.focus", "goals.*.contributions.0.outcomes",
        "goals.*.contributions.0.indicatorResults.0.indicator", "goals.*.contributions.0.indicatorResults.0.value",
        "goals.*.narratives.highlights.text",
    ];

    public static IEnumerable<byte[]> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var body = SampleSubmissions.Valid(random.Next(1000));
            var goal = body["goals"]!.AsObject().First().Key;
            var kind = i % 12;
            switch (kind)
            {
                case 0: // wrong type somewhere
                    var nodes = Walk(body).Where(n => n.Parent is not null).ToList();
                    var target = nodes[random.Next(nodes.Count)];
                    Replace(target, WrongTypeFor(target, random));
                    break;
                case 1: // missing required field
                    Remove(body, RequiredPaths[random.Next(RequiredPaths.Length)].Replace("*", goal));
                    break;
                case 2: // extra field at any object
                    var objects = Walk(body).OfType<JsonObject>().ToList();
                    objects[random.Next(objects.Count)]["x" + random.Next(1000)] = random.Next();
                    break;
                case 3: // huge string within the body limit
                    var texts = Walk(body).OfType<JsonValue>().Where(v => v.TryGetValue<string>(out _)).ToList();
                    Replace(texts[random.Next(texts.Count)], new string('ä', 10_001 + random.Next(50_000)));
                    break;
                case 4: // deep nesting
                    var depth = 17 + random.Next(3000);
                    yield return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
                    continue;
                case 5: // invalid UTF-8 inside a string
                    var bytes = Encoding.UTF8.GetBytes(body.ToJsonString()).ToList();
                    var at = bytes.IndexOf((byte)'"', random.Next(bytes.Count / 2)) + 1;
                    bytes.InsertRange(at, random.Next(3) switch { 0 => [0xC3, 0x28], 1 => [0xFF], _ => [0xED, 0xA0, 0x80] });
                    yield return bytes.ToArray();
                    continue;
                case 6: // unknown codes
                    var c = body["goals"]![goal]!["contributions"]![0]!;
                    switch (random.Next(4))
                    {
                        case 0: c["countries"] = new JsonArray("Q" + (char)('M' + random.Next(14))); break; // QM–QZ: user-assigned, never a country
                        case 1: c["outcomes"] = new JsonArray("G9." + random.Next(9)); break;
                        case 2: c["indicatorResults"]![0]!["indicator"] = "X" + random.Next(99); break;
                        default: body["goals"]!.AsObject()["G" + (6 + random.Next(90))] = new JsonObject(); break;
                    }
                    break;
                case 7: // truncated JSON
                    var text = body.ToJsonString();
                    yield return Encoding.UTF8.GetBytes(text[..random.Next(0, text.Length - 1)]);
                    continue;
                case 8: // random bytes
                    var noise = new byte[random.Next(1, 2000)];
                    random.NextBytes(noise);
                    yield return noise;
                    continue;
                case 9: // wrong root
                    yield return Encoding.UTF8.GetBytes(random.Next(5) switch { 0 => "null", 1 => "[]", 2 => "\"text\"", 3 => "42", _ => "true" });
                    continue;
                case 10: // out-of-range numbers
                    var contribution = body["goals"]![goal]!["contributions"]![0]!;
                    if (random.Next(2) == 0) contribution["budgetSpentEur"] = random.Next(2) == 0 ? -0.01m : 1e15m;
                    else contribution["indicatorResults"]![0]!["value"] = JsonNode.Parse(random.Next(2) == 0 ? "-5" : "1e40");
                    break;
                default: // control characters and escaped lone surrogates
                    var raw = body.ToJsonString();
                    var titleAt = raw.IndexOf("\"title\":\"", StringComparison.Ordinal) + 9;
                    yield return Encoding.UTF8.GetBytes(raw.Insert(titleAt, random.Next(2) == 0 ? "\\u0007" : "\\udc00"));
                    continue;
            }
            yield return Encoding.UTF8.GetBytes(body.ToJsonString());
        }
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

    private static JsonNode WrongTypeFor(JsonNode node, Random random) => node switch
    {
        JsonObject => random.Next(2) == 0 ? new JsonArray(1) : JsonValue.Create("object"),
        JsonArray => random.Next(2) == 0 ? new JsonObject { ["a"] = 1 } : JsonValue.Create(7),
        JsonValue v when v.TryGetValue<string>(out _) => random.Next(2) == 0 ? JsonValue.Create(12) : new JsonArray("a"),
        JsonValue v when v.TryGetValue<bool>(out _) => JsonValue.Create("true"),
        _ => JsonValue.Create("12"),
    };

    private static void Replace(JsonNode target, JsonNode replacement)
    {
        switch (target.Parent)
        {
            case JsonObject o: o[target.GetPropertyName()] = replacement; break;
            case JsonArray a: a[target.GetElementIndex()] = replacement; break;
        }
    }

    private static void Remove(JsonObject body, string dotted)
    {
        var parts = dotted.Split('.');
        JsonNode? node = body;
        foreach (var p in parts[..^1]) node = int.TryParse(p, out var i) ? node?[i] : node?[p];
        if (node is JsonObject o) o.Remove(parts[^1]);
        else body.Remove("contact"); // the path did not exist in this sample: remove something required instead
    }
}
