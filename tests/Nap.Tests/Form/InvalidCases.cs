using System.Text.Json.Nodes;

namespace Nap.Tests.Form;

/// <summary>One row of InvalidCases.json: a mutation of the valid base submission and the error it must produce.</summary>
/// <param name="Json">The body as sent: <paramref name="Submission"/> with each <c>{"$json": …}</c> value put in as written.</param>
public sealed record InvalidCase(string Name, JsonObject Submission, string Json, string Pointer, string Code, string Field, bool Form = true)
{
    public byte[] Body => System.Text.Encoding.UTF8.GetBytes(Json);

    public override string ToString() => Name;
}

/// <summary>
/// The one table of invalid submissions. The parser test and the server test expect each case's pointer and code; the
/// browser test loads each case the form can hold into the form and expects them in the error summary; the contract
/// test (Nap.Infra.Tests) requires the served schema to object at the same pointers.
/// </summary>
public static class InvalidCases
{
    private static readonly Lazy<(JsonObject Base, IReadOnlyList<InvalidCase> Cases)> Table = new(Load);

    public static JsonObject Base => (JsonObject)Table.Value.Base.DeepClone();
    public static IReadOnlyList<InvalidCase> All => Table.Value.Cases;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    public static InvalidCase Named(string name) => All.Single(c => c.Name == name);

    private static (JsonObject, IReadOnlyList<InvalidCase>) Load()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Form", "InvalidCases.json");
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var baseSubmission = root["base"]!.AsObject();
        var cases = new List<InvalidCase>();
        foreach (var node in root["cases"]!.AsArray())
        {
            var c = node!.AsObject();
            var submission = (JsonObject)baseSubmission.DeepClone();
            var raw = new Dictionary<string, string>();
            if (c["set"] is JsonObject set)
                foreach (var (pointer, value) in set)
                {
                    if (value is JsonObject o && o["$json"] is { } json)
                    {
                        // A placeholder the serializer writes as a plain string, replaced by the JSON text afterwards.
                        var placeholder = $"$json-placeholder-{raw.Count}";
                        raw[JsonValue.Create(placeholder)!.ToJsonString()] = (string)json!;
                        Set(submission, pointer, JsonValue.Create(placeholder));
                    }
                    else Set(submission, pointer, Expand(value));
                }
            if (c["remove"] is JsonArray remove)
                foreach (var pointer in remove) Remove(submission, (string)pointer!);
            var target = (string)c["pointer"]!;
            var text = raw.Aggregate(submission.ToJsonString(), (t, r) => t.Replace(r.Key, r.Value, StringComparison.Ordinal));
            cases.Add(new InvalidCase((string)c["name"]!, submission, text, target, (string)c["code"]!, (string?)c["field"] ?? target, (bool?)c["form"] ?? true));
        }
        if (cases.Select(c => c.Name).Distinct().Count() != cases.Count) throw new InvalidOperationException("Case names in InvalidCases.json must be unique.");
        return (baseSubmission, cases);
    }

    private static JsonNode? Expand(JsonNode? value) =>
        value is JsonObject o && o["$repeat"] is { } r
            ? JsonValue.Create(string.Concat(Enumerable.Repeat((string)r!, (int)o["times"]!)) + ((string?)o["suffix"] ?? ""))
            : value?.DeepClone();

    private static (JsonNode Parent, string Key) Locate(JsonObject root, string pointer)
    {
        var parts = pointer.Split('/').Skip(1).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode node = root;
        foreach (var part in parts[..^1])
            node = node is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        return (node, parts[^1]);
    }

    private static void Set(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, key) = Locate(root, pointer);
        if (parent is JsonArray a)
        {
            var index = int.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
            if (index == a.Count) a.Add(value); // one past the end appends, as "-" would in JSON Patch
            else a[index] = value;
        }
        else parent[key] = value;
    }

    private static void Remove(JsonObject root, string pointer)
    {
        var (parent, key) = Locate(root, pointer);
        if (parent is JsonArray a) a.RemoveAt(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture));
        else parent.AsObject().Remove(key);
    }
}
