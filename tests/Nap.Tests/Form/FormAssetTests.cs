using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

/// <summary>The form's files over HTTP: security headers, caching, compression, nothing outside the embedded set.</summary>
public sealed partial class FormAssetTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    [Theory]
    [InlineData("api/form", "text/html")]
    [InlineData("api/form/app.js", "text/javascript")]
    [InlineData("api/form/form.css", "text/css")]
    [InlineData("api/form/privacy-nl.html", "text/html")]
    [InlineData("api/form/accessibility-en.html", "text/html")]
    public async Task Files_carry_a_strict_policy_and_an_etag(string path, string mediaType)
    {
        var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.NotNull(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Pages_have_no_inline_script_or_style_and_reference_assets_by_hash()
    {
        foreach (var page in new[] { "index.html", "privacy-nl.html", "privacy-en.html", "accessibility-nl.html", "accessibility-en.html" })
        {
            var html = await host.Client.GetStringAsync(page == "index.html" ? "api/form" : "api/form/" + page);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(EventHandlerAttribute(), html);
            Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("{{v:", html, StringComparison.Ordinal);
            Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        }
        var index = await host.Client.GetStringAsync("api/form");
        var cssUrl = AssetUrl().Match(index).Value;
        Assert.Matches(@"^/api/form/form\.css\?v=[0-9a-f]{12}$", cssUrl);
        var css = await host.Client.GetAsync(cssUrl.TrimStart('/'));
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var plain = await host.Client.GetAsync("api/form/form.css");
        Assert.True(plain.Headers.CacheControl!.NoCache);
    }

    [Fact]
    public async Task Files_are_compressed_when_the_browser_accepts_it()
    {
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/form/app.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var compressed = await raw.SendAsync(request);
        var plain = await raw.GetAsync("api/form/app.js");

        Assert.Equal("br", compressed.Content.Headers.ContentEncoding.Single());
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.True(compressed.Content.Headers.ContentLength < plain.Content.Headers.ContentLength / 2);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("api/form/missing.js")]
    [InlineData("api/form/App.js")]
    [InlineData("api/form/..%2Fhost.json")]
    [InlineData("api/form/openapi.json")]
    public async Task Only_the_embedded_form_files_are_served(string path)
    {
        var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"/api/form/form\.css\?v=[^""]+")]
    private static partial Regex AssetUrl();
}
