using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>The table index with a switch that makes the next commits fail, as a storage outage would.</summary>
public sealed class FaultInjectingIndex(ISubmissionIndex inner, string leakedText) : ISubmissionIndex
{
    private int _failures;
    public void FailNextCommits(int count) => Interlocked.Exchange(ref _failures, count);

    public Task<ETag?> TryCommitAsync(SubmissionCommit commit, CancellationToken cancellationToken = default) =>
        Interlocked.Decrement(ref _failures) >= 0
            // Real storage errors quote the request; this one quotes report content to prove it is never logged.
            ? throw new RequestFailedException(503, $"Server busy while writing {leakedText}", "ServerBusy", null)
            : inner.TryCommitAsync(commit, cancellationToken);

    public Task<LatestSubmission?> GetLatestAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default) => inner.GetLatestAsync(cycleId, signatoryId, cancellationToken);
    public Task<SubmissionVersion?> GetVersionAsync(string cycleId, string signatoryId, int version, CancellationToken cancellationToken = default) => inner.GetVersionAsync(cycleId, signatoryId, version, cancellationToken);
    public Task<SubmissionReceipt?> FindByIdempotencyKeyAsync(string cycleId, string signatoryId, string keyHash, CancellationToken cancellationToken = default) => inner.FindByIdempotencyKeyAsync(cycleId, signatoryId, keyHash, cancellationToken);
    public Task<IReadOnlyList<SubmissionVersion>> ListLatestAsync(string cycleId, CancellationToken cancellationToken = default) => inner.ListLatestAsync(cycleId, cancellationToken);
    public Task<IReadOnlyDictionary<string, LatestSubmission>> SnapshotLatestAsync(string cycleId, CancellationToken cancellationToken = default) => inner.SnapshotLatestAsync(cycleId, cancellationToken);
    public Task<IReadOnlyList<SubmissionVersion>> ListVersionsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default) => inner.ListVersionsAsync(cycleId, signatoryId, cancellationToken);
}

public sealed class FaultyStorageHost : DevHostFixture
{
    public const string Canary = "CANARY-7f3a9c";
    public FaultInjectingIndex Index { get; private set; } = null!;

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ISubmissionIndex>(sp =>
            Index = new FaultInjectingIndex(new TableSubmissionIndex(sp.GetRequiredService<NapStorage>()), Canary));
}

public sealed class StorageFailureAndLoggingTests(FaultyStorageHost host) : IClassFixture<FaultyStorageHost>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Failure_between_blob_and_table_write_leaves_nothing_visible_and_the_retry_succeeds()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(11).Id;
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var body = SampleSubmissions.Valid(3);
        _ = host.Services.GetRequiredService<ISubmissionIndex>();

        host.Index.FailNextCommits(1);
        var failed = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(body));

        // Storage answered 503 (busy): the client hears "unavailable, retry", not "a bug".
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.True(failed.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
        Assert.Contains("same Idempotency-Key", (string)(await failed.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!);
        Assert.Null(await host.Index.GetLatestAsync(cycle.Id, signatory));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).StatusCode);
        using (var coordinator = host.CoordinatorClient())
        {
            var status = (await coordinator.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/status"))!;
            Assert.Equal(0, (int)status["submitted"]!);
        }

        var retry = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(body));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, (int)(await retry.Content.ReadFromJsonAsync<JsonObject>())!["version"]!);
        Assert.Single(await host.Index.ListVersionsAsync(cycle.Id, signatory));
    }

    [Fact]
    public async Task Canary_text_in_every_free_text_field_never_reaches_a_log_on_success_422_or_exception()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(12).Id;
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var canaryEmail = FaultyStorageHost.Canary.ToLowerInvariant() + "@example.org";
        JsonObject Body(int seed)
        {
            var b = SampleSubmissions.Valid(seed, FaultyStorageHost.Canary);
            b["contact"]!["email"] = canaryEmail;
            return b;
        }

        var ok = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(Body(1)));
        var invalid = Body(2);
        invalid["goals"]!.AsObject().First().Value!["contributions"]![0]!["countries"] = new JsonArray(FaultyStorageHost.Canary);
        invalid["goals"]!.AsObject().First().Value!["contributions"]![0]!["title"] = FaultyStorageHost.Canary + new string('x', 300);
        var rejected = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(invalid));
        host.Index.FailNextCommits(1);
        var crashed = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(Body(3)));
        var mine = await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine");

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, crashed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var logs = host.Logs.All;
        Assert.Contains("Stored submission of " + signatory, logs); // the capture works at all
        Assert.Contains("RequestFailedException", logs);             // the failure was logged, by type
        Assert.DoesNotContain(FaultyStorageHost.Canary, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(canaryEmail, logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FaultyStorageHost.Canary, await crashed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
