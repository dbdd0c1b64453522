using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Nap.Storage;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Privacy;

/// <summary>
/// Purging a blob with its versions and soft-deleted copies. Azurite keeps neither blob versions nor soft-deleted blobs
/// (its support matrix lists both as unsupported), so the calls Azure needs are checked against a recorded HTTP exchange
/// with the storage SDK's real pipeline, and the purge is run once on Azurite for what it does support.
/// </summary>
public sealed class BlobPurgeTests
{
    private const string Name = "2026/some-org/abc.json";

    /// <summary>Answers like the Blob service with versioning and soft delete on: two versions of the blob, one already soft-deleted.</summary>
    private sealed class VersionedAccount(bool allowPermanentDelete) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = Uri.UnescapeDataString(request.RequestUri!.Query);
            Requests.Add($"{request.Method} {query}");
            var response = new HttpResponseMessage(HttpStatusCode.Accepted);
            if (request.Method == HttpMethod.Get)
            {
                Assert.Contains("versions", query, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("deleted", query, StringComparison.OrdinalIgnoreCase);
                response = new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent($"""
                        <?xml version="1.0" encoding="utf-8"?>
                        <EnumerationResults ServiceEndpoint="http://account.blob.example/" ContainerName="submissions">
                          <Prefix>{Name}</Prefix>
                          <Blobs>
                            <Blob><Name>{Name}</Name><VersionId>2026-12-01T09:00:00.0000000Z</VersionId><Properties><Content-Length>10</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
                            <Blob><Name>{Name}</Name><Deleted>true</Deleted><VersionId>2026-12-01T10:00:00.0000000Z</VersionId><Properties><Content-Length>10</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
                            <Blob><Name>{Name}.other</Name><VersionId>2026-12-01T11:00:00.0000000Z</VersionId><Properties><Content-Length>10</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
                          </Blobs>
                          <NextMarker />
                        </EnumerationResults>
                        """, Encoding.UTF8, "application/xml"),
                };
            }
            else if (query.Contains("deletetype=permanent", StringComparison.Ordinal) && !allowPermanentDelete)
            {
                response = new HttpResponseMessage(HttpStatusCode.Conflict);
                response.Headers.Add("x-ms-error-code", "PermanentDeleteNotAllowed");
            }
            response.Headers.Add("x-ms-request-id", Guid.NewGuid().ToString());
            response.Headers.Add("x-ms-version", "2026-02-06");
            return Task.FromResult(response);
        }
    }

    private static BlobContainerClient Client(HttpMessageHandler handler) =>
        new(new Uri("http://account.blob.example/submissions"),
            new StorageOptions().Apply(new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) }));

    [Fact]
    public async Task Purge_deletes_the_blob_then_each_of_its_versions_then_each_soft_deleted_copy_permanently()
    {
        var account = new VersionedAccount(allowPermanentDelete: true);

        var result = await BlobPurge.PurgeAsync(Client(account), Name);

        Assert.Equal(new PurgeResult(Deleted: true, Versions: 2, Purged: 2, LeftSoftDeleted: 0), result);
        var deletes = account.Requests.Where(r => r.StartsWith("DELETE", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, deletes.Count);
        Assert.DoesNotContain("versionid", deletes[0], StringComparison.Ordinal); // the blob itself first
        Assert.Equal(2, deletes.Count(d => d.Contains("versionid=2026-12-01T09:00:00", StringComparison.Ordinal) && !d.Contains("deletetype", StringComparison.Ordinal)) +
                        deletes.Count(d => d.Contains("versionid=2026-12-01T10:00:00", StringComparison.Ordinal) && !d.Contains("deletetype", StringComparison.Ordinal)));
        Assert.Equal(2, deletes.Count(d => d.Contains("deletetype=permanent", StringComparison.Ordinal) && d.Contains("versionid=", StringComparison.Ordinal)));
        Assert.DoesNotContain(deletes, d => d.Contains("11:00:00", StringComparison.Ordinal)); // another blob that shares the prefix
    }

    [Fact]
    public async Task Without_allowPermanentDelete_the_copies_are_counted_as_left_soft_deleted_and_other_deletes_stay_ordinary()
    {
        var account = new VersionedAccount(allowPermanentDelete: false);

        var result = await BlobPurge.PurgeAsync(Client(account), Name);

        Assert.Equal(new PurgeResult(true, 2, 0, 2), result);
        // The policy only acts inside the purge's scope: a delete made elsewhere asks for no permanent delete.
        account.Requests.Clear();
        await Client(account).GetBlobClient("other.json").DeleteIfExistsAsync();
        Assert.DoesNotContain("deletetype", Assert.Single(account.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_Azurite_the_purge_removes_an_overwritten_blob_and_is_harmless_when_run_again()
    {
        var storage = NapStorage.FromConnectionString(Azurite.ConnectionString);
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer); // no blob trigger watches it
        var name = $"purge-test/{Guid.NewGuid():N}/body.json";
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString("first"));
        await blob.UploadAsync(BinaryData.FromString("second"), overwrite: true);

        var result = await BlobPurge.PurgeAsync(container, name);

        Assert.True(result.Deleted);
        Assert.False((await blob.ExistsAsync()).Value);
        var left = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = name, States = BlobStates.All })) left.Add(item.Name);
        Assert.Empty(left);
        Assert.Equal(PurgeResult.None, await BlobPurge.PurgeAsync(container, name));
    }
}
