using Azure.Data.Tables;
using Nap.Submissions;

namespace Nap.Tests.Submissions;

/// <summary>Azure rejects transactions across partitions; Azurite accepts them. So the rule is asserted here.</summary>
public sealed class TablePartitionTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("\"etag\"", null)]
    [InlineData("\"etag\"", "0f1e")]
    public void A_submission_commit_is_one_transaction_in_one_partition(string? etag, string? keyHash)
    {
        var receipt = new SubmissionReceipt("2026.a.v2", "2026", "a", 2, DateTimeOffset.UnixEpoch, "", "abc", false);
        var actions = TableSubmissionIndex.BuildActions(new SubmissionCommit(
            new SubmissionVersion(receipt, "2026/a/abc.json"), etag is null ? null : new Azure.ETag(etag), keyHash));

        Assert.InRange(actions.Count, 2, 100);
        Assert.Single(actions.Select(a => a.Entity.PartitionKey).Distinct());
        Assert.Equal("2026", actions[0].Entity.PartitionKey);
        Assert.Equal(actions.Count, actions.Select(a => a.Entity.RowKey).Distinct().Count());
        Assert.Equal(etag is null ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace,
            actions.Single(a => a.Entity.RowKey == TableSubmissionIndex.LatestKey("a")).ActionType);
    }
}
