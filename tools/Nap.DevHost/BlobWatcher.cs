using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Nap.Storage;

namespace Nap.DevHost;

/// <summary>
/// Blob triggers for the dev host. In Azure they arrive as Event Grid BlobCreated events, so only blobs created after
/// start fire: existing blobs are noted at start and skipped. A blob fires again only when its ETag changes.
/// A failing function is invoked again with growing delays (<c>DevHost:BlobMaxAttempts</c>, default 5;
/// <c>DevHost:BlobRetryDelayMilliseconds</c>, default 2000, doubling up to a minute), as Event Grid redelivers, then
/// logged as given up. Storage being down pauses the watch; it never stops the host.
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
        var redelivery = new Redelivery(
            Math.Max(1, configuration.GetValue("DevHost:BlobMaxAttempts", 5)),
            TimeSpan.FromMilliseconds(Math.Max(0, configuration.GetValue("DevHost:BlobRetryDelayMilliseconds", 2000))));
        var seen = new ConcurrentDictionary<string, Azure.ETag>();
        BlobContainerClient? container = null;
        var running = new List<Task>();
        using var gate = new SemaphoreSlim(4);
        // Nothing that storage does stops this loop (or with it the host): as in Azure, where Event Grid keeps its
        // events while the app cannot take them.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (container is null)
                {
                    // Blobs present when watching begins are old news, as for an Event Grid subscription created now.
                    var c = await storage.ContainerAsync(containerName, stoppingToken);
                    await foreach (var b in c.GetBlobsAsync(cancellationToken: stoppingToken)) seen[b.Name] = b.Properties.ETag!.Value;
                    container = c;
                }
                await foreach (var b in container.GetBlobsAsync(cancellationToken: stoppingToken))
                {
                    var etag = b.Properties.ETag!.Value;
                    if (seen.TryGetValue(b.Name, out var known) && known == etag) continue;
                    seen[b.Name] = etag;
                    var match = pattern.Match(b.Name);
                    if (!match.Success) continue;
                    var blob = container.GetBlobClient(b.Name);
                    running.Add(Task.Run(() => DeliverAsync(f, blob, match, pattern, redelivery, gate, stoppingToken), stoppingToken));
                }
                running.RemoveAll(t => t.IsCompleted);
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPollFailed(logger, f.Name, ex.GetType().FullName ?? "unknown", StorageFailure.Status(ex));
                await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>How a failed delivery is retried: Event Grid redelivers with growing delays, then gives up (dead-letters).</summary>
    private sealed record Redelivery(int MaxAttempts, TimeSpan FirstDelay)
    {
        public TimeSpan DelayAfter(int attempt) =>
            TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, FirstDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
    }

    /// <summary>One event: the function runs until it succeeds, up to the attempts; between them it does not hold a slot.</summary>
    private async Task DeliverAsync(FunctionEntry f, BlobClient blob, Match match, Regex pattern, Redelivery redelivery, SemaphoreSlim gate, CancellationToken stoppingToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                Exception? failure;
                await gate.WaitAsync(stoppingToken);
                try
                {
                    failure = await FireAsync(f, blob, match, pattern, stoppingToken);
                }
                finally
                {
                    gate.Release();
                }
                if (failure is null) return;
                if (attempt >= redelivery.MaxAttempts)
                {
                    LogGaveUp(logger, f.Name, attempt, failure.GetType().FullName ?? "unknown", StorageFailure.Status(failure));
                    return;
                }
                var delay = redelivery.DelayAfter(attempt);
                LogFailed(logger, f.Name, attempt, failure.GetType().FullName ?? "unknown", StorageFailure.Status(failure), delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One invocation; its failure is returned, not thrown (never its message: it can quote stored content).</summary>
    private async Task<Exception?> FireAsync(FunctionEntry f, BlobClient blob, Match match, Regex pattern, CancellationToken stoppingToken)
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
            return null;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            return ex;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching blobs for {Function} failed with {ExceptionType} (storage status {Status}); retrying")]
    private static partial void LogPollFailed(ILogger logger, string function, string exceptionType, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob function {Function} failed (attempt {Attempt}) with {ExceptionType} (storage status {Status}); redelivering in {DelaySeconds} s")]
    private static partial void LogFailed(ILogger logger, string function, int attempt, string exceptionType, int status, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob function {Function} failed {Attempts} times, last with {ExceptionType} (storage status {Status}); gave up on this event")]
    private static partial void LogGaveUp(ILogger logger, string function, int attempts, string exceptionType, int status);
}
