using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

/// <summary>A report with a confidential narrative: the form asks for the emailed code before it shows anything.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormVerificationTests(BrowserFixture host)
{
    private const string Secret = "Vertrouwelijk: Amina werkt vanuit Bukavu.";

    private async Task<FormPage> OpenUnverifiedAsync(string token)
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 900 } });
        var form = new FormPage(context, await context.NewPageAsync());
        await form.Page.GotoAsync(host.FormUrl(token));
        await form.Page.WaitForSelectorAsync("#verify-title");
        return form;
    }

    private static async Task WaitForErrorAsync(IPage page, string text) =>
        await page.WaitForFunctionAsync("t => document.getElementById('verify-error').textContent.includes(t)", text, new PageWaitForFunctionOptions { Timeout = 15_000 });

    [Fact]
    public async Task A_confidential_narrative_is_shown_only_after_the_right_code_and_five_wrong_codes_lock_it()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.Where(s => s.Language == "nl").ElementAt(8).Id;
        var submission = SampleSubmissions.Valid(11);
        var goal = submission["goals"]!.AsObject().First().Key;
        submission["goals"]![goal]!["narratives"]!["lessons"]!["text"] = Secret;
        using (var client = host.SignatoryClient(signatory, cycle.Id))
        {
            var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(submission.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var email = host.LinkContact(signatory);

        await using var form = await OpenUnverifiedAsync(host.Token(signatory, cycle.Id));
        var page = form.Page;
        // Nothing of the report is on the page yet, the confidential text least of all; focus is on the question.
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'verify-title'"));
        Assert.True(await page.Locator("#report").IsHiddenAsync());
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains("vertrouwelijke onderdelen", await page.InnerTextAsync("#verify"), StringComparison.Ordinal);
        await form.AssertAccessibleAsync("code question");
        // English too, with the keyboard.
        await page.Locator("#lang-switch").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Confirm it is you", await page.TextContentAsync("#verify-title"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Bevestig dat u het bent", await page.TextContentAsync("#verify-title"));

        // Keyboard only: ask for a code, then enter a wrong one five times.
        await form.TabToAsync("#verify-send");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#verify-code:visible");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'verify-code'"));
        var code = host.Mail.CodesTo(email).Single();
        var wrong = ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 7) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 1; i <= 4; i++)
        {
            await page.Keyboard.TypeAsync(wrong); // the field's text is selected after each answer: typing replaces it
            await page.Keyboard.PressAsync("Enter");
            await WaitForErrorAsync(page, $"nog {5 - i} keer");
        }
        Assert.Equal("true", await page.GetAttributeAsync("#verify-code", "aria-invalid"));
        await form.AssertAccessibleAsync("wrong code");
        await page.Keyboard.TypeAsync(wrong);
        await page.Keyboard.PressAsync("Enter");
        await WaitForErrorAsync(page, "werkt niet meer");
        // Locked: now even the right code is refused.
        var answer = await page.RunAndWaitForResponseAsync(async () =>
        {
            await page.Keyboard.TypeAsync(code);
            await page.Keyboard.PressAsync("Enter");
        }, r => r.Url.EndsWith("/verification/confirm", StringComparison.Ordinal));
        Assert.Equal(409, answer.Status);
        await WaitForErrorAsync(page, "werkt niet meer");
        Assert.True(await page.Locator("#report").IsHiddenAsync());
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

        // A new code, the right one: the form loads with the confidential narrative.
        await form.TabToAsync("#verify-send");
        await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Enter"), r => r.Url.EndsWith("/verification", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("() => document.activeElement.id === 'verify-code' && !document.getElementById('verify-error').textContent");
        Assert.Equal(2, host.Mail.CodesTo(email).Count);
        var fresh = host.Mail.CodesTo(email).Last();
        await page.Keyboard.TypeAsync(fresh);
        await page.Keyboard.PressAsync("Enter");
        await form.WaitReadyAsync();
        Assert.Equal(Secret, await form.Field($"/goals/{goal}/narratives/lessons/text").InputValueAsync());
        Assert.Equal(0, await page.Locator("#verify").CountAsync());
        await form.AssertAccessibleAsync("form after the code");

        // The verified session lasts the tab's session: a reload asks nothing.
        await form.ReloadAsync();
        Assert.Equal(Secret, await form.Field($"/goals/{goal}/narratives/lessons/text").InputValueAsync());
        Assert.DoesNotContain(fresh, await page.EvaluateAsync<string>("() => location.href"), StringComparison.Ordinal);
        form.AssertNoProblems();
    }
}
