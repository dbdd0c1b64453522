using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nap.Security;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

/// <summary>The coordinators' review as the signatory meets it in the form: returned, waiting for review, accepted.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormReviewTests(BrowserFixture host)
{
    private const string Reason = "Het aantal deelnemers ontbreekt nog.";
    private const string Visible = "Vul bij deze bijdrage het aantal deelnemers in.";
    private const string Internal = "CANARY-INTERNAL-source-is-Halima";

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private string DutchSignatory(int skip) => host.ActiveSignatories.Where(s => s.Language == "nl").ElementAt(skip).Id;

    private static async Task<string> ReviewAsync(HttpClient coordinator, string path, JsonObject body)
    {
        var etag = (await coordinator.GetAsync(path)).Headers.ETag!.ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await coordinator.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer);
        return answer;
    }

    [Fact]
    public async Task A_returned_report_shows_the_reason_and_comment_at_its_contribution_then_waits_for_review_and_is_accepted()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = DutchSignatory(6);
        var submission = SampleSubmissions.Valid(3);
        // Nothing confidential here: reading it back needs no code (that is the verification tests' subject).
        foreach (var (_, g) in submission["goals"]!.AsObject()) g!["narratives"]!["lessons"]!["confidential"] = false;
        string goal, contribution;
        using (var client = host.SignatoryClient(signatory, cycle.Id))
        {
            var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(submission));
            var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            goal = ((JsonObject)receipt["contributionIds"]!).First().Key;
            contribution = (string)receipt["contributionIds"]![goal]![0]!;
        }
        var path = $"api/cycles/{cycle.Id}/signatories/{signatory}/review";
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        var deadline = cycle.Deadline.AddDays(10);
        await ReviewAsync(coordinator, path, new JsonObject
        {
            ["action"] = "return", ["version"] = 1, ["reason"] = Reason,
            ["revisionDeadline"] = deadline.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["comments"] = new JsonArray(
                new JsonObject { ["pointer"] = $"/goals/{goal}/contributions/{contribution}", ["text"] = Visible, ["visibility"] = "signatory" },
                new JsonObject { ["pointer"] = $"/goals/{goal}", ["text"] = Internal, ["visibility"] = "internal" }),
        });

        await using var form = await host.OpenAsync(host.Token(signatory, cycle.Id));
        var page = form.Page;
        // The reason and revision deadline at the top; the comment inside the contribution it names; focus on it.
        var top = await page.InnerTextAsync("#review-state");
        Assert.Contains("Teruggestuurd voor aanpassing", top, StringComparison.Ordinal);
        Assert.Contains(Reason, top, StringComparison.Ordinal);
        Assert.Contains(deadline.Day.ToString(CultureInfo.InvariantCulture) + " ", await page.InnerTextAsync("#review-deadline"), StringComparison.Ordinal);
        Assert.Equal(Visible, await page.InnerTextAsync($".contribution[data-id='{contribution}'] #review-comment-1 .review-comment-text"));
        Assert.Equal($"goal-{goal}", await page.EvaluateAsync<string>("() => document.getElementById('review-comment-1').closest('.section').id"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'review-comment-1'"));
        Assert.Equal(1, await page.Locator(".review-comment").CountAsync());
        // The internal comment is nowhere in the page, not even hidden.
        Assert.DoesNotContain(Internal, await page.ContentAsync(), StringComparison.Ordinal);
        await form.AssertAccessibleAsync("returned form");
        await form.ScreenshotAsync("form-returned.png");

        // Keyboard only: from the comment into the contribution's title, revise, submit.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("id => document.activeElement.id === id", FormPage.Id($"/goals/{goal}/contributions/0/title")));
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" (met deelnemers)");
        await form.TabToAsync("#submit");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.Equal("2", await page.TextContentAsync("#receipt-version"));
        Assert.Contains("Wacht op beoordeling", await page.InnerTextAsync("#review-state"), StringComparison.Ordinal);
        Assert.Contains("wacht op beoordeling", await page.InnerTextAsync("#receipt-review"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".review-comment").CountAsync());
        await form.AssertAccessibleAsync("receipt waiting for review");
        Assert.Equal("resubmitted", (string)(await host.MineAsync(signatory, cycle.Id))!["review"]!["state"]!);

        // Reopened later: still waiting; after the coordinator accepts: accepted, and a new version may still be sent.
        await form.ReloadAsync();
        Assert.Contains("Versie 2 is ontvangen en wacht op beoordeling", await page.InnerTextAsync("#review-state"), StringComparison.Ordinal);
        await ReviewAsync(coordinator, path, new JsonObject { ["action"] = "accept", ["version"] = 2 });
        await form.ReloadAsync();
        var accepted = await page.InnerTextAsync("#review-state");
        Assert.Contains("Geaccepteerd", accepted, StringComparison.Ordinal);
        Assert.Contains("opnieuw beoordeeld", accepted, StringComparison.Ordinal);
        Assert.Null(await page.GetAttributeAsync("#submit", "aria-disabled"));
        await page.Locator("#lang-switch").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Contains("The coordinators have accepted version 2", await page.InnerTextAsync("#review-state"), StringComparison.Ordinal);
        await form.AssertAccessibleAsync("accepted form (English)");
        form.AssertNoProblems();
    }
}
