using Nap.Submissions;

namespace Nap.Tests.Infrastructure;

/// <summary>Submission bodies in memory, under the blob names the real store uses: for compiling without storage.</summary>
public sealed class MemoryContentStore : ISubmissionContentStore
{
    public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public Task<string> PutAsync(string cycleId, string signatoryId, string sha256, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var name = BlobSubmissionContentStore.BlobName(cycleId, signatoryId, sha256);
        Blobs[name] = body.ToArray();
        return Task.FromResult(name);
    }

    public Task<BinaryData?> GetAsync(string blobName, CancellationToken cancellationToken = default) =>
        Task.FromResult(Blobs.TryGetValue(blobName, out var b) ? BinaryData.FromBytes(b) : null);
}
