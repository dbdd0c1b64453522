using Microsoft.Playwright;
using Nap.Security;
using Nap.Tests.Form;
using Nap.Tests.Infrastructure;

// Namespace StaffConsole, not Console: a Nap.Tests.Console namespace would capture every Console.WriteLine in the tests.
namespace Nap.Tests.StaffConsole;

/// <summary>Opens the coordinators' console in the shared headless Chromium as a signed-in staff member.</summary>
public static class ConsoleBrowser
{
    public static string Url(this BrowserFixture host, string fragment = "") => new Uri(host.BaseAddress, "api/console").ToString() + fragment;

    /// <summary>
    /// A new browser context signed in the way a browser is behind Easy Auth: with the session cookie (the dev host's
    /// stand-in turns it into the X-MS-CLIENT-PRINCIPAL header on every request, downloads included, which
    /// Playwright's extra headers would miss), with the console open at <paramref name="fragment"/> and loaded.
    /// </summary>
    public static async Task<FormPage> OpenConsoleAsync(this BrowserFixture host, string[] roles, string fragment = "#overview", int width = 1280, int height = 900, string lang = "en", string? objectId = null)
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            TimezoneId = "America/New_York", // dates must still show in Amsterdam time
        });
        var principal = objectId is null ? StaffPrincipals.Header(roles) : StaffPrincipals.Header(objectId, "Console Tester", roles);
        await context.AddCookiesAsync([new Cookie { Name = Nap.DevHost.EasyAuthStandIn.CookieName, Value = Uri.EscapeDataString(principal), Url = host.BaseAddress.ToString().TrimEnd('/') }]);
        await context.AddInitScriptAsync($"localStorage.setItem('nap-console-lang', '{lang}');");
        var page = await context.NewPageAsync();
        var console = new FormPage(context, page);
        await page.GotoAsync(host.Url(fragment));
        await console.WaitReadyAsync();
        return console;
    }

    /// <summary>Picks the cycle in the header's picker and waits for the panel to render again.</summary>
    public static async Task PickCycleAsync(this FormPage console, string cycleId)
    {
        await console.Page.EvaluateAsync("() => document.body.removeAttribute('data-ready')");
        await console.Page.SelectOptionAsync("#cycle", cycleId);
        await console.WaitReadyAsync();
    }

    public static async Task GoAsync(this FormPage console, string fragment)
    {
        await console.Page.EvaluateAsync("() => document.body.removeAttribute('data-ready')");
        await console.Page.EvaluateAsync("f => { location.hash = f; }", fragment);
        await console.WaitReadyAsync();
    }

    /// <summary>Waits for the panel to render again after an action that re-renders it.</summary>
    public static async Task AfterRenderAsync(this FormPage console, Func<Task> action)
    {
        await console.Page.EvaluateAsync("() => document.body.removeAttribute('data-ready')");
        await action();
        await console.WaitReadyAsync();
    }

    public static ILocator Row(this FormPage console, string signatoryId) => console.Page.Locator($"#signatory-list tr[data-id=\"{signatoryId}\"]");
}
