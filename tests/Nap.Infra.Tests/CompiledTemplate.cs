using System.Text.Json.Nodes;

namespace Nap.Infra.Tests;

/// <summary>infra/main.bicep compiled once per test run with the Bicep CLI, and helpers to read the ARM JSON.</summary>
internal static class CompiledTemplate
{
    private static readonly Lazy<(ProcessResult Build, JsonObject? Template)> Compiled = new(() =>
    {
        var build = BicepCli.Run("build", "infra/main.bicep", "--stdout");
        var template = build.ExitCode == 0 ? JsonNode.Parse(build.StdOut)?.AsObject() : null;
        return (build, template);
    });

    public static ProcessResult Build => Compiled.Value.Build;

    public static JsonObject Main => Compiled.Value.Template
        ?? throw new InvalidOperationException("infra/main.bicep did not compile: " + Build.Describe());

    /// <summary>The resources of a template, whether it lists them as an array or (language version 2) as an object.</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>Every resource in the template and in the templates of its modules, with the module it came from.</summary>
    public static IEnumerable<(string Module, JsonObject Resource)> AllResources(JsonObject template, string module = "main")
    {
        foreach (var resource in Resources(template))
        {
            yield return (module, resource);
            if (Type(resource) == "Microsoft.Resources/deployments"
                && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in AllResources(nested, Str(resource["name"])))
                    yield return inner;
            }
        }
    }

    public static IEnumerable<JsonObject> OfType(string type) =>
        AllResources(Main).Where(r => string.Equals(Type(r.Resource), type, StringComparison.OrdinalIgnoreCase)).Select(r => r.Resource);

    public static JsonObject Single(string type) =>
        OfType(type).ToList() switch
        {
            [var only] => only,
            var many => throw new InvalidOperationException($"Expected one {type}, found {many.Count}"),
        };

    /// <summary>The deployment resource of a module of main.bicep, by deployment name.</summary>
    public static JsonObject Module(string name) =>
        Resources(Main).Single(r => Type(r) == "Microsoft.Resources/deployments" && Str(r["name"]) == name);

    public static JsonObject ModuleTemplate(string name) => Module(name)["properties"]!["template"]!.AsObject();

    /// <summary>The value main.bicep passes to a module parameter.</summary>
    public static JsonNode? ModuleParameter(string module, string parameter) =>
        Module(module)["properties"]?["parameters"]?[parameter] switch
        {
            JsonObject wrapped => wrapped["value"],
            var expression => expression, // e.g. [if(cond, createObject('value', a), createObject('value', b))]
        };

    /// <summary>The app settings main.bicep gives the function app (literal names; values may be ARM expressions).</summary>
    public static JsonObject AppSettings => ModuleParameter("functionapp", "appSettings")!.AsObject();

    public static string Type(JsonObject resource) => Str(resource["type"]);

    public static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
