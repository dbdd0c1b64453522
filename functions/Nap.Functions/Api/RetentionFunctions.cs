using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Retention;

namespace Nap.Functions.Api;

/// <summary>
/// Retention of table rows (reminder ledger, link-request counters, and submissions and report versions when a
/// retention is set): daily on a UTC schedule from settings. Blobs expire by the storage lifecycle rules.
/// </summary>
public sealed partial class RetentionFunctions(RetentionSweep sweep, ILogger<RetentionFunctions> logger)
{
    [Function("SweepExpiredRows")]
    public async Task SweepExpiredRows([TimerTrigger("%Retention:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcomes = await sweep.RunAsync(cancellationToken);
        LogSweep(logger, outcomes.Sum(o => o.Deleted), outcomes.Sum(o => o.Failed));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep: {Deleted} expired rows deleted, {Failed} failures")]
    private static partial void LogSweep(ILogger logger, int deleted, int failed);
}
