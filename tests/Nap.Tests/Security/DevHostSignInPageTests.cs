using Nap.Tests.Form;

namespace Nap.Tests.Security;

/// <summary>The local sign-in page in a real browser: accessible, and signing in through it reaches /.auth/me.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DevHostSignInPageTests(BrowserFixture host)
{
    [Fact]
    public async Task The_local_sign_in_page_is_accessible_and_signs_in()
    {
        var context = await host.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await using var view = new FormPage(context, page);
        await page.GotoAsync(new Uri(host.BaseAddress, ".auth/login/aad?post_login_redirect_uri=/.auth/me").ToString());
        await view.AssertAccessibleAsync("local sign-in page");
        await view.ScreenshotAsync("devhost-sign-in.png");

        await page.FillAsync("#name", "Femke Browser");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/.auth/me");
        var me = await page.InnerTextAsync("body");
        Assert.Contains("Femke Browser", me);
        Assert.Contains("Nap.Coordinator", me);
        Assert.DoesNotContain("Nap.Confidential", me);
    }
}
