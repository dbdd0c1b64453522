using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Nap.Api;

namespace Nap.Functions.Http;

/// <summary>JSON written with the app's own serializer settings, independent of MVC formatters, so both hosts answer alike.</summary>
public class JsonAnswer(object? value, int status = 200, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>();

    public virtual async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        foreach (var (k, v) in Headers) response.Headers[k] = v;
        await JsonSerializer.SerializeAsync(response.Body, value, value?.GetType() ?? typeof(object), NapJson.Options, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>An RFC 9457 problem as <c>application/problem+json</c>.</summary>
public sealed class ProblemResult(Problem problem) : JsonAnswer(new
{
    type = problem.Type,
    title = problem.Title,
    status = problem.Status,
    detail = problem.Detail,
    errors = problem.Errors,
}, problem.Status, "application/problem+json; charset=utf-8")
{
    public Problem Problem { get; } = problem;

    public override Task ExecuteResultAsync(ActionContext context)
    {
        if (Problem.RetryAfterSeconds is { } seconds) Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return base.ExecuteResultAsync(context);
    }
}

/// <summary>Raw bytes with a content type: static form assets, the OpenAPI file.</summary>
public sealed class BytesResult(ReadOnlyMemory<byte> bytes, string contentType, string cacheControl = "no-cache") : IActionResult
{
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>();

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        response.Headers.CacheControl = cacheControl;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        foreach (var (k, v) in Headers) response.Headers[k] = v;
        await response.Body.WriteAsync(bytes, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>Bytes with a strong ETag: 304 without a body when the client already has them.</summary>
public sealed class ConditionalBytesResult(ReadOnlyMemory<byte> bytes, string contentType, string etag, string? ifNoneMatch, string cacheControl) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = cacheControl;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (ifNoneMatch is not null && ifNoneMatch.Split(',', StringSplitOptions.TrimEntries).Any(t => t == etag || t == "W/" + etag || t == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.HttpContext.Request.Method))
            await response.Body.WriteAsync(bytes, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
