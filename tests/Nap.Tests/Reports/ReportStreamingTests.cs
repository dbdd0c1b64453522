using System.Security.Cryptography;
using Nap.Framework;
using Nap.Reports;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reports;

/// <summary>
/// The report service writes JSON and CSV straight into their blobs (streamed, hashed on the way): the stored bytes and
/// their recorded SHA-256 are those of the in-memory rendering, and a file that fails half-way leaves no blob behind.
/// </summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class ReportStreamingTests
{
    [Fact]
    public async Task Streamed_files_are_byte_identical_to_the_rendered_ones_and_their_hashes_are_recorded()
    {
        await using var services = new ReportServices();
        var cycle = await services.CycleWithSubmissionsAsync(4);
        var outcome = await services.Get<ReportService>().CompileAsync(cycle.Id, ReportKind.Final, null);
        var version = Assert.IsType<ReportVersion>(outcome.Version);

        var inputs = await services.InputsAsync(cycle, ReportKind.Final);
        Assert.Equal(inputs.InputHash, version.InputHash);
        var rendered = await services.Get<ReportCompiler>().BuildAsync(inputs);

        Assert.Equal(["docx", "json", "csv"], version.Files.Select(f => f.Extension.ToLowerInvariant()));
        var container = await services.Get<NapStorage>().ContainerAsync(StorageNames.ReportsContainer);
        foreach (var stored in version.Files)
        {
            var expected = rendered.Files.Single(f => f.Name == stored.Name);
            var bytes = (await services.Get<ReportStore>().DownloadAsync(stored)).ToArray();
            Assert.Equal(expected.Content, bytes);
            Assert.Equal(expected.Sha256, stored.Sha256);
            Assert.Equal(bytes.LongLength, stored.Bytes);
            var properties = (await container.GetBlobClient(stored.BlobName).GetPropertiesAsync()).Value;
            Assert.Equal(expected.Sha256, properties.Metadata["sha256"]);
            Assert.Equal(stored.ContentType, properties.ContentType);
        }
        // Published from the blobs: the local-folder stand-in holds the same bytes under the versioned name.
        var json = rendered.Files.Single(f => f.Extension == "json");
        var published = Directory.EnumerateFiles(services.LocalFolder, ReportService.VersionedName(json.Name, version.Version), SearchOption.AllDirectories).Single();
        Assert.Equal(json.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(published))));
    }

    [Fact]
    public async Task A_file_that_fails_while_streaming_leaves_no_blob_and_no_version()
    {
        await using var services = new ReportServices();
        var cycle = await services.CycleWithSubmissionsAsync(2);
        var inputs = await services.InputsAsync(cycle, ReportKind.Final);
        var compiler = services.Get<ReportCompiler>();
        var report = await compiler.CompileAsync(inputs);
        var store = services.Get<ReportStore>();
        var latest = await store.ReadLatestAsync(cycle.Id, ReportKind.Final);

        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync(report, async (target, ct) =>
        {
            // One whole file, then one that breaks off after its first bytes.
            var docx = await target("a.docx", DocxReportWriter.ContentType, ct);
            await docx.WriteAsync(new byte[] { 1, 2, 3 }, ct);
            await docx.DisposeAsync();
            var json = await target("a.json", JsonReportWriter.ContentType, ct);
            await json.WriteAsync(new byte[5 * 1024 * 1024], ct);
            throw new IOException("Injected failure half-way through a file.");
        }, null, DateTimeOffset.UtcNow, latest));

        var container = await services.Get<NapStorage>().ContainerAsync(StorageNames.ReportsContainer);
        var left = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, cycle.Id + "/", CancellationToken.None)) left.Add(blob.Name);
        Assert.Empty(left);
        Assert.Null((await store.ReadLatestAsync(cycle.Id, ReportKind.Final)).Version);
        Assert.DoesNotContain(await store.ListAsync(cycle.Id), v => v.Status == "compiled");
    }
}
