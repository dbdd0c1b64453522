using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Nap.Api;
using Nap.Storage;

namespace Nap.Reviews;

/// <summary>The review state per signatory and cycle, and its history; one partition per cycle.</summary>
public interface IReviewStore
{
    Task<StoredReview?> FindAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ReviewEntry>> HistoryAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
    Task<IReadOnlyDictionary<string, StoredReview>> ListAsync(string cycleId, CancellationToken cancellationToken = default);
    /// <summary>
    /// Writes the new state (the accepted version: this one on accept, none when the accepted one is reopened) and appends the entry in one transaction, if the state row still has
    /// <paramref name="expected"/> (null: no row yet). False when someone else wrote first.
    /// </summary>
    Task<bool> TryAppendAsync(string cycleId, string signatoryId, StoredReview? expected, ReviewEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>
/// Table <c>Reviews</c>: partition = cycle; <c>state|{signatory}</c> holds the state, <c>entry|{signatory}|{000001}</c>
/// one row per judgement (reason and comments are free text: stored here, never logged or audited).
/// </summary>
public sealed class TableReviewStore(NapStorage storage) : IReviewStore
{
    public const string TableName = ReviewStorageNames.ReviewsTable;

    private static string StateKey(string signatoryId) => $"state|{signatoryId}";
    private static string EntryKey(string signatoryId, int sequence) => $"entry|{signatoryId}|{sequence.ToString("D6", CultureInfo.InvariantCulture)}";

    private Task<TableClient> Table(CancellationToken ct) => storage.TableAsync(TableName, ct);

    public async Task<StoredReview?> FindAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, StateKey(signatoryId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? FromState(hit.Value!) : null;
    }

    public async Task<IReadOnlyDictionary<string, StoredReview>> ListAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var all = new Dictionary<string, StoredReview>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId && x.RowKey.CompareTo("state|") > 0 && x.RowKey.CompareTo("state}") < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            all[e.RowKey["state|".Length..]] = FromState(e);
        return all;
    }

    public async Task<IReadOnlyList<ReviewEntry>> HistoryAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var from = $"entry|{signatoryId}|";
        var to = $"entry|{signatoryId}}}";
        var list = new List<ReviewEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo(to) < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntry(e));
        return list.OrderBy(e => e.Sequence).ToList();
    }

    public async Task<bool> TryAppendAsync(string cycleId, string signatoryId, StoredReview? expected, ReviewEntry entry, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var state = new TableEntity(cycleId, StateKey(signatoryId))
        {
            ["State"] = ReviewStateMachine.Name(entry.State),
            ["Version"] = entry.Version,
            ["Reviews"] = entry.Sequence,
            ["ChangedAt"] = entry.At,
            ["AcceptedVersion"] = entry.Action == ReviewAction.Accept ? entry.Version
                : expected?.AcceptedVersion == entry.Version ? null : expected?.AcceptedVersion,
        };
        var row = new TableEntity(cycleId, EntryKey(signatoryId, entry.Sequence))
        {
            ["Action"] = ReviewStateMachine.Name(entry.Action),
            ["State"] = ReviewStateMachine.Name(entry.State),
            ["Version"] = entry.Version,
            ["At"] = entry.At,
            ["ReviewerId"] = entry.ReviewerId,
            ["Reason"] = entry.Reason,
            ["Comments"] = JsonSerializer.Serialize(entry.Comments, NapJson.Options),
            ["RevisionDeadline"] = entry.RevisionDeadline?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        };
        TableTransactionAction[] actions =
        [
            expected is null
                ? new(TableTransactionActionType.Add, state)
                : new(TableTransactionActionType.UpdateReplace, state, new ETag(expected.ETag)),
            new(TableTransactionActionType.Add, row),
        ];
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private static StoredReview FromState(TableEntity e) =>
        new(Enum.Parse<ReviewState>(e.GetString("State"), ignoreCase: true), e.GetInt32("Version") ?? 0, e.GetInt32("Reviews") ?? 0, e.GetInt32("AcceptedVersion"), e.ETag.ToString());

    private static ReviewEntry FromEntry(TableEntity e) => new(
        int.Parse(e.RowKey[(e.RowKey.LastIndexOf('|') + 1)..], CultureInfo.InvariantCulture),
        Enum.Parse<ReviewAction>(e.GetString("Action"), ignoreCase: true),
        Enum.Parse<ReviewState>(e.GetString("State"), ignoreCase: true),
        e.GetInt32("Version") ?? 0,
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("ReviewerId") ?? "",
        e.GetString("Reason"),
        JsonSerializer.Deserialize<List<ReviewComment>>(e.GetString("Comments") ?? "[]", NapJson.Options) ?? [],
        e.GetString("RevisionDeadline") is { } d ? DateTime.ParseExact(d, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : null);

    /// <summary>The HTTP ETag for a state row (its table ETag, hashed: that one holds quotes); <c>"none"</c> before any review.</summary>
    public static string HttpETag(StoredReview? stored) =>
        stored is null ? "\"none\"" : "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stored.ETag)))[..20] + "\"";
}

/// <summary>The review feature's storage names (the infra's storage lists are checked against every *StorageNames class).</summary>
public static class ReviewStorageNames
{
    public const string ReviewsTable = "Reviews";
}
