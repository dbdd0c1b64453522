using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Nap.Storage;

namespace Nap.Reminders;

public enum LedgerStatus
{
    /// <summary>Claimed, not tried yet (or left by a sweep that ran out of time): safe to send.</summary>
    Pending,
    /// <summary>A send is in progress. Found stale, it becomes <see cref="Uncertain"/>: the message may be out.</summary>
    Sending,
    Sent,
    /// <summary>Refused with proof that nothing was sent; tried again next run.</summary>
    NotAccepted,
    /// <summary>Refused on every allowed attempt: reported to the coordinators.</summary>
    Failed,
    /// <summary>May or may not have been sent: never repeated automatically; a person decides.</summary>
    Uncertain,
    /// <summary>Not sent because it no longer applies (submitted, paused, a later stage, contact removed).</summary>
    Superseded,
}

/// <summary>
/// One message to one recipient, claimed once. Keys: partition = cycle id, row = <c>{signatory}|{stage}|{recipient hash}</c>.
/// No address is stored: the recipient is a hash (in the key only, never logged) and a role.
/// </summary>
public sealed record LedgerEntry(
    string CycleId,
    string SignatoryId,
    string Stage,
    string RecipientHash,
    string Role,
    LedgerStatus Status,
    int Attempts,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? SentAt,
    string? LastResult,
    ETag ETag = default)
{
    public string RowKey => ReminderLedger.RowKey(SignatoryId, Stage, RecipientHash);

    /// <summary>The row key in a form that fits a URL path segment: the API's entry id.</summary>
    public string Id => ReminderLedger.EntryId(RowKey);

    /// <summary>The hash of the Idempotency-Key of the last deliberate retry (<see cref="ReminderRetry"/>), if it had one.</summary>
    public string? RetryKeyHash { get; init; }
    /// <summary>Who retried it deliberately (a staff member's object id), and when.</summary>
    public string? RetriedBy { get; init; }
    public DateTimeOffset? RetriedAt { get; init; }
}

/// <summary>The reminder ledger in Table Storage (<c>ReminderLedger</c>): claim with an insert, then move on with ETags.</summary>
public sealed class ReminderLedger(NapStorage storage)
{
    public const string CoordinatorsId = "_coordinators";
    private const string LinkSlotsPartition = "_link-requests";

    public static string RowKey(string signatoryId, string stage, string recipientHash) => $"{signatoryId}|{stage}|{recipientHash}";

    /// <summary>Signatory ids, stage ids and hashes have no '.', so it can stand for the key's '|'.</summary>
    public static string EntryId(string rowKey) => rowKey.Replace('|', '.');

    /// <summary>The row key an entry id stands for; null when it is not shaped like one.</summary>
    public static string? RowKeyOf(string? entryId)
    {
        if (entryId is null || entryId.Length > 200) return null;
        var parts = entryId.Split('.');
        return parts.Length == 3 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? string.Join('|', parts)
            : null;
    }

    /// <summary>
    /// A stable stand-in for an address in ledger row keys (and the link-request counters), never in logs. The salt
    /// is fixed and public, so anyone holding a hash can test a guessed address against it: treat it as personal data.
    /// </summary>
    public static string RecipientHash(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("nap1325-recipient|" + email.Trim().ToLowerInvariant())))[..24];

    public static bool LooksLikeEmail(string s) =>
        s.Length is > 2 and <= 254 && s.IndexOf('@') is > 0 and var at && at < s.Length - 1 && !s.Any(char.IsWhiteSpace) && s.Count(c => c == '@') == 1;

    private Task<TableClient> Table(CancellationToken ct) => storage.TableAsync(StorageNames.ReminderLedgerTable, ct);

    /// <summary>Inserts the entry: the claimed entry (with its ETag), or null when someone claimed it before (409).</summary>
    public async Task<LedgerEntry?> TryClaimAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(entry), cancellationToken).ConfigureAwait(false);
            return entry with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    public async Task<LedgerEntry?> FindAsync(string cycleId, string rowKey, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? FromEntity(hit.Value!) : null;
    }

    /// <summary>Replaces the entry if nobody changed it since it was read; the updated entry, or null (412).</summary>
    public async Task<LedgerEntry?> TryUpdateAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(entry), entry.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return entry with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<LedgerEntry>> ListAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var list = new List<LedgerEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId, cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>The signatory's receipt entries in the cycle (all versions, all contacts): one range query on the row keys.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListReceiptsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        // Row keys are "{signatory}|receipt-v{n}|{hash}"; 'w' follows 'v', so this range holds exactly the receipts.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cycleId} and RowKey ge {signatoryId + "|receipt-v"} and RowKey lt {signatoryId + "|receipt-w"}");
        var list = new List<LedgerEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>
    /// Takes one of <paramref name="perWindow"/> numbered slots of a time window for one address hash; null when all are
    /// taken. Inserts only, so concurrent requests on several instances cannot exceed the limit.
    /// </summary>
    public async Task<int?> TryTakeLinkSlotAsync(string recipientHash, string window, int perWindow, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        for (var n = 1; n <= perWindow; n++)
        {
            try
            {
                await table.AddEntityAsync(new TableEntity(LinkSlotsPartition, $"{recipientHash}|{window}|{n}"), cancellationToken).ConfigureAwait(false);
                return n;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }
        }
        return null;
    }

    private static TableEntity ToEntity(LedgerEntry e) => new(e.CycleId, e.RowKey)
    {
        ["SignatoryId"] = e.SignatoryId,
        ["Stage"] = e.Stage,
        ["RecipientHash"] = e.RecipientHash,
        ["Role"] = e.Role,
        ["Status"] = e.Status.ToString(),
        ["Attempts"] = e.Attempts,
        ["ClaimedAt"] = e.ClaimedAt,
        ["LastAttemptAt"] = e.LastAttemptAt,
        ["SentAt"] = e.SentAt,
        ["LastResult"] = e.LastResult,
        ["RetryKeyHash"] = e.RetryKeyHash,
        ["RetriedBy"] = e.RetriedBy,
        ["RetriedAt"] = e.RetriedAt,
    };

    private static LedgerEntry FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("SignatoryId"),
        e.GetString("Stage"),
        e.GetString("RecipientHash"),
        e.GetString("Role"),
        Enum.Parse<LedgerStatus>(e.GetString("Status")),
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("LastAttemptAt"),
        e.GetDateTimeOffset("SentAt"),
        e.GetString("LastResult"),
        e.ETag)
    {
        RetryKeyHash = e.GetString("RetryKeyHash"),
        RetriedBy = e.GetString("RetriedBy"),
        RetriedAt = e.GetDateTimeOffset("RetriedAt"),
    };
}
