using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Nap.Reports;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>The aggregates table with one save failing on request, as a storage outage between the two tables would.</summary>
public sealed class FailingAggregates(NapStorage storage) : IReportAggregates
{
    private readonly TableReportAggregates _inner = new(storage);
    private int _failNext;

    public void FailNext() => Interlocked.Exchange(ref _failNext, 1);

    public Task<int?> FindVersionAsync(string cycleId, ReportKind kind, CancellationToken cancellationToken = default) =>
        _inner.FindVersionAsync(cycleId, kind, cancellationToken);

    public Task SaveAsync(CompiledReport report, int version, CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _failNext, 0) == 1
            ? throw new InvalidOperationException("Injected aggregates failure.")
            : _inner.SaveAsync(report, version, cancellationToken);

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<FailingAggregates>();
        services.AddSingleton<IReportAggregates>(sp => sp.GetRequiredService<FailingAggregates>());
    }
}

/// <summary>Versions under concurrency and partial failure: one version per inputs, a latest pointer that never moves back, aggregates that catch up.</summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class ReportVersioningTests
{
    [Fact]
    public async Task Concurrent_compilations_of_the_same_final_make_exactly_one_version()
    {
        await using var services = new ReportServices();
        var cycle = await services.CycleWithSubmissionsAsync(6);
        var reports = services.Get<ReportService>();

        // Two coordinators' requests and a duplicated event, all at once.
        var outcomes = await Task.WhenAll(
            reports.CompileAsync(cycle.Id, ReportKind.Final, "request-a"),
            reports.CompileAsync(cycle.Id, ReportKind.Final, "request-b"),
            reports.CompileAsync(cycle.Id, ReportKind.Final, "request-b"));

        var store = services.Get<ReportStore>();
        var version = Assert.Single(await store.ListAsync(cycle.Id));
        Assert.Equal("compiled", version.Status);
        Assert.Single(outcomes, o => o.Created);
        Assert.All(outcomes, o => Assert.Equal(version.Version, o.Version!.Version));
        Assert.Equal(version.Version, (await store.FindLatestAsync(cycle.Id, ReportKind.Final))!.Version);
        // Only the winner's files (and its staff lineage) are stored.
        var blobs = new List<string>();
        await foreach (var b in services.Get<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.ReportsContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, cycle.Id + "/", CancellationToken.None))
            blobs.Add(b.Name);
        Assert.Equal(version.Files.Select(f => f.BlobName).Append(ReportStore.StaffLineageBlobName(cycle.Id, version.Version)).Order(StringComparer.Ordinal),
            blobs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Aggregates_that_failed_to_save_are_written_by_the_next_compilation_of_the_same_inputs()
    {
        await using var services = new ReportServices(configure: FailingAggregates.Register);
        var cycle = await services.CycleWithSubmissionsAsync(4);
        var reports = services.Get<ReportService>();

        services.Get<FailingAggregates>().FailNext();
        await Assert.ThrowsAsync<InvalidOperationException>(() => reports.CompileAsync(cycle.Id, ReportKind.Final, null));
        var next = await reports.CompileAsync(cycle.Id, ReportKind.Final, null);

        var latest = (await services.Get<ReportStore>().FindLatestAsync(cycle.Id, ReportKind.Final))!;
        Assert.Equal(latest.Version, next.Version!.Version);
        Assert.Equal(PublishStatus.Published, latest.PublishStatus);
        var json = JsonNode.Parse((await services.Get<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.ReportsContainer)
            .GetBlobClient(latest.Files.Single(f => f.Extension == "Json").BlobName).DownloadContentAsync()).Value.Content.ToString())!;
        var total = await services.Get<NapStorage>().Tables.GetTableClient(ReportStorageNames.AggregatesTable)
            .GetEntityIfExistsAsync<TableEntity>(cycle.Id, "final|all|total");
        Assert.True(total.HasValue, "No aggregates were written for the final report.");
        Assert.Equal(latest.Version, total.Value!.GetInt32("ReportVersion"));
        Assert.Equal(latest.InputHash, total.Value.GetString("InputHash"));
        Assert.Equal((int)json["totals"]!["contributions"]!, total.Value.GetInt32("Contributions"));
        Assert.Equal(4, total.Value.GetInt32("Submitted"));
    }

    [Fact]
    public async Task A_slower_compilation_of_older_inputs_does_not_move_the_latest_version_back()
    {
        await using var services = new ReportServices();
        var cycle = await services.CycleWithSubmissionsAsync(2);
        var store = services.Get<ReportStore>();

        // The slow compilation reads the pointer and its inputs now ...
        var seen = await store.ReadLatestAsync(cycle.Id, ReportKind.Draft);
        var oldInputs = await services.InputsAsync(cycle, ReportKind.Draft);
        var oldBundle = await services.Get<ReportCompiler>().BuildAsync(oldInputs);
        // ... meanwhile a third submission arrives and a faster compilation stores it ...
        var third = (await services.SeedRegistryAsync()).Where(s => s.Active).ElementAt(2);
        await SubmissionWriter.WriteAsync(services.Provider, cycle, third.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(3).ToJsonString()), cycle.DeadlineUtc.AddDays(-1));
        var newer = await services.Get<ReportService>().CompileAsync(cycle.Id, ReportKind.Draft, null);
        Assert.True(newer.Created);
        Assert.Equal(3, newer.Version!.Submissions);

        // ... and the slow one finishes last.
        var late = await store.SaveAsync(oldBundle, null, DateTimeOffset.UtcNow, seen);

        Assert.Null(late);
        var latest = (await store.FindLatestAsync(cycle.Id, ReportKind.Draft))!;
        Assert.Equal(newer.Version.Version, latest.Version);
        Assert.Equal(3, latest.Submissions);
        Assert.Single(await store.ListAsync(cycle.Id));
    }
}
