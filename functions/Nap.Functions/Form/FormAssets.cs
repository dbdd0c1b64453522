using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Nap.Functions.Form;

/// <summary>One static file of the form, ready to send: its bytes, pre-compressed variants and a strong ETag.</summary>
public sealed record FormAsset(string Name, string ContentType, byte[] Bytes, byte[] Brotli, byte[] Gzip, string ETag, string Version);

/// <summary>
/// The form's HTML, CSS and JS, embedded in the function app (no build step, no CDN). Loaded and compressed once.
/// HTML pages reference assets as <c>/api/form/app.js?v={{v:app.js}}</c>; the placeholder becomes the asset's hash,
/// so an asset requested with its current hash may be cached for a year, and a new deployment changes every URL.
/// </summary>
public static partial class FormAssets
{
    public const string ResourcePrefix = "Nap.Functions.Form.wwwroot.";

    /// <summary>
    /// Only files from the app itself, only in external files: no inline script, no style attributes, no framing,
    /// no form posts elsewhere, no referrer. <c>connect-src 'self'</c> keeps the token on this origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<FrozenDictionary<string, FormAsset>> All = new(Load);

    public static FormAsset? Find(string name) => All.Value.GetValueOrDefault(name);

    public static IEnumerable<FormAsset> List() => All.Value.Values;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.(html|css|js|svg)$")]
    public static partial Regex FileName();

    [GeneratedRegex(@"\{\{v:([a-z0-9.-]+)\}\}")]
    private static partial Regex VersionPlaceholder();

    private static FrozenDictionary<string, FormAsset> Load()
    {
        var assembly = typeof(FormAssets).Assembly;
        var raw = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(n => n[ResourcePrefix.Length..], n =>
            {
                using var s = assembly.GetManifestResourceStream(n)!;
                using var m = new MemoryStream();
                s.CopyTo(m);
                return m.ToArray();
            }, StringComparer.Ordinal);
        if (raw.Count == 0) throw new InvalidOperationException("The form's files are not embedded in the function app.");
        var bad = raw.Keys.Where(k => !FileName().IsMatch(k)).ToList();
        if (bad.Count > 0) throw new InvalidOperationException("Form file names must be lower-case: " + string.Join(", ", bad));

        var versions = raw.ToDictionary(kv => kv.Key, kv => Hash(kv.Value)[..12], StringComparer.Ordinal);
        var result = new Dictionary<string, FormAsset>(StringComparer.Ordinal);
        foreach (var (name, bytes) in raw)
        {
            var content = bytes;
            if (name.EndsWith(".html", StringComparison.Ordinal))
                content = Encoding.UTF8.GetBytes(VersionPlaceholder().Replace(Encoding.UTF8.GetString(bytes), m =>
                    versions.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"{name} references a missing asset '{m.Groups[1].Value}'.")));
            var hash = Hash(content);
            result[name] = new FormAsset(name, ContentType(name), content, Compress(content, brotli: true), Compress(content, brotli: false), $"\"{hash[..32]}\"", hash[..12]);
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
