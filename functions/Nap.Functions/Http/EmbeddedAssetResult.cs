using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Nap.Functions.Http;

/// <summary>
/// Sends an embedded web file with the security headers of its pages, its ETag (304 on a match) and the smallest
/// encoding the browser accepts: people on slow connections in conflict areas use the form.
/// </summary>
public sealed class EmbeddedAssetResult(EmbeddedAsset asset, string? ifNoneMatch, string? acceptEncoding, string? requestedVersion) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var h = response.Headers;
        h["Content-Security-Policy"] = asset.ContentSecurityPolicy;
        h["X-Content-Type-Options"] = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h["X-Frame-Options"] = "DENY";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        h.ETag = asset.ETag;
        h.Vary = "Accept-Encoding";
        // Pages revalidate every time (cheap 304s); an asset asked for by its current hash never changes.
        h.CacheControl = requestedVersion == asset.Version && !asset.Name.EndsWith(".html", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        if (ifNoneMatch is not null && ifNoneMatch.Split(',', StringSplitOptions.TrimEntries).Any(t => t == asset.ETag || t == "W/" + asset.ETag || t == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var (bytes, encoding) = Pick(acceptEncoding);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        if (encoding is not null) h.ContentEncoding = encoding;
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.HttpContext.Request.Method))
            await response.Body.WriteAsync(bytes, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    private (byte[] Bytes, string? Encoding) Pick(string? acceptEncoding)
    {
        var accepted = (acceptEncoding ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split(';', StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 1 || !p.Skip(1).Any(q => q is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"))
            .Select(p => p[0].ToLowerInvariant())
            .ToHashSet();
        if (accepted.Contains("br") && asset.Brotli.Length < asset.Bytes.Length) return (asset.Brotli, "br");
        if (accepted.Contains("gzip") && asset.Gzip.Length < asset.Bytes.Length) return (asset.Gzip, "gzip");
        return (asset.Bytes, null);
    }
}
