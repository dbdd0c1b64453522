using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Nap.Cycles;
using Nap.Reports;
using Nap.Reviews;
using Nap.Storage;

namespace Nap.Tests.Reports;

/// <summary>
/// Review reasons and comments (internal and signatory-visible) never reach the report: a canary in every one of them,
/// a draft and finals with both version settings compiled and published, and every output scanned — the stored DOCX
/// (every part of the package, unzipped), JSON and CSV, the ReportVersions and ReportAggregates rows, the published
/// copies in the local folder (the SharePoint stand-in) and the log.
/// </summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class ReportReviewCanaryTests
{
    [Fact]
    public async Task Review_reasons_and_comments_reach_no_report_file_table_row_published_copy_or_log()
    {
        var canary = "REVIEWCANARY-" + Guid.NewGuid().ToString("N")[..10];
        await using var services = new ReportServices();
        var world = await ReportReviewVersionsTests.ArrangeAsync(services, reason: $"Reden {canary}", comments:
        [
            new ReviewComment("/goals/G1", $"Intern {canary}", CommentVisibility.Internal),
            new ReviewComment("/goals/G1", $"Voor de ondertekenaar {canary}", CommentVisibility.Signatory),
        ]);
        var history = await services.Get<IReviewStore>().HistoryAsync(world.Cycle.Id, world.Returned.Id);
        Assert.Contains(canary, Assert.Single(history).Reason, StringComparison.Ordinal); // the canary is really stored

        var reports = services.Get<ReportService>();
        var versions = new List<ReportVersion>
        {
            (await reports.CompileAsync(world.Cycle.Id, ReportKind.Draft, null)).Version!,
            (await reports.CompileAsync(world.Cycle.Id, ReportKind.Final, null)).Version!,
        };
        await services.Get<ICycleStore>().UpsertAsync(world.Cycle with { ReportVersions = ReportVersionPolicy.Latest });
        versions.Add((await reports.CompileAsync(world.Cycle.Id, ReportKind.Final, null)).Version!);
        Assert.Equal(3, versions.Select(v => v.Version).Distinct().Count());
        Assert.All(versions, v => Assert.Equal(PublishStatus.Published, v.PublishStatus));

        var scanned = 0;
        void Scan(string where, byte[] bytes)
        {
            scanned++;
            Assert.False(Encoding.UTF8.GetString(bytes).Contains(canary, StringComparison.Ordinal), $"the canary is in {where}");
            if (!where.EndsWith(".docx", StringComparison.Ordinal)) return;
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                using var part = entry.Open();
                using var copy = new MemoryStream();
                part.CopyTo(copy);
                Scan($"{where}:{entry.FullName}", copy.ToArray());
            }
        }

        foreach (var version in versions)
            foreach (var file in version.Files)
                Scan($"stored {file.Name}", await ReportReviewVersionsTests.DownloadAsync(services, version, file.Extension));
        // The local folder is the SharePoint stand-in: every published copy, under every name.
        var published = Directory.GetFiles(services.LocalFolder, "*", SearchOption.AllDirectories);
        Assert.True(published.Length >= 9, $"only {published.Length} published files");
        foreach (var path in published) Scan($"published {Path.GetFileName(path)}", await File.ReadAllBytesAsync(path));

        var storage = services.Get<NapStorage>();
        foreach (var table in new[] { ReportStorageNames.AggregatesTable, ReportStorageNames.VersionsTable })
        {
            var client = await storage.TableAsync(table);
            var rows = 0;
            await foreach (var row in client.QueryAsync<TableEntity>(e => e.PartitionKey == world.Cycle.Id))
            {
                rows++;
                foreach (var (key, value) in row)
                    Assert.False((value?.ToString() ?? "").Contains(canary, StringComparison.Ordinal), $"the canary is in {table} {row.RowKey} {key}");
            }
            Assert.True(rows > 0, $"no rows in {table}");
        }

        Assert.NotEmpty(services.Logs.Lines);
        Assert.DoesNotContain(services.Logs.Lines, l => l.Contains(canary, StringComparison.Ordinal));
        Assert.True(scanned > 9 * 3, "every file and every DOCX part scanned");
    }
}
