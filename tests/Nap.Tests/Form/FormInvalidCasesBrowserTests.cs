namespace Nap.Tests.Form;

/// <summary>
/// The browser half of the shared invalid-case table: each case the form can hold, loaded into the form as a draft, is
/// caught before anything is submitted (the draft save answers with the parser's problems; no POST is sent), with the
/// server's pointer and code, named in the summary and marked at its field.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FormInvalidCasesBrowserTests(BrowserFixture host)
{
    [Fact]
    public async Task Every_invalid_case_is_named_in_the_summary_and_marked_at_its_field_before_anything_is_sent()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(12).Id;
        await host.PutDraftAsync(signatory, cycle.Id, InvalidCases.Base);
        // The base case has a confidential contribution: the code once, then the tab's session covers every reload.
        await using var form = await host.OpenVerifiedAsync(signatory, cycle.Id);
        var page = form.Page;
        var posts = 0;
        page.Request += (_, r) => { if (r.Method == "POST") posts++; };

        var failures = new List<string>();
        var formCases = InvalidCases.All.Where(c => c.Form).ToList();
        Assert.True(formCases.Count >= 30, $"only {formCases.Count} cases the form can hold");
        foreach (var c in formCases)
        {
            await host.PutDraftAsync(signatory, cycle.Id, c.Submission);
            await form.ReloadAsync();
            await page.ClickAsync("#submit");
            await page.WaitForSelectorAsync("#error-summary:not([hidden])");

            var summary = await page.Locator("#error-list a").EvaluateAllAsync<string[]>("as => as.map(a => a.dataset.pointer + ' ' + a.dataset.code)");
            if (!summary.Contains(c.Pointer + " " + c.Code))
            {
                failures.Add($"{c.Name}: summary has [{string.Join(", ", summary)}], expected {c.Pointer} {c.Code}");
                continue;
            }
            var marked = await page.EvaluateAsync<string?>("""
                f => {
                  const w = [...document.querySelectorAll('#fields [data-pointer]')].find(e => e.dataset.pointer === f);
                  if (!w) return 'no element for the field';
                  if (!w.classList.contains('has-error')) return 'field not marked';
                  const msg = w.querySelector(':scope > .error-message');
                  if (!msg || msg.hidden || !msg.textContent.trim()) return 'no error text at the field';
                  const link = [...document.querySelectorAll('#error-list a')].find(a => a.dataset.pointer.startsWith(f));
                  const target = document.getElementById(link.getAttribute('href').slice(1));
                  if (!target || !w.contains(target)) return 'summary link does not lead into the field';
                  const input = w.dataset.focus ? document.getElementById(w.dataset.focus) : w.querySelector(':scope > input:not([type=checkbox]), :scope > textarea');
                  if (input && input.getAttribute('aria-invalid') !== 'true') return 'input not aria-invalid';
                  const described = (input || w).getAttribute('aria-describedby') || '';
                  if (!described.split(' ').includes(msg.id)) return 'error text not tied to the field';
                  return null;
                }
                """, c.Field);
            if (marked is not null) failures.Add($"{c.Name}: {marked}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {formCases.Count} cases failed in the browser:\n" + string.Join("\n", failures));
        Assert.Equal(0, posts);
        form.AssertNoProblems();
    }
}
