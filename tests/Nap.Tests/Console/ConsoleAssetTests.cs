using System.Net;
using System.Text.RegularExpressions;
using Nap.Functions.StaffConsole;
using Nap.Security;
using Nap.Tests.Infrastructure;

// Namespace StaffConsole, not Console: a Nap.Tests.Console namespace would capture every Console.WriteLine in the tests.
namespace Nap.Tests.StaffConsole;

/// <summary>The console's files: served with the strict CSP, no inline script or style, every text in both languages.</summary>
public sealed partial class ConsoleAssetTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static string Source(string name) => System.Text.Encoding.UTF8.GetString(ConsoleAssets.Files.Find(name)!.Bytes);

    [Fact]
    public async Task The_page_and_its_modules_are_served_with_the_strict_CSP_and_revalidate()
    {
        using var staff = host.StaffClient(StaffRoles.Reader);
        var page = await staff.GetAsync("api/console");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("no-cache", page.Headers.CacheControl!.ToString());
        var html = await page.Content.ReadAsStringAsync();
        var main = MainScript().Match(html);
        Assert.True(main.Success, "index.html loads main.js with its version");
        var js = await host.Client.GetAsync(main.Groups[1].Value.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Contains("immutable", js.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("api/console/nope.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("api/console/Main.JS")).StatusCode);
    }

    [Fact]
    public void No_file_has_inline_script_style_attributes_or_outside_urls()
    {
        foreach (var asset in ConsoleAssets.Files.List())
        {
            var text = System.Text.Encoding.UTF8.GetString(asset.Bytes);
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", text);
            Assert.DoesNotMatch(@"\sstyle\s*=", text);
            Assert.DoesNotMatch(@"\son[a-z]+\s*=\s*[""']", text);
            Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"https?://(?!schemas\.microsoft\.com)", text);
        }
    }

    [Fact]
    public void Every_text_the_modules_use_exists_in_Dutch_and_English()
    {
        var i18n = Source("i18n.js");
        var nlStart = i18n.IndexOf("  nl: {", StringComparison.Ordinal);
        var enStart = i18n.IndexOf("  en: {", StringComparison.Ordinal);
        var end = i18n.IndexOf("\n};", enStart, StringComparison.Ordinal);
        var nl = Keys(i18n[(nlStart + 7)..enStart]);
        var en = Keys(i18n[(enStart + 7)..end]);
        Assert.True(nl.Count > 100, "the Dutch texts were not found");
        Assert.Empty(nl.Except(en));
        Assert.Empty(en.Except(nl));

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var asset in ConsoleAssets.Files.List().Where(a => a.Name.EndsWith(".js", StringComparison.Ordinal) || a.Name.EndsWith(".html", StringComparison.Ordinal)))
        {
            var text = System.Text.Encoding.UTF8.GetString(asset.Bytes);
            foreach (Match m in TextCall().Matches(text)) used.Add(m.Groups[1].Value);
            foreach (Match m in Ternary().Matches(text)) { used.Add(m.Groups[1].Value); used.Add(m.Groups[2].Value); }
            foreach (Match m in DataT().Matches(text)) used.Add(m.Groups[1].Value);
        }
        Assert.True(used.Count > 100);
        Assert.Empty(used.Except(nl).Order());
    }

    private static HashSet<string> Keys(string block) =>
        KeyPattern().Matches(block).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"(?:^\s*|,\s+)(?:'([a-zA-Z0-9_-]+)'|([a-zA-Z][a-zA-Z0-9_]*)):\s", RegexOptions.Multiline)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"\bt\('([a-zA-Z0-9_]+)'")]
    private static partial Regex TextCall();

    [GeneratedRegex(@"\bt\([^()]*\? '([a-zA-Z0-9_]+)' : '([a-zA-Z0-9_]+)'")]
    private static partial Regex Ternary();

    [GeneratedRegex(@"data-t=""([a-zA-Z0-9_]+)""")]
    private static partial Regex DataT();

    [GeneratedRegex(@"src=""(/api/console/main\.js\?v=[0-9a-f]{12})""")]
    private static partial Regex MainScript();
}
