using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nap.Storage;
using Nap.Submissions;

namespace Nap.Tests.Form;

/// <summary>The form in a real browser against the dev host on Azurite, as a signatory uses it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormEndToEndTests(BrowserFixture host)
{
    private const string C0 = "/goals/G1/contributions/0";

    private string Token(string signatoryId, string cycleId) => host.Token(signatoryId, cycleId);
    private string DutchSignatory(int skip) => host.ActiveSignatories.Where(s => s.Language == "nl").ElementAt(skip).Id;

    [Fact]
    public async Task Keyboard_only_full_submission_gives_a_receipt_and_is_stored_then_an_edit_becomes_version_two()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = DutchSignatory(0);
        await using var form = await host.OpenAsync(Token(signatory, cycle.Id));
        var page = form.Page;
        Assert.Equal("nl", await page.GetAttributeAsync("html", "lang"));
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);

        await form.TypeIntoAsync("#" + FormPage.Id("/contact/name"), "Fatima de Vries");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("fatima@example.org");
        await form.TabToAsync(".add-contribution[data-goal=G1]");
        await page.Keyboard.PressAsync("Enter");
        // Adding moves focus to the new contribution's title.
        Assert.True(await page.EvaluateAsync<bool>("id => document.activeElement.id === id", FormPage.Id(C0 + "/title")));
        await page.Keyboard.TypeAsync("Mediation training");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Two cohorts of women mediators.");
        await form.TabToAsync("#" + FormPage.Id(C0 + "/focus/international"));
        await page.Keyboard.PressAsync("Space");
        await form.TypeIntoAsync("#" + FormPage.Id(C0 + "/countries") + "-input", "Soedan");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("af");
        await page.Keyboard.PressAsync("Enter");
        await form.StatusContainsAsync("Afghanistan toegevoegd");
        await form.TabToAsync("#" + FormPage.Id(C0 + "/outcomes/G1.1"));
        await page.Keyboard.PressAsync("Space");
        await form.TypeIntoAsync("#" + FormPage.Id(C0 + "/indicator/G1.1.a/value"), "42");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("50");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Counted at sessions");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Women shaped the ceasefire text.");
        await form.TypeIntoAsync("#" + FormPage.Id(C0 + "/budgetSpentEur"), "12500,50");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Partner A");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Partner B");
        await form.TypeIntoAsync("#" + FormPage.Id("/goals/G1/narratives/highlights/text"), "The first cohort graduated.");
        await form.TypeIntoAsync("#" + FormPage.Id("/goals/G1/narratives/lessons/text"), "Start earlier with local partners.");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space");

        await form.AssertAccessibleAsync("filled form");
        await form.TabToAsync("#submit");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.Equal("1", await page.TextContentAsync("#receipt-version"));
        var sha = await page.TextContentAsync("#receipt-sha");
        Assert.Matches("^[0-9a-f]{64}$", sha);
        Assert.Matches(@"\d{1,2} \w+ \d{4}, \d{2}:\d{2} \(Nederlandse tijd\)", await page.TextContentAsync("#receipt-time"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'receipt'"));
        await form.ScreenshotAsync("form-receipt.png");
        // The printable summary: on paper only the receipt and what was sent.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.False(await page.Locator("#report").IsVisibleAsync());
        Assert.False(await page.Locator("#lang-switch").IsVisibleAsync());
        Assert.True(await page.Locator(".summary").IsVisibleAsync());
        Assert.Contains("Mediation training", await page.Locator(".summary").InnerTextAsync(), StringComparison.Ordinal);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        // Stored: the latest version is the one on the receipt, with what was typed.
        var mine = (await host.MineAsync(signatory, cycle.Id))!;
        Assert.Equal(1, (int)mine["receipt"]!["version"]!);
        Assert.Equal(sha, (string)mine["receipt"]!["sha256"]!);
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(StorageNames.SubmissionsTable);
        var latest = (await table.GetEntityAsync<TableEntity>(cycle.Id, TableSubmissionIndex.LatestKey(signatory))).Value;
        Assert.Equal(sha, latest.GetString("Sha256"));
        var c = mine["submission"]!["goals"]!["G1"]!["contributions"]![0]!;
        Assert.Equal("Fatima de Vries", (string)mine["submission"]!["contact"]!["name"]!);
        Assert.Equal("Mediation training", (string)c["title"]!);
        // The form gave the contribution its id when it was added.
        var id = (string)c["id"]!;
        Assert.Matches("^c-[0-9a-z]{8}$", id);
        Assert.Equal(["international"], c["focus"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["SD", "AF"], c["countries"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["G1.1"], c["outcomes"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(42m, (decimal)c["indicatorResults"]![0]!["value"]!);
        Assert.Equal(50m, (decimal)c["indicatorResults"]![0]!["target"]!);
        Assert.Equal("persons", (string)c["indicatorResults"]![0]!["unit"]!);
        Assert.Equal("G1.1.b", (string)c["indicatorResults"]![1]!["indicator"]!);
        Assert.Equal(12500.5m, (decimal)c["budgetSpentEur"]!);
        Assert.Equal(["Partner A", "Partner B"], c["partners"]!.AsArray().Select(x => (string)x!));
        // Stored as confidential: the link alone reads it back withheld (the form asks for the code, below).
        Assert.True((bool)mine["confidentialWithheld"]!);
        Assert.True((bool)mine["submission"]!["goals"]!["G1"]!["narratives"]!["lessons"]!["withheld"]!);
        // The draft is gone once the submission is stored.
        using (var client = host.SignatoryClient(signatory, cycle.Id))
            Assert.Null((await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!["draft"]);

        // Reload (the token survives in sessionStorage only), confirm with the emailed code (the report has a confidential
        // narrative), edit, submit: version 2 with If-Match "1", the confidential narrative kept.
        await host.ReloadVerifiedAsync(form, host.LinkContact(signatory));
        Assert.Equal("Start earlier with local partners.", await form.Field("/goals/G1/narratives/lessons/text").InputValueAsync());
        Assert.Contains("Versie 1", await page.TextContentAsync("#notice"), StringComparison.Ordinal);
        Assert.Equal("Mediation training", await form.Field(C0 + "/title").InputValueAsync());
        string? ifMatch = null;
        page.Request += (_, r) => { if (r.Method == "POST") ifMatch = r.Headers.GetValueOrDefault("if-match"); };
        await form.Field(C0 + "/title").FillAsync("Mediation training, second cohort");
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.Equal("2", await page.TextContentAsync("#receipt-version"));
        Assert.Equal("\"1\"", ifMatch);
        var edited = (await host.MineAsync(signatory, cycle.Id))!["submission"]!["goals"]!["G1"]!["contributions"]![0]!;
        Assert.Equal("Mediation training, second cohort", (string)edited["title"]!);
        Assert.Equal(id, (string)edited["id"]!); // the id survives edit → resubmit
        form.AssertNoProblems();
    }

    [Theory]
    [InlineData(true, "als te laat gemarkeerd")]
    [InlineData(false, "niet meer aangenomen")]
    public async Task After_the_deadline_the_form_says_whether_late_reports_are_accepted(bool acceptLate, string expected)
    {
        var cycle = await host.CreateCycleAsync(openedDaysAgo: 30, deadlineInDays: -2, acceptLate: acceptLate);
        await using var form = await host.OpenAsync(Token(DutchSignatory(9), cycle.Id));

        Assert.Contains(expected, await form.Page.TextContentAsync("#deadline-state"), StringComparison.Ordinal);
        Assert.Equal(acceptLate ? null : "true", await form.Page.GetAttributeAsync("#submit", "aria-disabled"));
        form.AssertNoProblems();
    }

    [Fact]
    public async Task Errors_are_summarised_linked_and_marked_at_their_fields_and_pass_axe()
    {
        var cycle = await host.CreateCycleAsync();
        await using var form = await host.OpenAsync(Token(DutchSignatory(1), cycle.Id));
        var page = form.Page;
        await page.ClickAsync(".add-contribution[data-goal=G1]");
        await form.Field("/contact/email").FillAsync("not-an-email");
        await page.ClickAsync("#submit");

        await page.WaitForSelectorAsync("#error-summary:not([hidden])");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'error-summary'"));
        var links = await page.Locator("#error-list a").EvaluateAllAsync<string[]>("as => as.map(a => a.dataset.pointer + ' ' + a.dataset.code)");
        Assert.Contains("/contact/name required", links);
        Assert.Contains("/contact/email invalid-email", links);
        Assert.Contains(C0 + "/title required", links);
        Assert.Contains(C0 + "/focus required", links);
        Assert.Contains(C0 + "/outcomes required", links);
        var email = form.Field("/contact/email");
        Assert.Equal("true", await email.GetAttributeAsync("aria-invalid"));
        var describedBy = (await email.GetAttributeAsync("aria-describedby"))!.Split(' ');
        Assert.Contains(FormPage.Id("/contact/email") + "-error", describedBy);
        Assert.Contains("geldig e-mailadres", await page.TextContentAsync("#" + FormPage.Id("/contact/email") + "-error"), StringComparison.Ordinal);
        await form.ScreenshotAsync("form-errors.png");
        await form.AssertAccessibleAsync("error state");

        // A summary link moves focus to its field.
        await page.Locator("#error-list a[data-pointer='/contact/email']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.EvaluateAsync<bool>("id => document.activeElement.id === id", FormPage.Id("/contact/email")));
        form.AssertNoProblems();
    }

    [Fact]
    public async Task When_the_draft_check_cannot_run_the_servers_refusal_of_the_submit_is_shown_at_its_field()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = DutchSignatory(2);
        var body = InvalidCases.Base;
        body["goals"]!["G1"]!["contributions"]![0]!["title"] = new string('t', 201);
        await host.PutDraftAsync(signatory, cycle.Id, body);
        await using var form = await host.OpenVerifiedAsync(signatory, cycle.Id);
        var page = form.Page;
        // The draft save that answers with the problems fails, so only the submit itself can catch the error.
        await page.RouteAsync("**/draft", async route =>
        {
            if (route.Request.Method == "PUT") await route.AbortAsync("connectionreset");
            else await route.ContinueAsync();
        });
        var posted = 0;
        page.Request += (_, r) => { if (r.Method == "POST") posted++; };

        await page.ClickAsync("#submit");

        await page.WaitForSelectorAsync("#error-summary:not([hidden])");
        Assert.Equal(1, posted);
        Assert.Equal(1, await page.Locator($"#error-list a[data-pointer='{C0}/title'][data-code='too-long']").CountAsync());
        Assert.Equal("true", await form.Field(C0 + "/title").GetAttributeAsync("aria-invalid"));
        Assert.Contains("Gebruik hoogstens 200 tekens", await page.TextContentAsync("#" + FormPage.Id(C0 + "/title") + "-error"), StringComparison.Ordinal);
        Assert.Null(await host.MineAsync(signatory, cycle.Id));
    }

    [Fact]
    public async Task A_draft_typed_in_one_browser_appears_in_another_and_nothing_stays_in_browser_storage()
    {
        var cycle = await host.CreateCycleAsync();
        var token = Token(DutchSignatory(3), cycle.Id);
        await using (var first = await host.OpenAsync(token))
        {
            await first.Page.ClickAsync(".add-contribution[data-goal=G3]");
            await first.Page.Keyboard.TypeAsync("Typed on the laptop");
            await first.Field("/contact/name").FocusAsync(); // leaving the goal saves at once
            await first.StatusContainsAsync("Concept opgeslagen om");
            Assert.Matches(@"Concept opgeslagen om \d{2}:\d{2}", await first.Page.TextContentAsync("#status"));
            var storage = await first.Page.EvaluateAsync<string[]>("() => [...Object.keys(sessionStorage), ...Object.keys(localStorage)]");
            Assert.Equal(["nap-token"], storage.Order());
            first.AssertNoProblems();
        }

        await using var second = await host.OpenAsync(token);
        Assert.Equal("Typed on the laptop", await second.Field("/goals/G3/contributions/0/title").InputValueAsync());
        Assert.Contains("teruggezet", await second.Page.TextContentAsync("#status"), StringComparison.Ordinal);

        // Without leaving the field, a pause in typing saves too.
        await second.Field("/goals/G3/contributions/0/title").PressAsync("End");
        await second.Page.Keyboard.TypeAsync(" and the phone");
        await second.StatusContainsAsync("Concept opgeslagen om");
        using (var client = host.SignatoryClient(DutchSignatory(3), cycle.Id))
        {
            var draft = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!["draft"]!;
            Assert.Equal("Typed on the laptop and the phone", (string)draft["submission"]!["goals"]!["G3"]!["contributions"]![0]!["title"]!);
        }

        // Leaving with a change not yet saved asks first.
        await second.Page.Keyboard.TypeAsync("!");
        await second.Page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        for (var i = 0; i < 100 && !second.Page.IsClosed; i++) await Task.Delay(50);
        Assert.Contains("beforeunload", second.Dialogs);
        second.AssertNoProblems();
    }

    [Fact]
    public async Task Language_defaults_to_the_signatory_and_switches_with_the_keyboard_keeping_what_was_typed()
    {
        var cycle = await host.CreateCycleAsync();
        var english = host.ActiveSignatories.First(s => s.Language == "en").Id;
        await using (var en = await host.OpenAsync(Token(english, cycle.Id)))
        {
            Assert.Equal("en", await en.Page.GetAttributeAsync("html", "lang"));
            Assert.Equal("Progress report", await en.Page.TextContentAsync("h1"));
        }

        await using var form = await host.OpenAsync(Token(DutchSignatory(4), cycle.Id));
        var page = form.Page;
        Assert.Equal("Voortgangsrapportage", await page.TextContentAsync("h1"));
        await page.ClickAsync(".add-contribution[data-goal=G2]");
        await page.Keyboard.TypeAsync("Analyse van programma's");
        await page.Locator("#lang-switch").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Progress report", await page.TextContentAsync("h1"));
        Assert.Equal("Title of the contribution", await page.TextContentAsync($"label[for={FormPage.Id("/goals/G2/contributions/0/title")}]"));
        Assert.Equal("Analyse van programma's", await form.Field("/goals/G2/contributions/0/title").InputValueAsync());
        Assert.Equal("Nederlands", await page.TextContentAsync("#lang-switch"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'lang-switch'"));
        Assert.EndsWith("privacy-en.html", await page.GetAttributeAsync("#privacy-link", "href"));
        Assert.Contains("Deadline", await page.TextContentAsync("#deadline"), StringComparison.Ordinal);

        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Voortgangsrapportage", await page.TextContentAsync("h1"));
        form.AssertNoProblems();
    }

    [Fact]
    public async Task Markup_in_a_report_is_shown_as_text_and_never_runs()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = DutchSignatory(5);
        const string attack = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
        var submission = InvalidCases.Base;
        submission["goals"]!["G1"]!["contributions"]![0]!["title"] = "Title " + attack;
        submission["goals"]!["G1"]!["narratives"]!["highlights"]!["text"] = "Highlight " + attack;
        submission["contact"]!["name"] = "</label><b>bold</b>";
        using (var client = host.SignatoryClient(signatory, cycle.Id))
            (await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(submission.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await using var form = await host.OpenVerifiedAsync(signatory, cycle.Id);
        var page = form.Page;
        Assert.Equal("Title " + attack, await form.Field(C0 + "/title").InputValueAsync());
        await form.Field("/goals/G1/narratives/challenges/text").FillAsync("Changed " + attack);
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");

        var summary = await page.TextContentAsync(".summary");
        Assert.Contains("Title " + attack, summary, StringComparison.Ordinal);
        Assert.Contains("Changed " + attack, summary, StringComparison.Ordinal);
        Assert.Contains("</label><b>bold</b>", summary, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("img[src=x], .summary script, .summary b").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        form.AssertNoProblems();
    }

    [Fact]
    public async Task A_stale_edit_is_refused_with_412_and_the_newer_version_can_be_loaded()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = DutchSignatory(6);
        using var otherContact = host.SignatoryClient(signatory, cycle.Id);
        var v1 = InvalidCases.Base;
        (await otherContact.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(v1.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await using var form = await host.OpenVerifiedAsync(signatory, cycle.Id);
        var page = form.Page;
        // Meanwhile another contact of the same organisation submits version 2.
        var v2 = InvalidCases.Base;
        v2["goals"]!["G1"]!["contributions"]![0]!["title"] = "Submitted by my colleague";
        (await otherContact.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(v2.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await form.Field(C0 + "/title").FillAsync("My own change");
        await page.ClickAsync("#submit");

        await page.WaitForSelectorAsync("#alert:not([hidden])");
        Assert.Contains("andere contactpersoon", await page.TextContentAsync("#alert"), StringComparison.Ordinal);
        Assert.Equal("My own change", await form.Field(C0 + "/title").InputValueAsync());
        await page.Locator("#load-latest").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await form.StatusContainsAsync("Versie 2 is geladen");
        Assert.Equal("Submitted by my colleague", await form.Field(C0 + "/title").InputValueAsync());
        Assert.Contains("Versie 2", await page.TextContentAsync("#notice"), StringComparison.Ordinal);

        // The refused edits are one click away; submitting them now builds on version 2.
        await page.ClickAsync("#load-draft");
        Assert.Equal("My own change", await form.Field(C0 + "/title").InputValueAsync());
        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.Equal("3", await page.TextContentAsync("#receipt-version"));
        form.AssertNoProblems();
    }

    [Fact]
    public async Task A_network_failure_says_so_keeps_the_data_and_the_retry_reuses_the_idempotency_key()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = DutchSignatory(7);
        await host.PutDraftAsync(signatory, cycle.Id, InvalidCases.Base);
        await using var form = await host.OpenVerifiedAsync(signatory, cycle.Id);
        var page = form.Page;
        var keys = new List<string>();
        page.Request += (_, r) => { if (r.Method == "POST") lock (keys) keys.Add(r.Headers["idempotency-key"]); };
        // The first post reaches the server and is stored, but its answer is lost on the way back.
        var first = true;
        await page.RouteAsync("**/submissions", async route =>
        {
            if (!first) { await route.ContinueAsync(); return; }
            first = false;
            await route.FetchAsync();
            await route.AbortAsync("connectionreset");
        });

        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#alert:not([hidden])");
        Assert.Contains("geen verbinding", await page.TextContentAsync("#alert"), StringComparison.Ordinal);
        Assert.Equal("Mediation training for women leaders", await form.Field(C0 + "/title").InputValueAsync());

        await page.ClickAsync("#submit");
        await page.WaitForSelectorAsync("#receipt:not([hidden])");
        Assert.Equal("1", await page.TextContentAsync("#receipt-version"));
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(1, (int)(await host.MineAsync(signatory, cycle.Id))!["receipt"]!["version"]!);
    }
}
