using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Nap.Tests.Form;

/// <summary>WCAG 2.1 A/AA (axe-core) on the empty form, the filled form and the error state; reflow at 320 px; page weight.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormAccessibilityTests(BrowserFixture host, ITestOutputHelper output)
{
    private string Token(string signatoryId, string cycleId) => host.Token(signatoryId, cycleId);

    [Fact]
    public async Task Empty_form_has_no_axe_violations()
    {
        var cycle = await host.CreateCycleAsync();
        await using var form = await host.OpenAsync(Token(host.ActiveSignatories.ElementAt(10).Id, cycle.Id));

        await form.ScreenshotAsync("form-empty.png");
        await form.AssertAccessibleAsync("empty form");
        form.AssertNoProblems();
    }

    [Fact]
    public async Task Nothing_scrolls_horizontally_at_320_css_pixels_with_errors_or_the_receipt()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(11).Id;
        var submission = InvalidCases.Base;
        submission["goals"]!["G1"]!["contributions"]![0]!["partners"] = new System.Text.Json.Nodes.JsonArray("Internationaalvrouwenvredesnetwerkorganisatiecoalitie");
        await host.PutDraftAsync(signatory, cycle.Id, submission);
        await using var form = await host.OpenVerifiedAsync(signatory, cycle.Id, width: 320, height: 640);
        var page = form.Page;
        Assert.False(await form.ScrollsHorizontallyAsync(), "the filled form scrolls horizontally at 320 px");

        await form.Field("/goals/G1/contributions/0/title").FillAsync("");
        await form.Field("/contact/email").FillAsync("averyveryverylongaddresswithoutbreaks@example-organisation.org");
        await page.ClickAsync(".add-contribution[data-goal=G4]");
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#error-summary:not([hidden])");
        Assert.False(await form.ScrollsHorizontallyAsync(), "the error state scrolls horizontally at 320 px");
        await form.ScreenshotAsync("form-320-errors.png");

        await page.ClickAsync(".remove-contribution >> nth=-1");
        await form.Field("/goals/G1/contributions/0/title").FillAsync("Back to valid");
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.False(await form.ScrollsHorizontallyAsync(), "the receipt scrolls horizontally at 320 px");
        await form.ScreenshotAsync("form-320-receipt.png");
        form.AssertNoProblems();
    }

    [Fact]
    public async Task The_whole_form_transfers_at_most_150_KB()
    {
        var cycle = await host.CreateCycleAsync();
        var context = await host.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await using var form = new FormPage(context, page);
        var finished = new List<IRequest>();
        page.RequestFinished += (_, r) => { lock (finished) finished.Add(r); };

        await page.GotoAsync(host.FormUrl(host.Token(host.ActiveSignatories.ElementAt(13).Id, cycle.Id)));
        await form.WaitReadyAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        List<IRequest> done;
        lock (finished) done = finished.ToList();
        var (total, report) = await PageWeight.MeasureAsync(done);
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(BrowserFixture.Artifacts, "page-weight.txt"), report + "\n");
        Assert.Contains(finished, r => r.Url.Contains("/api/form/app.js", StringComparison.Ordinal));
        Assert.Contains(finished, r => r.Url.Contains("/api/countries", StringComparison.Ordinal));
        Assert.True(total <= 150 * 1024, $"the form transferred {total} bytes, more than 150 KB:\n{report}");
        form.AssertNoProblems();
    }
}
