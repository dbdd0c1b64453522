using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

public sealed class SubmissionApiTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private string Signatory(int i = 0) => host.ActiveSignatories.ElementAt(i).Id;

    [Fact]
    public async Task Submit_stores_blob_and_index_rows_and_returns_receipt()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = Signatory(1);
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var body = SampleSubmissions.Valid(7).ToJsonString();

        var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(1, (int)receipt["version"]!);
        Assert.Equal(sha, (string)receipt["sha256"]!);
        Assert.False((bool)receipt["late"]!);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);

        var storage = host.Services.GetRequiredService<NapStorage>();
        var blob = storage.Blobs.GetBlobContainerClient(StorageNames.SubmissionsContainer).GetBlobClient($"{cycle.Id}/{signatory}/{sha}.json");
        Assert.Equal(body, (await blob.DownloadContentAsync()).Value.Content.ToString());
        var table = storage.Tables.GetTableClient(StorageNames.SubmissionsTable);
        var latest = (await table.GetEntityAsync<TableEntity>(cycle.Id, TableSubmissionIndex.LatestKey(signatory))).Value;
        Assert.Equal(1, latest.GetInt32("Version"));
        Assert.Equal(sha, latest.GetString("Sha256"));
        var version = (await table.GetEntityAsync<TableEntity>(cycle.Id, TableSubmissionIndex.VersionKey(signatory, 1))).Value;
        Assert.Equal(sha, version.GetString("Sha256"));
    }
}
