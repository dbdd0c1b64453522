using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Nap.Storage;

namespace Nap.DevHost;

/// <summary>
/// Blob triggers for the dev host. In Azure they arrive as Event Grid BlobCreated events, so only blobs created after
/// start fire: existing blobs are noted at start and skipped. A blob fires again only when its ETag changes.
/// </summary>
public sealed partial class BlobWatcher(
    IReadOnlyList<FunctionEntry> functions,
    FunctionInvoker invoker,
    ServedFunctions served,
    IConfiguration configuration,
    ILogger<BlobWatcher> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("DevHost:BlobPollMilliseconds", 500));
        var watches = new List<Task>();
        foreach (var f in functions.Where(f => f.Kind == TriggerKind.Blob))
        {
            served.Add(f);
            watches.Add(WatchAsync(f, interval, stoppingToken));
        }
        return Task.WhenAll(watches);
    }

    private async Task WatchAsync(FunctionEntry f, TimeSpan interval, CancellationToken stoppingToken)
    {
        var path = FunctionCatalog.Expand(f.BlobPath!, k => configuration[k.Replace("__", ":", StringComparison.Ordinal)]);
        var slash = path.IndexOf('/');
        var containerName = slash < 0 ? path : path[..slash];
        var pattern = PathPattern(slash < 0 ? "{name}" : path[(slash + 1)..]);
        var storage = NapStorage.FromConfiguration(configuration, f.Connection ?? "AzureWebJobsStorage");
        var container = await storage.ContainerAsync(containerName, stoppingToken);
        var seen = new ConcurrentDictionary<string, Azure.ETag>();
        await foreach (var b in container.GetBlobsAsync(cancellationToken: stoppingToken)) seen[b.Name] = b.Properties.ETag!.Value;

        using var gate = new SemaphoreSlim(4);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var b in container.GetBlobsAsync(cancellationToken: stoppingToken))
                {
                    var etag = b.Properties.ETag!.Value;
                    if (seen.TryGetValue(b.Name, out var known) && known == etag) continue;
                    seen[b.Name] = etag;
                    var match = pattern.Match(b.Name);
                    if (!match.Success) continue;
                    await gate.WaitAsync(stoppingToken);
                    running.Add(Task.Run(async () =>
                    {
                        try { await FireAsync(f, container.GetBlobClient(b.Name), match, pattern, stoppingToken); }
                        finally { gate.Release(); }
                    }, stoppingToken));
                }
                running.RemoveAll(t => t.IsCompleted);
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Azure.RequestFailedException ex)
            {
                LogPollFailed(logger, f.Name, ex.Status);
                await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task FireAsync(FunctionEntry f, BlobClient blob, Match match, Regex pattern, CancellationToken stoppingToken)
    {
        try
        {
            BinaryData? content = null;
            async Task<BinaryData> Content() => content ??= (await blob.DownloadContentAsync(stoppingToken)).Value.Content;
            var args = new Dictionary<string, object?>();
            foreach (var p in f.Method.GetParameters())
            {
                if (p.Name == f.TriggerParameter)
                {
                    args[p.Name!] = p.ParameterType switch
                    {
                        var t when t == typeof(BlobClient) || t == typeof(BlobBaseClient) => blob,
                        var t when t == typeof(string) => (await Content()).ToString(),
                        var t when t == typeof(byte[]) => (await Content()).ToArray(),
                        var t when t == typeof(BinaryData) => await Content(),
                        var t when t == typeof(Stream) => (await Content()).ToStream(),
                        _ => throw new NotSupportedException($"{f.Name}: blob parameter type {p.ParameterType.Name} is not supported by the dev host."),
                    };
                }
            }
            await invoker.InvokeAsync(f, p =>
                args.TryGetValue(p.Name!, out var v) ? (true, v)
                : p.ParameterType == typeof(CancellationToken) ? (true, stoppingToken)
                : pattern.GetGroupNames().Contains(p.Name) ? (true, match.Groups[p.Name!].Value)
                : (false, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, f.Name, ex.GetType().FullName ?? "unknown");
        }
    }

    /// <summary>"{cycleId}/{signatoryId}/{name}" → a regex with one group per placeholder; the last may span folders.</summary>
    public static Regex PathPattern(string template)
    {
        var parts = PlaceholderRegex().Split(template);
        var regex = "^";
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 0) regex += Regex.Escape(parts[i]);
            else regex += $"(?<{parts[i]}>{(i == parts.Length - 2 && parts[^1].Length == 0 ? ".+" : "[^/]+")})";
        }
        return new Regex(regex + "$", RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex PlaceholderRegex();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching blobs for {Function} failed with status {Status}; retrying")]
    private static partial void LogPollFailed(ILogger logger, string function, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob function {Function} failed with {ExceptionType}")]
    private static partial void LogFailed(ILogger logger, string function, string exceptionType);
}
