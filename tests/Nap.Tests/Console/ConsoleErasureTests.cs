using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Form;
using Nap.Tests.Infrastructure;

// Namespace StaffConsole, not Console: a Nap.Tests.Console namespace would capture every Console.WriteLine in the tests.
namespace Nap.Tests.StaffConsole;

/// <summary>
/// An admin erases a person from the console's Registry panel in Chromium: a bad address errs at the field, a good one
/// asks for an explicit confirmation naming it, then shows what was removed in counts; the address never reaches the
/// URL or localStorage. Coordinators see no erasure form. It creates and erases registry contacts, so it runs with the
/// other registry writers.
/// </summary>
[Collection(RegistryWriters.Name)]
public sealed class ConsoleErasureTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Admin = [StaffRoles.Admin, StaffRoles.Reader];

    [Fact]
    public async Task An_admin_confirms_and_erases_a_canary_contact_and_sees_the_counts_and_a_bad_address_errs_at_the_field()
    {
        var id = "erase-" + Guid.NewGuid().ToString("N")[..10];
        var canary = $"canary-{id}@example.org";
        var kept = $"kept-{id}@example.org";
        using (var admin = host.StaffClient(StaffRoles.Admin))
        {
            var created = await admin.PostAsJsonAsync("api/signatories", new
            {
                id,
                name = "Stichting Wissen",
                kind = "civil-society-organisation",
                language = "nl",
                contacts = new[]
                {
                    new { name = "Canary Persoon", email = canary, role = "primary" },
                    new { name = "Blijft Staan", email = kept, role = "secondary" },
                },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var registry = host.Services.GetRequiredService<ISignatoryRegistry>();

        await using var console = await host.OpenConsoleAsync(Admin, "#registry");
        var page = console.Page;
        var form = page.Locator("form.erasure");
        var email = form.Locator("input[type=email]");
        await Assertions.Expect(form).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"main tr[data-id=\"{id}\"]")).ToBeVisibleAsync();
        await console.AssertAccessibleAsync("registry (erasure form)");

        // A bad address: after the confirmation the API's 422 lands at the field, and nothing was erased.
        await email.FillAsync("not-an-address");
        await form.Locator("button[data-action=erase]").ClickAsync();
        await Assertions.Expect(form.Locator(".erasure-confirm")).ToContainTextAsync("Erase everything about not-an-address? This cannot be undone.");
        await form.Locator("button[data-action=erase-confirm]").ClickAsync();
        var error = form.Locator(".field[data-pointer=\"/email\"] .error-message");
        await Assertions.Expect(error).ToContainTextAsync("not a valid email address");
        await Assertions.Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Contains(await error.GetAttributeAsync("id") ?? "-", (await email.GetAttributeAsync("aria-describedby"))!);
        await console.AssertAccessibleAsync("registry (erasure error at the field)");

        // Cancelling the confirmation erases nothing.
        await email.FillAsync(canary);
        await form.Locator("button[data-action=erase]").ClickAsync();
        await Assertions.Expect(form.Locator(".erasure-confirm")).ToContainTextAsync($"Erase everything about {canary}? This cannot be undone.");
        await Assertions.Expect(form.Locator(".error-message")).ToHaveCountAsync(0);
        await form.Locator("button[data-action=erase-cancel]").ClickAsync();
        await Assertions.Expect(form.Locator(".erasure-confirm")).ToBeHiddenAsync();
        Assert.Equal(2, (await registry.ReadAsync(id))!.Contacts.Count);

        // Confirmed: the counts show; the canary is gone from the registry, the other contact stays.
        await form.Locator("button[data-action=erase]").ClickAsync();
        await console.AssertAccessibleAsync("registry (erasure confirmation)");
        await form.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Artifacts, "console-erasure-confirm.png") });
        await form.Locator("button[data-action=erase-confirm]").ClickAsync();
        var result = page.Locator("form.erasure .erasure-result .success");
        await Assertions.Expect(result).ToContainTextAsync("Erased.", new() { Timeout = 15_000 });
        await Assertions.Expect(result.Locator("li[data-count=registryContacts]")).ToHaveTextAsync("Registry contacts: 1");
        await Assertions.Expect(result.Locator("li[data-count=submissionContacts]")).ToHaveTextAsync("Submission contact records: 0");
        await Assertions.Expect(result.Locator("li[data-count=drafts]")).ToHaveTextAsync("Drafts: 0");
        await Assertions.Expect(page.Locator("form.erasure input[type=email]")).ToHaveValueAsync("");
        await console.AssertAccessibleAsync("registry (erasure result)");
        await page.Locator("form.erasure").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Artifacts, "console-erasure-result.png") });
        var contacts = (await registry.ReadAsync(id))!.Contacts;
        Assert.Equal(kept, Assert.Single(contacts).Email);

        // The address stayed in the page only: not in the URL, not in the browser's storage.
        Assert.DoesNotContain(canary, page.Url, StringComparison.OrdinalIgnoreCase);
        var stored = await page.EvaluateAsync<string>("() => JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))");
        Assert.DoesNotContain("canary-", stored, StringComparison.Ordinal);
        console.AssertNoProblems();
    }

    [Fact]
    public async Task A_coordinator_sees_no_erasure_form()
    {
        await using var console = await host.OpenConsoleAsync([StaffRoles.Coordinator, StaffRoles.Reader], "#registry");
        var page = console.Page;
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Registry");
        Assert.Equal(0, await page.Locator("form.erasure").CountAsync());
        Assert.Equal(0, await page.Locator("[data-action^=erase]").CountAsync());
        Assert.False(await page.IsVisibleAsync("#nav a[data-panel=registry]"));
        console.AssertNoProblems();
    }
}
