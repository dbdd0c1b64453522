using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Nap.Configuration;

/// <summary>
/// Reads the "Values" of local.settings.json (or local.settings.sample.json) as the Functions host does, turning
/// <c>A__B</c> into <c>A:B</c>. Environment variables and command-line arguments still win.
/// </summary>
public sealed class LocalSettingsSource(string? path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(path);

    /// <summary>local.settings.json beside the function app, else the committed sample, searched upward from the binaries.</summary>
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, "functions", "Nap.Functions", "local.settings.json"),
                         Path.Combine(dir.FullName, "local.settings.json"),
                         Path.Combine(dir.FullName, "local.settings.sample.json"),
                     })
                if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private sealed class Provider(string? path) : ConfigurationProvider
    {
        public override void Load()
        {
            if (path is null) return;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("Values", out var values)) return;
            foreach (var p in values.EnumerateObject())
                Data[p.Name.Replace("__", ":", StringComparison.Ordinal)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
    }
}
