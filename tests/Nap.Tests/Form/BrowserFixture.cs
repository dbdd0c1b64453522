using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nap.Graph;
using Nap.Signatories;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// The dev host plus one headless Debian Chromium for every browser test (one per run keeps 2 cores free enough).
/// A missing browser fails every test with the command that installs it: nothing is skipped silently.
/// </summary>
public sealed class BrowserFixture : MailCapturingHostFixture
{
    /// <summary>Debian's chromium; NAP_CHROMIUM points elsewhere (another install, or a missing path to see the failure).</summary>
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("NAP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public override async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. The browser tests need Debian's chromium: run `apt-get update && apt-get install -y chromium` (the README's test command does this).");
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>The form asks for the one-time code: ask for one, read it from the mail, enter it (keyboard only).</summary>
    public async Task VerifyAsync(FormPage form, string email)
    {
        var page = form.Page;
        await page.WaitForSelectorAsync("#verify-send", new PageWaitForSelectorOptions { Timeout = 20_000 });
        var before = Mail.CodesTo(email).Count;
        await page.Locator("#verify-send").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#verify-code:visible");
        var code = Mail.CodesTo(email).Skip(before).Single();
        await page.Keyboard.TypeAsync(code);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>
    /// Like <see cref="OpenAsync"/> for a signatory whose stored report or draft has confidential parts (the invalid-case
    /// base has a confidential contribution): confirms the emailed code first; reloads in that tab need no code again.
    /// </summary>
    public async Task<FormPage> OpenVerifiedAsync(string signatoryId, string cycleId, int width = 1024, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var form = new FormPage(context, await context.NewPageAsync());
        await form.Page.GotoAsync(FormUrl(Token(signatoryId, cycleId)));
        await VerifyAsync(form, LinkContact(signatoryId));
        await form.WaitReadyAsync();
        return form;
    }

    public async Task ReloadVerifiedAsync(FormPage form, string email)
    {
        await form.Page.EvaluateAsync("() => document.body.removeAttribute('data-ready')");
        await form.Page.ReloadAsync();
        await VerifyAsync(form, email);
        await form.WaitReadyAsync();
    }

    public string FormUrl(string token) => new Uri(BaseAddress, "api/form").ToString() + "#token=" + Uri.EscapeDataString(token);

    /// <summary>A new browser context (its own storage, like another device) with the form open and loaded.</summary>
    public async Task<FormPage> OpenAsync(string token, int width = 1024, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var form = new FormPage(context, page);
        await page.GotoAsync(FormUrl(token));
        await form.WaitReadyAsync();
        return form;
    }

    public async Task PutDraftAsync(string signatoryId, string cycleId, JsonObject submission, int basedOnVersion = 0)
    {
        using var client = SignatoryClient(signatoryId, cycleId);
        var body = new JsonObject { ["basedOnVersion"] = basedOnVersion, ["submission"] = submission.DeepClone() };
        var response = await client.PutAsync($"api/cycles/{cycleId}/draft", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonObject?> MineAsync(string signatoryId, string cycleId)
    {
        using var client = SignatoryClient(signatoryId, cycleId);
        var response = await client.GetAsync($"api/cycles/{cycleId}/submissions/mine");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }
}

/// <summary>One open form, with everything the page reported that a test must not miss: script errors and CSP refusals.</summary>
public sealed class FormPage : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    public FormPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, e) => { lock (_problems) _problems.Add("page error: " + e); };
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.Contains("status of 4", StringComparison.Ordinal)) lock (_problems) _problems.Add("console: " + m.Text);
        };
        page.Dialog += async (_, d) =>
        {
            lock (_problems) Dialogs.Add(d.Type);
            await d.AcceptAsync();
        };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public IReadOnlyList<string> Problems { get { lock (_problems) return _problems.ToList(); } }

    /// <summary>Types of the dialogs the page opened (confirm, beforeunload); each was accepted.</summary>
    public List<string> Dialogs { get; } = [];

    public Task WaitReadyAsync() => Page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 20_000 });

    public async Task ReloadAsync()
    {
        await Page.EvaluateAsync("() => document.body.removeAttribute('data-ready')");
        await Page.ReloadAsync();
        await WaitReadyAsync();
    }

    /// <summary>The id the form gives the field at a JSON pointer (the same rule as fid() in app.js).</summary>
    public static string Id(string key) => "f" + System.Text.RegularExpressions.Regex.Replace(key, "[^A-Za-z0-9_-]", "_");

    public ILocator Field(string key) => Page.Locator("#" + Id(key));

    /// <summary>Keyboard only: presses Tab until the element matching <paramref name="selector"/> has focus.</summary>
    public async Task TabToAsync(string selector, int maxPresses = 400)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await Page.EvaluateAsync<bool>("s => document.activeElement && document.activeElement.matches(s)", selector)) return;
        }
        var active = await Page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'none'");
        throw new InvalidOperationException($"{selector} was not reached with {maxPresses} Tab presses; focus is on {active}");
    }

    public async Task TypeIntoAsync(string selector, string text)
    {
        await TabToAsync(selector);
        await Page.Keyboard.TypeAsync(text);
    }

    public async Task StatusContainsAsync(string text, int timeoutMs = 15_000)
    {
        await Page.WaitForFunctionAsync("t => document.getElementById('status').textContent.includes(t)", text, new PageWaitForFunctionOptions { Timeout = timeoutMs });
    }

    public async Task<AxeResult> AxeAsync() => await Page.RunAxe(new AxeRunOptions
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });

    public async Task AssertAccessibleAsync(string state)
    {
        var result = await AxeAsync();
        var report = string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help}\n    " + string.Join("\n    ", v.Nodes.Take(5).Select(n => string.Join(" ", n.Target) + " " + n.Html))));
        Assert.True(result.Violations.Length == 0, $"axe found WCAG 2.1 A/AA violations on the {state}:\n{report}");
        Assert.True(result.Passes.Length > 10, "axe ran no meaningful checks");
    }

    public async Task ScreenshotAsync(string name, bool fullPage = false) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, name), FullPage = fullPage });

    public async Task<bool> ScrollsHorizontallyAsync() =>
        await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");

    public void AssertNoProblems() => Assert.True(Problems.Count == 0, "the page reported:\n" + string.Join("\n", Problems));

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
