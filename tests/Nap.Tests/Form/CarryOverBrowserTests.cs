using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Nap.Tests.Form;

/// <summary>"Start from last year" in a real browser: the offer, the carried contributions, the confirmation, keyboard only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CarryOverBrowserTests(BrowserFixture host)
{
    private const string G1 = "/goals/G1/contributions/0";
    private const string G2 = "/goals/G2/contributions/0";

    private async Task<(string Previous, string Current, string Signatory)> LastYearSubmittedAsync(int skip)
    {
        var (previous, current) = await host.CreateConsecutiveCyclesAsync();
        var signatory = host.ActiveSignatories.Where(s => s.Language == "nl").ElementAt(skip).Id;
        using var client = host.SignatoryClient(signatory, previous.Id);
        var response = await client.PostAsync($"api/cycles/{previous.Id}/submissions", new StringContent(InvalidCases.Base.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (previous.Id, current.Id, signatory);
    }

    [Fact]
    public async Task A_signatory_starts_from_last_year_is_stopped_until_it_confirms_the_carried_contributions_and_submits_with_their_ids()
    {
        var (previous, current, signatory) = await LastYearSubmittedAsync(3);
        await using var form = await host.OpenAsync(host.Token(signatory, current));
        var page = form.Page;
        var posts = new List<string>();
        page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith("/submissions", StringComparison.Ordinal)) posts.Add(r.Url); };

        // The offer comes first, with the previous cycle named; the form itself is not shown yet.
        Assert.True(await page.Locator("#carry-offer").IsVisibleAsync());
        Assert.Equal(previous, await page.TextContentAsync("#carry-from"));
        Assert.False(await page.Locator("#report").IsVisibleAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'carry-offer-title'"));
        await form.AssertAccessibleAsync("carry-over offer");
        await page.Locator("#carry-offer").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Artifacts, "form-carry-over-offer.png") });
        await form.TabToAsync("#carry-start");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#report:not([hidden])");
        await form.StatusContainsAsync("2 bijdrage(n) overgenomen");
        Assert.Equal(0, await page.Locator("#carry-offer").CountAsync());

        // Both contributions are marked, with last year's figures beside the (empty) new fields.
        Assert.Equal(2, await page.Locator(".contribution.carried").CountAsync());
        Assert.Equal($"Overgenomen uit {previous}", await page.Locator($"#{FormPage.Id(G1 + "/confirmed")} > legend").TextContentAsync());
        Assert.Equal("Mediation training for women leaders", await form.Field(G1 + "/title").InputValueAsync());
        Assert.Equal("", await form.Field(G1 + "/indicator/G1.1.a/value").InputValueAsync());
        var shown = await page.Locator(".indicator[data-indicator='G1.1.a'] .previous").TextContentAsync();
        Assert.Equal($"{previous}: 10 personen (streefwaarde 20)", shown);
        Assert.Contains(FormPage.Id(G1 + "/indicator/G1.1.a/value") + "-previous",
            await form.Field(G1 + "/indicator/G1.1.a/value").GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        Assert.Equal("", await form.Field(G1 + "/budgetSpentEur").InputValueAsync());
        Assert.Contains($"{previous}: € 1.000,50", await page.Locator($"[data-pointer='{G1}/budgetSpentEur'] .previous").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("", await form.Field("/goals/G1/narratives/highlights/text").InputValueAsync());

        await form.TypeIntoAsync("#" + FormPage.Id("/contact/name"), "Fatima de Vries");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("fatima@example.org");
        await form.TypeIntoAsync("#" + FormPage.Id(G1 + "/indicator/G1.1.a/value"), "24");

        // Submitting stops at the error summary, which names each unconfirmed contribution; nothing is posted.
        await form.TabToAsync("#submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#error-summary:not([hidden])");
        var summary = await page.Locator("#error-list a").EvaluateAllAsync<string[]>("as => as.map(a => a.dataset.pointer + ' ' + a.dataset.code)");
        Assert.Equal([G1 + "/confirmed unconfirmed", G2 + "/confirmed unconfirmed"], summary.Order());
        Assert.Empty(posts);
        await form.AssertAccessibleAsync("form with unconfirmed carried contributions");
        await page.Locator(".contribution.carried").First.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Artifacts, "form-carry-over-contribution.png") });
        await page.SetViewportSizeAsync(320, 640);
        Assert.False(await form.ScrollsHorizontallyAsync(), "the carried form scrolls horizontally at 320 px");
        await page.SetViewportSizeAsync(1024, 900);

        // The summary link leads to the confirmation; one key press confirms.
        await page.FocusAsync($"#error-list a[data-pointer='{G1}/confirmed']");
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.EvaluateAsync<bool>("id => document.activeElement.id === id", FormPage.Id(G1 + "/confirmed")));
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("id => document.activeElement.id === id", FormPage.Id(G1 + "/confirmed") + "-button"));
        await page.Keyboard.PressAsync("Space");
        Assert.Equal("true", await page.GetAttributeAsync("#" + FormPage.Id(G1 + "/confirmed") + "-button", "aria-pressed"));
        Assert.Equal("Bevestigd.", await page.TextContentAsync("#" + FormPage.Id(G1 + "/confirmed") + "-state"));
        await form.StatusContainsAsync("bevestigd");

        // One still unconfirmed: still stopped, now only at that one.
        await form.TabToAsync("#submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#error-list a').length === 1");
        Assert.Equal(G2 + "/confirmed", await page.GetAttributeAsync("#error-list a", "data-pointer"));
        Assert.Empty(posts);
        await form.TabToAsync("#" + FormPage.Id(G2 + "/confirmed") + "-button");
        await page.Keyboard.PressAsync("Enter");

        await form.TabToAsync("#submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.Equal("1", await page.TextContentAsync("#receipt-version"));

        // The stored version keeps the ids and says where each contribution came from.
        var mine = (await host.MineAsync(signatory, current))!;
        var g1 = mine["submission"]!["goals"]!["G1"]!["contributions"]![0]!;
        var g2 = mine["submission"]!["goals"]!["G2"]!["contributions"]![0]!;
        Assert.Equal(("c-mediation-2026", "c-gender-analysis"), ((string)g1["id"]!, (string)g2["id"]!));
        Assert.Equal(previous, (string)g1["carriedOver"]!["cycle"]!);
        Assert.Equal(1, (int)g1["carriedOver"]!["version"]!);
        Assert.True((bool)g1["confirmed"]!);
        Assert.Equal(24m, (decimal)g1["indicatorResults"]![0]!["value"]!);
        Assert.Null(g1["budgetSpentEur"]);
        await form.ScreenshotAsync("form-carry-over-receipt.png");
        form.AssertNoProblems();
    }

    [Fact]
    public async Task Start_empty_gives_the_empty_form_and_a_reload_after_carry_over_shows_the_figures_again()
    {
        var (previous, current, signatory) = await LastYearSubmittedAsync(4);
        await using (var empty = await host.OpenAsync(host.Token(signatory, current)))
        {
            await empty.TabToAsync("#carry-empty");
            await empty.Page.Keyboard.PressAsync("Enter");
            await empty.Page.WaitForSelectorAsync("#report:not([hidden])");
            Assert.Equal(0, await empty.Page.Locator(".contribution").CountAsync());
            empty.AssertNoProblems();
        }

        await using var form = await host.OpenAsync(host.Token(signatory, current), width: 320, height: 640);
        var page = form.Page;
        await form.TabToAsync("#carry-confidential");
        await page.Keyboard.PressAsync("Space");
        await form.TabToAsync("#carry-start");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#report:not([hidden])");
        await form.ScreenshotAsync("form-carry-over-320.png", fullPage: true);
        Assert.False(await form.ScrollsHorizontallyAsync(), "the carried form scrolls horizontally at 320 px");

        await form.ReloadAsync();
        Assert.Equal(0, await page.Locator("#carry-offer").CountAsync());
        Assert.Equal(2, await page.Locator(".contribution.carried").CountAsync());
        Assert.Equal($"{previous}: 10 personen (streefwaarde 20)", await page.Locator(".indicator[data-indicator='G1.1.a'] .previous").TextContentAsync());
        await form.AssertAccessibleAsync("carried form after a reload");
        form.AssertNoProblems();
    }
}
