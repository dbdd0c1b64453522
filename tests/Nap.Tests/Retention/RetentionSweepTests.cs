using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nap.Reports;
using Nap.Retention;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Retention;

/// <summary>The retention sweep on Azurite tables of its own, with a fake clock.</summary>
public sealed class RetentionSweepTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2031, 3, 1, 4, 0, 0, TimeSpan.Zero);
    private readonly string _ledger = "RetLedger" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _reports = "RetReports" + Guid.NewGuid().ToString("N")[..10];
    private readonly FakeTimeProvider _time = new(Start);
    private NapStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _storage = NapStorage.FromConnectionString(Azurite.ConnectionString);
        await _storage.Tables.CreateTableIfNotExistsAsync(_ledger);
        await _storage.Tables.CreateTableIfNotExistsAsync(_reports);
    }

    public async Task DisposeAsync()
    {
        await _storage.Tables.DeleteTableAsync(_ledger);
        await _storage.Tables.DeleteTableAsync(_reports);
    }

    private RetentionSweep Sweep(NapStorage storage, params RetentionRule[] rules) => Sweep(storage, _time, rules);

    private static RetentionSweep Sweep(NapStorage storage, TimeProvider time, params RetentionRule[] rules) => new(storage, rules, time, NullLogger<RetentionSweep>.Instance);

    private async Task<HashSet<string>> RowKeysAsync(string table) =>
        (await _storage.Tables.GetTableClient(table).QueryAsync<TableEntity>(select: ["RowKey"]).ToListAsync()).Select(e => e.RowKey).ToHashSet();

    private Task AddAsync(string table, string partition, string row, DateTimeOffset? claimedAt) =>
        _storage.Tables.GetTableClient(table).AddEntityAsync(new TableEntity(partition, row) { ["ClaimedAt"] = claimedAt, ["Status"] = "Sent" });

    [Fact]
    public async Task Rows_past_their_days_go_younger_rows_and_rows_without_the_timestamp_stay_and_a_rerun_deletes_nothing()
    {
        await AddAsync(_ledger, "2029", "old", Start.AddDays(-31));
        await AddAsync(_ledger, "2029", "edge", Start.AddDays(-29));
        await AddAsync(_ledger, "2030", "young", Start.AddDays(-1));
        await AddAsync(_ledger, "2030", "no-timestamp", null);
        var sweep = Sweep(_storage, new RetentionRule("ledger", _ledger, 30, "ClaimedAt"));

        var outcome = Assert.Single(await sweep.RunAsync());
        Assert.Equal(1, outcome.Deleted);
        Assert.Equal(0, outcome.Failed);
        Assert.Equal(["edge", "no-timestamp", "young"], (await RowKeysAsync(_ledger)).Order(StringComparer.Ordinal));

        // Idempotent: the same run again finds nothing.
        Assert.Equal(0, Assert.Single(await sweep.RunAsync()).Deleted);

        // Two days later the edge row has expired too; the young one and the one without a timestamp have not.
        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, Assert.Single(await sweep.RunAsync()).Deleted);
        Assert.Equal(["no-timestamp", "young"], (await RowKeysAsync(_ledger)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_partition_rule_by_the_service_timestamp_takes_only_its_partition()
    {
        // The service sets Timestamp to the real time of the write: the fake clock runs relative to that.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = _storage.Tables.GetTableClient(_ledger);
        await table.AddEntityAsync(new TableEntity(RetentionOptions.LinkRequestsPartition, "hash|2031-03-01T04|1"));
        await table.AddEntityAsync(new TableEntity(RetentionOptions.LinkRequestsPartition, "hash|2031-03-01T04|2"));
        await AddAsync(_ledger, "2031", "ledger-row", time.GetUtcNow());
        var sweep = Sweep(_storage, time, new RetentionRule("link-requests", _ledger, 2, RetentionRule.ServiceTimestamp, RetentionOptions.LinkRequestsPartition));

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, Assert.Single(await sweep.RunAsync()).Deleted);
        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, Assert.Single(await sweep.RunAsync()).Deleted);
        Assert.Equal(["ledger-row"], await RowKeysAsync(_ledger));
    }

    [Fact]
    public async Task One_row_that_cannot_be_deleted_and_one_failing_table_never_block_the_rest()
    {
        for (var i = 0; i < 5; i++) await AddAsync(_ledger, "2029", $"row-{i}", Start.AddDays(-100));
        await AddAsync(_ledger, "2029", "stuck", Start.AddDays(-100));
        await AddAsync(_reports, "2029", "v-1", Start.AddDays(-100));

        // The table service refuses to delete one row (500, no retries) and cannot be reached for one table.
        var options = new TableClientOptions { Retry = { MaxRetries = 0 } };
        options.AddPolicy(new RefuseDeletePolicy("stuck", "Unreachable"), HttpPipelinePosition.PerCall);
        var faulty = new NapStorage(new BlobServiceClient(Azurite.ConnectionString), new TableServiceClient(Azurite.ConnectionString, options));
        var sweep = Sweep(faulty,
            new RetentionRule("unreachable", "Unreachable", 1, "ClaimedAt"),
            new RetentionRule("ledger", _ledger, 30, "ClaimedAt"),
            new RetentionRule("off", _reports, 0, "ClaimedAt"),
            new RetentionRule("reports", _reports, 30, "ClaimedAt"));

        var outcomes = await sweep.RunAsync();
        Assert.Equal(1, outcomes.Single(o => o.Rule == "unreachable").Failed);
        var ledger = outcomes.Single(o => o.Rule == "ledger");
        Assert.Equal((5, 1), (ledger.Deleted, ledger.Failed));
        Assert.True(outcomes.Single(o => o.Rule == "off").Skipped);
        Assert.Equal(1, outcomes.Single(o => o.Rule == "reports").Deleted);
        Assert.Equal(["stuck"], await RowKeysAsync(_ledger));

        // Once the store lets it go, the next run takes the row that was left.
        Assert.Equal(1, Assert.Single(await Sweep(_storage, new RetentionRule("ledger", _ledger, 30, "ClaimedAt")).RunAsync()).Deleted);
    }

    [Fact]
    public async Task A_row_changed_after_it_was_read_is_left_alone()
    {
        await AddAsync(_ledger, "2029", "changing", Start.AddDays(-100));
        var options = new TableClientOptions { Retry = { MaxRetries = 0 } };
        options.AddPolicy(new TouchBeforeDeletePolicy(_storage.Tables.GetTableClient(_ledger)), HttpPipelinePosition.PerCall);
        var racing = new NapStorage(new BlobServiceClient(Azurite.ConnectionString), new TableServiceClient(Azurite.ConnectionString, options));
        var outcome = Assert.Single(await Sweep(racing, new RetentionRule("ledger", _ledger, 30, "ClaimedAt")).RunAsync());
        Assert.Equal((0, 0), (outcome.Deleted, outcome.Failed));
        Assert.Equal(["changing"], await RowKeysAsync(_ledger));
    }

    [Fact]
    public void The_default_rules_cover_the_ledger_link_requests_submissions_and_report_versions_with_their_settings()
    {
        var options = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoRoot.Path, "local.settings.sample.json")).Build().GetSection("Values");
        var bound = new RetentionOptions();
        options.GetSection(RetentionOptions.Section).Bind(bound);
        Assert.Equal("0 30 3 * * *", bound.Schedule);
        var rules = bound.Rules().ToDictionary(r => r.Name);
        Assert.Equal((StorageNames.ReminderLedgerTable, 548, "ClaimedAt", (string?)null), (rules["reminder-ledger"].Table, rules["reminder-ledger"].Days, rules["reminder-ledger"].TimestampProperty, rules["reminder-ledger"].Partition));
        Assert.Equal((StorageNames.ReminderLedgerTable, 2, "Timestamp", "_link-requests"), (rules["link-requests"].Table, rules["link-requests"].Days, rules["link-requests"].TimestampProperty, rules["link-requests"].Partition));
        // Kept until the coordinators archive the cycle: off by default.
        Assert.False(rules["submissions"].Enabled);
        Assert.Equal((StorageNames.SubmissionsTable, "ReceivedAt"), (rules["submissions"].Table, rules["submissions"].TimestampProperty));
        Assert.False(rules["report-versions"].Enabled);
        Assert.Equal((ReportStorageNames.VersionsTable, "CreatedAt"), (rules["report-versions"].Table, rules["report-versions"].TimestampProperty));
        Assert.Equal((Nap.Audit.AuditStorageNames.AuditTable, 730, "At"), (rules["audit"].Table, rules["audit"].Days, rules["audit"].TimestampProperty));
    }

    [Fact]
    public void The_audit_trail_is_kept_at_least_a_year_whatever_the_setting_says()
    {
        Assert.Equal(365, new RetentionOptions { AuditDays = 30 }.Rules().Single(r => r.Name == "audit").Days);
        Assert.Equal(365, new RetentionOptions { AuditDays = 0 }.Rules().Single(r => r.Name == "audit").Days);
        Assert.Equal(1000, new RetentionOptions { AuditDays = 1000 }.Rules().Single(r => r.Name == "audit").Days);
    }

    [Fact]
    public void The_filter_is_built_from_a_property_name_only()
    {
        var cutoff = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal("ClaimedAt lt datetime'2031-01-02T03:04:05.0000000Z'", RetentionSweep.Filter(new("r", "T", 1, "ClaimedAt"), cutoff));
        Assert.Equal("PartitionKey eq '_link-requests' and Timestamp lt datetime'2031-01-02T03:04:05.0000000Z'",
            RetentionSweep.Filter(new("r", "T", 1, "Timestamp", "_link-requests"), cutoff));
        Assert.Throws<ArgumentException>(() => RetentionSweep.Filter(new("r", "T", 1, "ClaimedAt or true"), cutoff));
    }

    /// <summary>Answers 500 to the delete of one row key, and 500 to every request for one table.</summary>
    private sealed class RefuseDeletePolicy(string rowKey, string table) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            if (uri.Contains($"/{table}", StringComparison.Ordinal) || (message.Request.Method == RequestMethod.Delete && uri.Contains($"RowKey='{rowKey}'", StringComparison.Ordinal)))
                message.Request.Uri.Reset(new Uri("http://127.0.0.1:1/refused")); // nothing listens: the request fails
        }
    }

    /// <summary>Updates the row just before the sweep's delete reaches the service, as a concurrent writer would.</summary>
    private sealed class TouchBeforeDeletePolicy(TableClient direct) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Delete)
                await direct.UpsertEntityAsync(new TableEntity("2029", "changing") { ["Status"] = "Uncertain" }, TableUpdateMode.Merge);
            await ProcessNextAsync(message, pipeline);
        }
    }
}
