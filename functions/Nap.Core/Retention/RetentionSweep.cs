using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Nap.Storage;

namespace Nap.Retention;

/// <summary>What one rule did in one run: rows deleted, rows that could not be deleted (kept for the next run).</summary>
public sealed record RetentionOutcome(string Rule, string Table, int Deleted, int Failed, bool Skipped);

/// <summary>
/// Deletes expired table rows by <see cref="RetentionRule"/>. Idempotent (a re-run finds nothing left to delete); each
/// row is deleted on its own with its ETag, so a row changed since it was read is left alone, and a row that cannot be
/// deleted, or a rule whose table fails, is counted and logged by type and never stops the others. Keys are never
/// logged: they hold signatory ids and address hashes.
/// </summary>
public sealed partial class RetentionSweep(NapStorage storage, IReadOnlyList<RetentionRule> rules, TimeProvider time, ILogger<RetentionSweep> logger)
{
    public RetentionSweep(NapStorage storage, RetentionOptions options, TimeProvider time, ILogger<RetentionSweep> logger)
        : this(storage, options.Rules(), time, logger)
    {
    }

    public IReadOnlyList<RetentionRule> Rules => rules;

    public async Task<IReadOnlyList<RetentionOutcome>> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var outcomes = new List<RetentionOutcome>();
        foreach (var rule in rules)
        {
            if (!rule.Enabled)
            {
                outcomes.Add(new(rule.Name, rule.Table, 0, 0, Skipped: true));
                continue;
            }
            var outcome = await SweepAsync(rule, now.AddDays(-rule.Days), cancellationToken).ConfigureAwait(false);
            LogRule(logger, rule.Name, rule.Table, outcome.Deleted, outcome.Failed);
            outcomes.Add(outcome);
        }
        return outcomes;
    }

    /// <summary>The OData filter of a rule: the property before the cutoff (and the partition), evaluated by the table service.</summary>
    public static string Filter(RetentionRule rule, DateTimeOffset cutoff)
    {
        if (!IsIdentifier(rule.TimestampProperty))
            throw new ArgumentException($"Retention rule {rule.Name}: '{rule.TimestampProperty}' is not a property name.");
        var filter = $"{rule.TimestampProperty} lt datetime'{cutoff.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)}'";
        return rule.Partition is null ? filter : TableClient.CreateQueryFilter($"PartitionKey eq {rule.Partition}") + " and " + filter;
    }

    private static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 255 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private async Task<RetentionOutcome> SweepAsync(RetentionRule rule, DateTimeOffset cutoff, CancellationToken ct)
    {
        int deleted = 0, failed = 0;
        try
        {
            var table = storage.Tables.GetTableClient(rule.Table);
            await foreach (var row in table.QueryAsync<TableEntity>(Filter(rule, cutoff), select: ["PartitionKey", "RowKey"], cancellationToken: ct).ConfigureAwait(false))
            {
                try
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct).ConfigureAwait(false);
                    deleted++;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    // Deleted by a concurrent run, or changed since it was read: nothing to do now.
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed++;
                    LogRowFailed(logger, rule.Name, ex.GetType().FullName);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The table does not exist (yet): nothing has expired.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failed++;
            LogRuleFailed(logger, rule.Name, ex.GetType().FullName);
        }
        return new(rule.Name, rule.Table, deleted, failed, Skipped: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention {Rule} on {Table}: {Deleted} expired rows deleted, {Failed} failed")]
    private static partial void LogRule(ILogger logger, string rule, string table, int deleted, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention {Rule}: a row could not be deleted ({ExceptionType}); it is tried again next run")]
    private static partial void LogRowFailed(ILogger logger, string rule, string? exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention {Rule}: the sweep of its table failed ({ExceptionType}); the other rules ran")]
    private static partial void LogRuleFailed(ILogger logger, string rule, string? exceptionType);
}
