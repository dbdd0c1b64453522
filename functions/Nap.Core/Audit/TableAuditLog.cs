using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Nap.Storage;

namespace Nap.Audit;

/// <summary>
/// The trail in Table Storage. Partition: the cycle (or <c>-</c> for actions outside any cycle, such as a registry
/// import), so a cycle's rows are read from one partition. Row key: the UTC time with 100 ns precision and a random
/// suffix, so rows sort by time and never collide. Every write is one insert into one partition; nothing is updated.
/// </summary>
public sealed class TableAuditLog(NapStorage storage, TimeProvider time) : IAuditLog
{
    public const string NoCycle = "-";
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfffffff";

    public async Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var row = new TableEntity(entry.CycleId ?? NoCycle, RowKey(at) + "-" + Guid.NewGuid().ToString("N")[..12])
        {
            ["At"] = at,
            ["ActorKind"] = entry.Actor.Kind.ToString(),
            ["ActorId"] = entry.Actor.Id,
            ["Action"] = entry.Action,
            ["SignatoryId"] = entry.SignatoryId,
            ["Version"] = entry.Version,
            ["Result"] = entry.Result,
        };
        var table = await storage.TableAsync(AuditStorageNames.AuditTable, cancellationToken).ConfigureAwait(false);
        // Never cancelled half-way by the client: the action it records has already happened.
        await table.AddEntityAsync(row, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<AuditPage> ReadAsync(AuditQuery query, string? continuation, int pageSize, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(AuditStorageNames.AuditTable, cancellationToken).ConfigureAwait(false);
        var filters = new List<string>();
        if (query.CycleId is { } cycle) filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {cycle}"));
        if (query.SignatoryId is { } signatory) filters.Add(TableClient.CreateQueryFilter($"SignatoryId eq {signatory}"));
        if (query.From is { } from) filters.Add(TableClient.CreateQueryFilter($"RowKey ge {RowKey(from)}"));
        if (query.To is { } to) filters.Add(TableClient.CreateQueryFilter($"RowKey lt {RowKey(to)}"));
        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
                               .AsPages(continuation, pageSize).ConfigureAwait(false))
                return new AuditPage(page.Values.Select(ToEntry).ToList(), page.ContinuationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 400 && continuation is not null)
        {
            throw new Api.ProblemException(new Api.Problem(400, Api.Problem.TypeBase + "invalid-continuation", "The continuation is not valid.",
                "Start again without 'continuation', or pass the value of the previous page unchanged."));
        }
        return new AuditPage([], null);
    }

    private static string RowKey(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static AuditEntry ToEntry(TableEntity e) => new(
        e.PartitionKey + "/" + e.RowKey,
        e.GetDateTimeOffset("At") ?? default,
        Enum.TryParse<AuditActorKind>(e.GetString("ActorKind"), out var kind) ? kind : AuditActorKind.Operator,
        e.GetString("ActorId") ?? "",
        e.GetString("Action") ?? "",
        e.PartitionKey == NoCycle ? null : e.PartitionKey,
        e.GetString("SignatoryId"),
        e.GetInt32("Version"),
        e.GetString("Result") ?? "");
}
