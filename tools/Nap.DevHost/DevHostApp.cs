using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Nap.Functions;

namespace Nap.DevHost;

/// <summary>The functions this host serves, by name: a test compares it with functions.metadata.</summary>
public sealed class ServedFunctions
{
    private readonly List<FunctionEntry> _served = [];
    public IReadOnlyList<FunctionEntry> All => _served;
    internal void Add(FunctionEntry f) => _served.Add(f);
}

public static class DevHostApp
{
    /// <summary>
    /// Builds the dev host: the app's own services (<see cref="NapFunctionsServices.AddNapFunctions"/>), every HTTP
    /// function under /api on Kestrel, every timer on its cron schedule and every blob trigger by watching storage.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Insert(0, new LocalSettingsSource(LocalSettingsSource.Find()));
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
            builder.WebHost.UseUrls("http://localhost:7071");
        builder.Services.AddNapFunctions(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddSingleton<FunctionInvoker>();
        builder.Services.AddSingleton<ServedFunctions>();
        builder.Services.AddSingleton(sp => FunctionCatalog.Load(
            sp.GetRequiredService<IConfiguration>()["DevHost:MetadataFile"] ?? FunctionCatalog.DefaultMetadataPath,
            typeof(NapFunctionsServices).Assembly));
        builder.Services.AddHostedService<TimerScheduler>();
        builder.Services.AddHostedService<BlobWatcher>();
        configure?.Invoke(builder);

        var app = builder.Build();
        var served = app.Services.GetRequiredService<ServedFunctions>();
        foreach (var f in app.Services.GetRequiredService<IReadOnlyList<FunctionEntry>>().Where(f => f.Kind == TriggerKind.Http))
        {
            MapHttp(app, f);
            served.Add(f);
        }
        return app;
    }

    private static void MapHttp(WebApplication app, FunctionEntry f)
    {
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        var methods = f.HttpMethods.Count > 0 ? f.HttpMethods : ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
        app.MapMethods("/api/" + f.Route!.TrimStart('/'), methods, async context =>
        {
            var result = await invoker.InvokeAsync(f, p => BindHttp(context, f, p));
            await FunctionInvoker.WriteHttpResultAsync(context, result);
        }).WithName(f.Name);
    }

    private static (bool, object?) BindHttp(HttpContext context, FunctionEntry f, System.Reflection.ParameterInfo p)
    {
        if (p.ParameterType == typeof(HttpRequest)) return (true, context.Request);
        if (p.ParameterType == typeof(CancellationToken)) return (true, context.RequestAborted);
        if (context.Request.RouteValues.TryGetValue(p.Name!, out var v))
            return (true, p.ParameterType == typeof(string) ? v?.ToString() : Convert.ChangeType(v, p.ParameterType, System.Globalization.CultureInfo.InvariantCulture));
        return p.HasDefaultValue ? (true, p.DefaultValue) : (false, null);
    }
}

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
