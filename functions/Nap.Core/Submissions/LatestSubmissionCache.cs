using System.Collections.Concurrent;
using Azure;

namespace Nap.Submissions;

/// <summary>
/// What this instance last saw as each signatory's latest version, per cycle, so a submission needs no index read
/// before its commit. It may be stale (another instance committed since) and that is safe: the commit carries the
/// latest row's ETag, or adds the row when none was seen, so a stale view makes the commit fail; the service then
/// reads the index and tries again. Snapshots are reloaded after <c>Nap:LatestSnapshotSeconds</c>.
/// </summary>
public sealed class LatestSubmissionCache(ISubmissionIndex index, TimeProvider time, NapOptions options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Snapshot>>> _cycles = new();

    public async Task<LatestSubmission?> PeekAsync(string cycleId, string signatoryId, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cycleId, cancellationToken).ConfigureAwait(false);
        return snapshot.BySignatory.TryGetValue(signatoryId, out var latest) ? latest : null;
    }

    public void Remember(string cycleId, string signatoryId, LatestSubmission? latest)
    {
        if (!_cycles.TryGetValue(cycleId, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully) return;
        var snapshot = lazy.Value.Result;
        if (latest is null) snapshot.BySignatory.TryRemove(signatoryId, out _);
        else snapshot.BySignatory.AddOrUpdate(signatoryId, latest, (_, known) => known is null || known.Version.Receipt.Version <= latest.Version.Receipt.Version ? latest : known);
    }

    private Task<Snapshot> SnapshotAsync(string cycleId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lazy = _cycles.GetOrAdd(cycleId, id => Load(id, now));
        if (lazy.IsValueCreated && lazy.Value.IsCompleted &&
            (!lazy.Value.IsCompletedSuccessfully || now - lazy.Value.Result.LoadedAt > TimeSpan.FromSeconds(options.LatestSnapshotSeconds)))
        {
            var fresh = Load(cycleId, now);
            lazy = _cycles.TryUpdate(cycleId, fresh, lazy) ? fresh : _cycles[cycleId];
        }
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private Lazy<Task<Snapshot>> Load(string cycleId, DateTimeOffset now) => new(async () =>
    {
        var rows = await index.SnapshotLatestAsync(cycleId, CancellationToken.None).ConfigureAwait(false);
        return new Snapshot(now, new ConcurrentDictionary<string, LatestSubmission>(rows, StringComparer.Ordinal));
    });

    private sealed record Snapshot(DateTimeOffset LoadedAt, ConcurrentDictionary<string, LatestSubmission> BySignatory);
}
