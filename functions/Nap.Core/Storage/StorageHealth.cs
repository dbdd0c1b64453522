using System.Diagnostics;
using Azure.Data.Tables;

namespace Nap.Storage;

/// <summary>What the last probe found: each dependency reachable or not.</summary>
public sealed record StorageProbe(bool BlobStorage, bool TableStorage)
{
    public bool Healthy => BlobStorage && TableStorage;
}

/// <summary>
/// Health of the app's storage, by a real round trip to each service: one small read from the cycles table (one
/// entity, its keys only) and the properties of the submissions container. Every caller within
/// <see cref="CacheFor"/> shares one probe, so a health endpoint polled by a load balancer costs storage little.
/// Real time, not the app's <see cref="TimeProvider"/>: a test's fake domain clock must not freeze the cache.
/// </summary>
public sealed class StorageHealth(NapStorage storage)
{
    /// <summary>A few seconds at most: health must turn during an outage, not a minute later.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    /// <summary>A probe longer than this counts as unreachable: a frozen storage account keeps connections open.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private (Task<StorageProbe> Probe, long StartedAt)? _last;

    public Task<StorageProbe> CheckAsync(CancellationToken cancellationToken = default)
    {
        Task<StorageProbe> probe;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_last is not { } last || (last.Probe.IsCompleted && Stopwatch.GetElapsedTime(last.StartedAt, now) > CacheFor))
                _last = last = (ProbeAsync(), now);
            probe = last.Probe;
        }
        return probe.WaitAsync(cancellationToken);
    }

    private async Task<StorageProbe> ProbeAsync()
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        var blob = Reachable(async ct =>
        {
            var container = await storage.ContainerAsync(StorageNames.SubmissionsContainer, ct).ConfigureAwait(false);
            await container.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false);
        }, timeout.Token);
        var table = Reachable(async ct =>
        {
            var cycles = await storage.TableAsync(StorageNames.CyclesTable, ct).ConfigureAwait(false);
            await using var pages = cycles.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: ct).AsPages().GetAsyncEnumerator(ct);
            await pages.MoveNextAsync().ConfigureAwait(false);
        }, timeout.Token);
        return new StorageProbe(await blob.ConfigureAwait(false), await table.ConfigureAwait(false));
    }

    private static async Task<bool> Reachable(Func<CancellationToken, Task> read, CancellationToken timeout)
    {
        try
        {
            await read(timeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            // Down, frozen, or refusing this identity (403): either way the app cannot use it.
            return false;
        }
    }
}
