using Nap.Api;
using Nap.Reminders;

namespace Nap.Reviews;

/// <summary>
/// The signatories whose stored judgement is a return, with the version it judged and its revision deadline, for the
/// reminder sweep. The sweep compares the version with the latest one: a newer version means resubmitted, done.
/// </summary>
public sealed class ReviewRevisions(IReviewStore store) : IOpenRevisions
{
    public async Task<IReadOnlyDictionary<string, OpenRevision>> ListAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, OpenRevision>(StringComparer.Ordinal);
        foreach (var (signatoryId, stored) in await store.ListAsync(cycleId, cancellationToken).ConfigureAwait(false))
        {
            if (stored.State != ReviewState.Returned) continue;
            var last = (await store.HistoryAsync(cycleId, signatoryId, cancellationToken).ConfigureAwait(false)).LastOrDefault();
            if (last is null) continue;
            result[signatoryId] = new OpenRevision(signatoryId, stored.Version, last.At,
                last.RevisionDeadline is { } local ? AmsterdamTime.ToUtc(local) : null);
        }
        return result;
    }
}
