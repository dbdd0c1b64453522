using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nap.DevHost;

public enum TriggerKind { Http, Timer, Blob }

/// <summary>One function as the Worker SDK declared it in functions.metadata.</summary>
public sealed record FunctionEntry(
    string Name,
    TriggerKind Kind,
    MethodInfo Method,
    string TriggerParameter,
    string? Route,
    IReadOnlyList<string> HttpMethods,
    string? AuthLevel,
    string? Schedule,
    bool RunOnStartup,
    string? BlobPath,
    string? BlobSource,
    string? Connection);

/// <summary>
/// Reads functions.metadata (generated at build from the [Function] attributes), so every route, schedule and blob
/// path is declared once, in the function classes.
/// </summary>
public static class FunctionCatalog
{
    public static string DefaultMetadataPath => Path.Combine(AppContext.BaseDirectory, "functions.metadata");

    public static IReadOnlyList<FunctionEntry> Load(string metadataPath, Assembly functionsAssembly)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(metadataPath));
        var entries = new List<FunctionEntry>();
        foreach (var f in doc.RootElement.EnumerateArray())
        {
            var name = f.GetProperty("name").GetString()!;
            var entryPoint = f.GetProperty("entryPoint").GetString()!;
            var dot = entryPoint.LastIndexOf('.');
            var type = functionsAssembly.GetType(entryPoint[..dot], throwOnError: true)!;
            var method = type.GetMethod(entryPoint[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{entryPoint} is not a public method.");
            var trigger = f.GetProperty("bindings").EnumerateArray()
                .First(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            string? S(string p) => trigger.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var bindingName = trigger.GetProperty("name").GetString()!;
            var kind = trigger.GetProperty("type").GetString() switch
            {
                "httpTrigger" => TriggerKind.Http,
                "timerTrigger" => TriggerKind.Timer,
                "blobTrigger" => TriggerKind.Blob,
                var other => throw new NotSupportedException($"Function {name}: the dev host does not run '{other}' triggers."),
            };
            var methods = trigger.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToList() : [];
            var runOnStartup = trigger.TryGetProperty("runOnStartup", out var r) && r.ValueKind == JsonValueKind.True;
            entries.Add(new FunctionEntry(name, kind, method, bindingName, S("route") ?? (kind == TriggerKind.Http ? name : null), methods,
                S("authLevel"), S("schedule"), runOnStartup, S("path"), S("source"), S("connection")));
        }
        return entries;
    }

    /// <summary>Expands <c>%Setting%</c> as the Functions host does; an unknown setting is an error, not an empty string.</summary>
    public static string Expand(string value, Func<string, string?> setting) =>
        Regex.Replace(value, "%([^%]+)%", m => setting(m.Groups[1].Value)
            ?? throw new InvalidOperationException($"The setting '{m.Groups[1].Value}' used in '{value}' is not set."));
}
