using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Functions.Http;
using Nap.Storage;

namespace Nap.Functions.Api;

/// <summary>Health with a real storage round trip (shared for a couple of seconds), and the API description.</summary>
public sealed class HealthFunctions(StorageHealth health, ILogger<HealthFunctions> logger)
{
    /// <summary>200 when blob and table storage answer; 503 naming the unreachable ones. Never says more than reachable or not.</summary>
    [Function("GetHealth")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Health), async () =>
        {
            var probe = await health.CheckAsync(cancellationToken);
            static string State(bool reachable) => reachable ? "reachable" : "unreachable";
            var dependencies = new Dictionary<string, string> { ["blobStorage"] = State(probe.BlobStorage), ["tableStorage"] = State(probe.TableStorage) };
            if (probe.Healthy) return new JsonAnswer(new { status = "healthy", dependencies });
            var answer = new JsonAnswer(new
            {
                status = "unhealthy",
                unreachable = dependencies.Where(d => d.Value == "unreachable").Select(d => d.Key).ToList(),
                dependencies,
            }, StatusCodes.Status503ServiceUnavailable);
            answer.Headers["Retry-After"] = "5";
            return answer;
        });

    [Function("GetOpenApi")]
    public IActionResult OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new BytesResult(OpenApiDocument.Bytes.Value, "application/json; charset=utf-8");
}

internal static class OpenApiDocument
{
    public static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("Nap.Functions.openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    });
}
