using System.Collections.Concurrent;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Nap.Storage;

namespace Nap.Tests.Reminders;

/// <summary>
/// A storage outage for one thing only: inserts into the reminder ledger in the partitions of chosen cycles fail with
/// 503 before they leave the process, as a busy storage account would answer. Everything else goes through.
/// </summary>
public sealed class LedgerFaults : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, byte> _cycles = new();

    public void FailInsertsFor(string cycleId) => _cycles[cycleId] = 0;
    public void Clear() => _cycles.Clear();

    public TableClientOptions Options()
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return options;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Check(HttpMessage message)
    {
        if (_cycles.IsEmpty || message.Request.Method != RequestMethod.Post
            || !message.Request.Uri.Path.EndsWith("/" + StorageNames.ReminderLedgerTable, StringComparison.Ordinal) || message.Request.Content is null) return;
        using var body = new MemoryStream();
        message.Request.Content.WriteTo(body, CancellationToken.None);
        var text = Encoding.UTF8.GetString(body.ToArray());
        if (_cycles.Keys.Any(id => text.Contains($"\"PartitionKey\":\"{id}\"", StringComparison.Ordinal)))
            throw new RequestFailedException(503, "Server busy (test fault)", "ServerBusy", null);
    }
}
