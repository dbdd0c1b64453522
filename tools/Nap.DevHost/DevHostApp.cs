using Microsoft.Azure.Functions.Worker;
using Nap.Configuration;
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
        builder.Services.AddSingleton<IReadOnlyList<FunctionEntry>>(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            return FunctionCatalog.Load(configuration["DevHost:MetadataFile"] ?? FunctionCatalog.DefaultMetadataPath, typeof(NapFunctionsServices).Assembly)
                .Where(f => !IsDisabled(configuration, f.Name)).ToList();
        });
        builder.Services.AddHostedService<TimerScheduler>();
        builder.Services.AddHostedService<BlobWatcher>();
        configure?.Invoke(builder);

        var app = builder.Build();
        EasyAuthStandIn.Use(app);
        var served = app.Services.GetRequiredService<ServedFunctions>();
        foreach (var f in app.Services.GetRequiredService<IReadOnlyList<FunctionEntry>>().Where(f => f.Kind == TriggerKind.Http))
        {
            MapHttp(app, f);
            served.Add(f);
        }
        return app;
    }

    /// <summary>
    /// The Functions host's switch for one function, the app setting <c>AzureWebJobs.{name}.Disabled</c> (on Linux
    /// <c>AzureWebJobs__{name}__Disabled</c>): a disabled function is not served, as in Azure.
    /// </summary>
    public static bool IsDisabled(IConfiguration configuration, string function) =>
        (configuration[$"AzureWebJobs.{function}.Disabled"] ?? configuration[$"AzureWebJobs:{function}:Disabled"]) is { } value
        && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

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
