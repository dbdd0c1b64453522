using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Form;
using Nap.Tests.Infrastructure;

// Namespace StaffConsole, not Console: a Nap.Tests.Console namespace would capture every Console.WriteLine in the tests.
namespace Nap.Tests.StaffConsole;

/// <summary>
/// An admin imports signatories through the console's Registry panel in Chromium: the preview lists every problem by
/// row and writes nothing; the fixed file previews clean and applies. It adds signatories to the shared registry, so
/// it runs with the other registry writers, on a host and browser of its own.
/// </summary>
[Collection(RegistryWriters.Name)]
public sealed class ConsoleImportTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Admin = [StaffRoles.Admin, StaffRoles.Reader];

    private static string Csv(params string[] rows) =>
        string.Join("\r\n", ["id;name;kind;language;active;contact_name;contact_email;contact_role", .. rows, ""]);

    private static FilePayload File(string name, string csv) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) };

    private async Task<HashSet<string>> ListedIdsAsync()
    {
        using var reader = host.StaffClient(StaffRoles.Reader);
        var list = (await reader.GetFromJsonAsync<JsonObject>("api/signatories"))!;
        return list["signatories"]!.AsArray().Select(s => (string)s!["id"]!).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public async Task An_admin_previews_a_csv_with_two_bad_rows_sees_both_by_row_nothing_written_then_fixes_and_imports_it()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string a = $"import-a-{run}", b = $"import-b-{run}", c = $"import-c-{run}";
        var bad = Csv(
            $"{a};Stichting Import A;other;nl;true;Anna Import;{a}@example.org;primary",
            $"{b};Stichting Import B;club;nl;true;Bert Import;{b}@example.org;primary",
            $"{c};Stichting Import C;other;en;true;Cees Import;no-address;primary");
        var registry = host.Services.GetRequiredService<ISignatoryRegistry>();

        await using var console = await host.OpenConsoleAsync(Admin, "#registry");
        var page = console.Page;
        var form = page.Locator("form.import");
        var result = form.Locator(".import-result");

        // The admin picks the file; the panel reads it into the text box and previews it.
        await form.Locator("input[type=file]").SetInputFilesAsync(File("signatories.csv", bad));
        await Assertions.Expect(form.Locator("textarea[name=content]")).ToHaveValueAsync(bad.Replace("\r\n", "\n"));
        await form.Locator("button[data-action=preview]").ClickAsync();
        await Assertions.Expect(result.Locator("[role=alert]")).ToContainTextAsync("2 problems found. Nothing was stored.");

        // Both problems, each by its row (the header is row 1) and its field; the admin cannot apply.
        var problems = result.Locator("table tbody tr");
        await Assertions.Expect(problems).ToHaveCountAsync(2);
        Assert.Equal("3", (await problems.Nth(0).Locator("th").TextContentAsync())!.Trim());
        Assert.Equal("/3/kind", (await problems.Nth(0).Locator("code").TextContentAsync())!.Trim());
        Assert.Equal("4", (await problems.Nth(1).Locator("th").TextContentAsync())!.Trim());
        Assert.Equal("/4/contact_email", (await problems.Nth(1).Locator("code").TextContentAsync())!.Trim());
        Assert.False(await form.Locator("button[data-action=apply]").IsVisibleAsync(), "a preview with problems offers no import");
        await console.AssertAccessibleAsync("registry (import preview with problems)");

        // Nothing was written: not even the good row, neither in the API's list nor in the registry.
        var listed = await ListedIdsAsync();
        Assert.DoesNotContain(a, listed);
        Assert.DoesNotContain(b, listed);
        Assert.DoesNotContain(c, listed);
        foreach (var id in new[] { a, b, c }) Assert.Null(await registry.ReadAsync(id));
        Assert.Equal(0, await page.Locator($"main tr[data-id^=\"import-\"][data-id$=\"-{run}\"]").CountAsync());

        // The fixed file previews clean and offers the import.
        var good = Csv(
            $"{a};Stichting Import A;other;nl;true;Anna Import;{a}@example.org;primary",
            $"{b};Stichting Import B;civil-society-organisation;nl;true;Bert Import;{b}@example.org;primary",
            $"{c};Stichting Import C;other;en;true;Cees Import;{c}@example.org;primary");
        await form.Locator("input[type=file]").SetInputFilesAsync(File("signatories-fixed.csv", good));
        await form.Locator("button[data-action=preview]").ClickAsync();
        await Assertions.Expect(result.Locator("[role=status]")).ToContainTextAsync("3 rows without problems: 3 new, 0 changed");
        await Assertions.Expect(result.Locator("table")).ToHaveCountAsync(0);
        foreach (var id in new[] { a, b, c }) Assert.Null(await registry.ReadAsync(id));

        await form.Locator("button[data-action=apply]").ClickAsync();
        await Assertions.Expect(result.Locator(".success")).ToContainTextAsync("Imported: 3 new, 0 changed");

        // The panel shows them once it reloads the list; the API and the registry have them as imported.
        foreach (var id in new[] { a, b, c })
            await Assertions.Expect(page.Locator($"main tr[data-id=\"{id}\"]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        listed = await ListedIdsAsync();
        Assert.Contains(a, listed);
        Assert.Contains(b, listed);
        Assert.Contains(c, listed);
        var imported = (await registry.ReadAsync(b))!;
        Assert.Equal("Stichting Import B", imported.Name);
        Assert.Equal(SignatoryKind.CivilSocietyOrganisation, imported.Kind);
        Assert.Equal($"{c}@example.org", (await registry.ReadAsync(c))!.Contacts.Single().Email);
        console.AssertNoProblems();
    }
}
