using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Nap.Api;
using Nap.Storage;

namespace Nap.Signatories;

/// <summary>The signatory registry: who reports, and whom to write to.</summary>
public interface ISignatoryRegistry
{
    Task<IReadOnlyList<Signatory>> ListAsync(CancellationToken cancellationToken = default);
    Task<Signatory?> FindAsync(string id, CancellationToken cancellationToken = default);
    /// <summary>Adds or replaces these signatories; others stay as they are. Keeps revocations.</summary>
    Task UpsertAsync(IEnumerable<Signatory> signatories, CancellationToken cancellationToken = default);
    /// <summary>Refuses every token of this signatory issued before <paramref name="from"/>.</summary>
    Task RevokeTokensAsync(string id, DateTimeOffset from, CancellationToken cancellationToken = default);

    /// <summary>The stored row as it is now (not the cache), with its <see cref="Signatory.ETag"/>: what an edit starts from.</summary>
    Task<Signatory?> ReadAsync(string id, CancellationToken cancellationToken = default);
    /// <summary>Adds a new signatory; false when the id exists.</summary>
    Task<bool> TryCreateAsync(Signatory signatory, CancellationToken cancellationToken = default);
    /// <summary>Replaces name, kind, language, contacts and active if the row still has <paramref name="etag"/>; false when it changed or is gone. Keeps revocations.</summary>
    Task<bool> TryUpdateAsync(Signatory signatory, string etag, CancellationToken cancellationToken = default);
}

/// <summary>
/// Registry in Table Storage (one row per signatory). The whole registry is small (≈75 rows), so it is read
/// at once and cached for <c>Nap:RegistryCacheSeconds</c>: a revocation takes effect within that time.
/// </summary>
public sealed class TableSignatoryRegistry(NapStorage storage, TimeProvider time, NapOptions options) : ISignatoryRegistry
{
    private const string Partition = "signatory";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, Dictionary<string, Signatory> ById)? _cache;

    public async Task<IReadOnlyList<Signatory>> ListAsync(CancellationToken cancellationToken = default) =>
        (await LoadAsync(cancellationToken).ConfigureAwait(false)).Values.OrderBy(s => s.Name, StringComparer.CurrentCulture).ToList();

    public async Task<Signatory?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await LoadAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(id);

    public async Task UpsertAsync(IEnumerable<Signatory> signatories, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.SignatoriesTable, cancellationToken).ConfigureAwait(false);
        // One partition, so batches of 100 are atomic per chunk.
        foreach (var chunk in signatories.Chunk(100))
        {
            var actions = chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertMerge, ToEntity(s))).ToList();
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        _cache = null;
    }

    public async Task RevokeTokensAsync(string id, DateTimeOffset from, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.SignatoriesTable, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(Partition, id) { ["TokensValidFrom"] = from }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new ProblemException(Problem.NotFound($"No signatory '{id}'."));
        }
        _cache = null;
    }

    public async Task<Signatory?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.SignatoriesTable, cancellationToken).ConfigureAwait(false);
        var hit = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return hit.HasValue ? FromEntity(hit.Value!) : null;
    }

    public async Task<bool> TryCreateAsync(Signatory signatory, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.SignatoriesTable, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(signatory), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        _cache = null;
        return true;
    }

    public async Task<bool> TryUpdateAsync(Signatory signatory, string etag, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.SignatoriesTable, cancellationToken).ConfigureAwait(false);
        var current = await table.GetEntityIfExistsAsync<TableEntity>(Partition, signatory.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!current.HasValue || HttpETag(current.Value!.ETag) != etag) return false;
        try
        {
            // Merge under the row's own ETag: TokensValidFrom (revocations) stays, a concurrent edit wins a 412.
            await table.UpdateEntityAsync(ToEntity(signatory), current.Value.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
        _cache = null;
        return true;
    }

    /// <summary>The row's ETag as an HTTP entity tag, not Table Storage's own text.</summary>
    public static string HttpETag(ETag etag) =>
        $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(etag.ToString())))[..20]}\"";

    private async Task<Dictionary<string, Signatory>> LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache is { } c && now - c.At < options.RegistryCacheDuration) return c.ById;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cache is { } c2 && now - c2.At < options.RegistryCacheDuration) return c2.ById;
            var table = await storage.TableAsync(StorageNames.SignatoriesTable, cancellationToken).ConfigureAwait(false);
            var byId = new Dictionary<string, Signatory>(StringComparer.Ordinal);
            await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
                byId[e.RowKey] = FromEntity(e);
            _cache = (now, byId);
            return byId;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static TableEntity ToEntity(Signatory s) => new(Partition, s.Id)
    {
        ["Name"] = s.Name,
        ["Kind"] = s.Kind.ToString(),
        ["Language"] = s.Language,
        ["Active"] = s.Active,
        ["Contacts"] = JsonSerializer.Serialize(s.Contacts, NapJson.Options),
    };

    private static Signatory FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name"),
        Enum.Parse<SignatoryKind>(e.GetString("Kind")),
        e.GetString("Language"),
        e.GetBoolean("Active") ?? false,
        JsonSerializer.Deserialize<List<Contact>>(e.GetString("Contacts"), NapJson.Options) ?? [])
    {
        TokensValidFrom = e.GetDateTimeOffset("TokensValidFrom"),
        ETag = HttpETag(e.ETag),
    };
}
