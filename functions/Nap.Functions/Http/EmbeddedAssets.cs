using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Nap.Functions.Http;

/// <summary>One embedded static file, ready to send: its bytes, pre-compressed variants, a strong ETag and the page's CSP.</summary>
public sealed record EmbeddedAsset(string Name, string ContentType, byte[] Bytes, byte[] Brotli, byte[] Gzip, string ETag, string Version, string ContentSecurityPolicy);

/// <summary>
/// A set of static web files (HTML, CSS, JS) embedded in the function app under one resource prefix: the signatories'
/// form and the staff console. Loaded and compressed once. HTML pages reference assets as <c>…/app.js?v={{v:app.js}}</c>;
/// the placeholder becomes the asset's hash, so an asset requested with its current hash may be cached for a year,
/// and a new deployment changes every URL.
/// </summary>
public sealed partial class EmbeddedAssets(string resourcePrefix, string contentSecurityPolicy)
{
    /// <summary>
    /// Only files from the app itself, only in external files: no inline script, no style attributes, no framing,
    /// no form posts elsewhere, no referrer. <c>connect-src 'self'</c> keeps tokens and staff data on this origin.
    /// </summary>
    public const string StrictContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly Lazy<FrozenDictionary<string, EmbeddedAsset>> _all = new(() => Load(resourcePrefix, contentSecurityPolicy));

    public string ResourcePrefix => resourcePrefix;

    public string ContentSecurityPolicy => contentSecurityPolicy;

    /// <summary>The file of that name, or null for a name that is not well-formed or not embedded.</summary>
    public EmbeddedAsset? Find(string name) => FileName().IsMatch(name) ? _all.Value.GetValueOrDefault(name) : null;

    public IEnumerable<EmbeddedAsset> List() => _all.Value.Values;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.(html|css|js|svg)$")]
    public static partial Regex FileName();

    [GeneratedRegex(@"\{\{v:([a-z0-9.-]+)\}\}")]
    private static partial Regex VersionPlaceholder();

    private static FrozenDictionary<string, EmbeddedAsset> Load(string prefix, string csp)
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var raw = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..], n =>
            {
                using var s = assembly.GetManifestResourceStream(n)!;
                using var m = new MemoryStream();
                s.CopyTo(m);
                return m.ToArray();
            }, StringComparer.Ordinal);
        if (raw.Count == 0) throw new InvalidOperationException($"No files are embedded in the function app under {prefix}.");
        var bad = raw.Keys.Where(k => !FileName().IsMatch(k)).ToList();
        if (bad.Count > 0) throw new InvalidOperationException("Embedded web file names must be lower-case: " + string.Join(", ", bad));

        var versions = raw.ToDictionary(kv => kv.Key, kv => Hash(kv.Value)[..12], StringComparer.Ordinal);
        var result = new Dictionary<string, EmbeddedAsset>(StringComparer.Ordinal);
        foreach (var (name, bytes) in raw)
        {
            var content = bytes;
            if (name.EndsWith(".html", StringComparison.Ordinal))
                content = Encoding.UTF8.GetBytes(VersionPlaceholder().Replace(Encoding.UTF8.GetString(bytes), m =>
                    versions.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"{name} references a missing asset '{m.Groups[1].Value}'.")));
            var hash = Hash(content);
            result[name] = new EmbeddedAsset(name, ContentType(name), content, Compress(content, brotli: true), Compress(content, brotli: false), $"\"{hash[..32]}\"", hash[..12], csp);
        }
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static byte[] Compress(byte[] bytes, bool brotli)
    {
        using var output = new MemoryStream();
        using (Stream z = brotli ? new BrotliStream(output, CompressionLevel.SmallestSize, leaveOpen: true) : new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(bytes);
        return output.ToArray();
    }
}
