using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs.Models;
using Nap.Api;
using Nap.Keys;
using Nap.Storage;

namespace Nap.Drafts;

/// <summary>
/// What a carry-over took from the earlier cycle, kept beside the draft it made: the cycle and version copied, whether the
/// confidential contributions came along, and per contribution id the values shown read-only beside the new fields
/// (<c>{"goal": "G1", "budgetSpentEur": 1000, "indicatorResults": [{"indicator", "value", "unit", "target"}]}</c>). Its
/// presence is also what tells a retried carry-over from a draft the signatory started empty.
/// </summary>
public sealed record CarryOver(string Cycle, int Version, bool CopyConfidential, JsonObject Previous);

/// <summary>One carry-over record per signatory and cycle; it lives and dies with the draft.</summary>
public interface ICarryOverStore
{
    Task<CarryOver?> GetAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
    Task PutAsync(string cycleId, string signatoryId, CarryOver record, CancellationToken cancellationToken = default);
    Task<bool> DeleteAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Blobs <c>drafts/carry-over/{cycleId}/{signatoryId}.json</c>, encrypted like the drafts (they hold last year's values).
/// The prefix cannot clash with a draft's <c>{cycleId}/…</c>: cycle ids start with a digit.
/// </summary>
public sealed class BlobCarryOverStore(EncryptedBlobs blobs) : ICarryOverStore
{
    public static string BlobName(string cycleId, string signatoryId) => $"carry-over/{cycleId}/{signatoryId}.json";

    public async Task<CarryOver?> GetAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var blob = await blobs.BlobAsync(StorageNames.DraftsContainer, BlobName(cycleId, signatoryId), cancellationToken).ConfigureAwait(false);
        try
        {
            var content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            return content.ToObjectFromJson<CarryOver>(NapJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task PutAsync(string cycleId, string signatoryId, CarryOver record, CancellationToken cancellationToken = default)
    {
        var blob = await blobs.BlobAsync(StorageNames.DraftsContainer, BlobName(cycleId, signatoryId), cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(record, NapJson.Options)), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string> { ["cycle"] = cycleId, ["signatory"] = signatoryId },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var blob = await blobs.BlobAsync(StorageNames.DraftsContainer, BlobName(cycleId, signatoryId), cancellationToken).ConfigureAwait(false);
        return (await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
    }
}
