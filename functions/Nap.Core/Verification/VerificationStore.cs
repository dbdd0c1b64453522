using Azure;
using Azure.Data.Tables;
using Nap.Storage;

namespace Nap.Verification;

/// <summary>
/// The one open code of one contact in one cycle: only a salted hash of it, when it stops working, how many wrong
/// tries it had, and how many codes the contact asked for in the current window (the rate limit).
/// </summary>
public sealed record VerificationCode(
    string CycleId, string SignatoryId, string ContactHash, string LinkId,
    string CodeHash, string Salt, DateTimeOffset ExpiresAt, int Attempts, bool Locked,
    DateTimeOffset WindowStart, int WindowCount, ETag ETag = default);

/// <summary>A verified session: found by the hash of its token, bound to one link of one contact.</summary>
public sealed record VerificationSession(string CycleId, string TokenHash, string SignatoryId, string ContactHash, string LinkId, DateTimeOffset ExpiresAt);

public interface IVerificationStore
{
    Task<VerificationCode?> FindCodeAsync(string cycleId, string signatoryId, string contactHash, CancellationToken cancellationToken = default);

    /// <summary>Writes the code row if it is still as read (<see cref="VerificationCode.ETag"/>; default: it must not exist). False when someone else wrote first.</summary>
    Task<bool> TryWriteCodeAsync(VerificationCode code, CancellationToken cancellationToken = default);

    /// <summary>Removes a used code if it is still as read; false when someone else changed it first.</summary>
    Task<bool> TryDeleteCodeAsync(VerificationCode code, CancellationToken cancellationToken = default);

    Task AddSessionAsync(VerificationSession session, CancellationToken cancellationToken = default);

    Task<VerificationSession?> FindSessionAsync(string cycleId, string tokenHash, CancellationToken cancellationToken = default);
}

public static class VerificationStorageNames
{
    /// <summary>One-time code hashes (with their rate-limit window) and verified-session rows.</summary>
    public const string VerificationsTable = "Verifications";
}

/// <summary>Table <c>Verifications</c>: partition = cycle; <c>code|{signatory}|{contact hash}</c> and <c>session|{token hash}</c>.</summary>
public sealed class TableVerificationStore(NapStorage storage) : IVerificationStore
{
    public const string TableName = VerificationStorageNames.VerificationsTable;

    private static string CodeKey(string signatoryId, string contactHash) => $"code|{signatoryId}|{contactHash}";
    private static string SessionKey(string tokenHash) => $"session|{tokenHash}";

    private Task<TableClient> Table(CancellationToken ct) => storage.TableAsync(TableName, ct);

    public async Task<VerificationCode?> FindCodeAsync(string cycleId, string signatoryId, string contactHash, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, CodeKey(signatoryId, contactHash), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!hit.HasValue) return null;
        var e = hit.Value!;
        return new VerificationCode(cycleId, signatoryId, contactHash, e.GetString("LinkId") ?? "", e.GetString("CodeHash") ?? "", e.GetString("Salt") ?? "",
            e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue, e.GetInt32("Attempts") ?? 0, e.GetBoolean("Locked") ?? false,
            e.GetDateTimeOffset("WindowStart") ?? DateTimeOffset.MinValue, e.GetInt32("WindowCount") ?? 0, e.ETag);
    }

    public async Task<bool> TryWriteCodeAsync(VerificationCode code, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(code.CycleId, CodeKey(code.SignatoryId, code.ContactHash))
        {
            ["LinkId"] = code.LinkId,
            ["CodeHash"] = code.CodeHash,
            ["Salt"] = code.Salt,
            ["ExpiresAt"] = code.ExpiresAt,
            ["Attempts"] = code.Attempts,
            ["Locked"] = code.Locked,
            ["WindowStart"] = code.WindowStart,
            ["WindowCount"] = code.WindowCount,
        };
        try
        {
            if (code.ETag == default) await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            else await table.UpdateEntityAsync(entity, code.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<bool> TryDeleteCodeAsync(VerificationCode code, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(code.CycleId, CodeKey(code.SignatoryId, code.ContactHash), code.ETag, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task AddSessionAsync(VerificationSession session, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(new TableEntity(session.CycleId, SessionKey(session.TokenHash))
        {
            ["SignatoryId"] = session.SignatoryId,
            ["ContactHash"] = session.ContactHash,
            ["LinkId"] = session.LinkId,
            ["ExpiresAt"] = session.ExpiresAt,
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<VerificationSession?> FindSessionAsync(string cycleId, string tokenHash, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, SessionKey(tokenHash), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!hit.HasValue) return null;
        var e = hit.Value!;
        return new VerificationSession(cycleId, tokenHash, e.GetString("SignatoryId") ?? "", e.GetString("ContactHash") ?? "", e.GetString("LinkId") ?? "",
            e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue);
    }
}
