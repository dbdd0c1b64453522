using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Functions.Http;
using Nap.Storage;

namespace Nap.Functions.Api;

/// <summary>Liveness with a storage round trip, and the API description.</summary>
public sealed class HealthFunctions(NapStorage storage, ILogger<HealthFunctions> logger)
{
    [Function("GetHealth")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Health), async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await storage.TableAsync(StorageNames.CyclesTable, timeout.Token);
                return new JsonAnswer(new { status = "healthy", storage = "reachable" });
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or AggregateException or HttpRequestException)
            {
                return new JsonAnswer(new { status = "unhealthy", storage = "unreachable" }, StatusCodes.Status503ServiceUnavailable);
            }
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
