using System.Text;
using System.Text.RegularExpressions;

namespace Nap.Infra.Tests;

/// <summary>
/// The README and docs/*.md as a newcomer reads them: every relative link and #anchor resolves (GitHub's heading
/// slugs), the README stays short and starts with the same two commands CI runs.
/// </summary>
public sealed partial class DocumentationTests
{
    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string> { "README.md" };
        foreach (var file in Directory.GetFiles(Repo.Path("docs"), "*.md").Order(StringComparer.Ordinal))
            data.Add(System.IO.Path.GetRelativePath(Repo.Root, file).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_and_anchor_resolves(string document)
    {
        var path = Repo.Path(document);
        var problems = new List<string>();
        foreach (var (line, target) in Links(File.ReadAllText(path)))
        {
            if (UriScheme().IsMatch(target)) continue;
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash >= 0 ? target[..hash] : target;
            var anchor = hash >= 0 ? Uri.UnescapeDataString(target[(hash + 1)..]) : null;
            var resolved = file.Length == 0 ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                problems.Add($"line {line}: '{target}': no file {System.IO.Path.GetRelativePath(Repo.Root, resolved)}");
                continue;
            }
            if (anchor is null) continue;
            if (!resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"line {line}: '{target}': an anchor into a file that is not Markdown");
                continue;
            }
            if (!Anchors(File.ReadAllText(resolved)).Contains(anchor))
                problems.Add($"line {line}: '{target}': no heading with the anchor #{anchor} in {System.IO.Path.GetRelativePath(Repo.Root, resolved)}");
        }
        Assert.True(problems.Count == 0, $"{document}:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_slugs_follow_GitHub()
    {
        Assert.Equal(["microsoft-graph-grants-once-after-the-first-deployment", "azd-up", "settings", "settings-1", "the-signatories-web-form", "a_b-c----d"],
            Anchors("## Microsoft Graph grants (once, after the first deployment)\n### `azd up`\n# Settings\n## Settings\n" +
                    "```\n# not a heading\n```\n## The signatories' web form\n## A_b-C -- D?\n"));
    }

    [Fact]
    public void The_link_checker_finds_links_outside_code_only()
    {
        var links = Links("See [a](a.md#x) and ![img](images/p.png).\n`[not](code.md)`\n```\n[not](fenced.md)\n```\n[b](<b c.md>) [c](https://example.org)")
            .Select(l => l.Target);
        Assert.Equal(["a.md#x", "images/p.png", "b c.md", "https://example.org"], links);
    }

    [Fact]
    public void The_readme_fits_on_a_screen_and_starts_with_the_commands_ci_runs()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        Assert.True(Encoding.UTF8.GetByteCount(readme) <= 10 * 1024, $"README.md is {Encoding.UTF8.GetByteCount(readme)} bytes; move detail to docs/.");
        Assert.Contains("```bash\n./tools/run-local.sh\n./tools/test.sh\n```", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("./tools/test.sh", File.ReadAllText(Repo.Path(".ci", "run")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void No_line_is_left_from_a_broken_regex_replacement(string document)
    {
        var broken = File.ReadAllLines(Repo.Path(document)).Select((l, i) => (l, i + 1)).Where(x => BackReference().IsMatch(x.l)).Select(x => x.Item2);
        Assert.Empty(broken);
    }

    /// <summary>Inline links and images outside code spans and fenced blocks, with their line numbers.</summary>
    internal static IEnumerable<(int Line, string Target)> Links(string markdown)
    {
        var inFence = false;
        var lineNumber = 0;
        foreach (var raw in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal)) { inFence = !inFence; continue; }
            if (inFence) continue;
            var line = CodeSpan().Replace(raw, "");
            foreach (Match m in InlineLink().Matches(line))
            {
                var target = m.Groups["angle"].Success ? m.Groups["angle"].Value : m.Groups["plain"].Value;
                yield return (lineNumber, target);
            }
        }
    }

    /// <summary>The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats.</summary>
    internal static List<string> Anchors(string markdown)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { inFence = !inFence; continue; }
            if (inFence) continue;
            var heading = Heading().Match(line);
            if (!heading.Success) continue;
            var text = MarkdownLink().Replace(heading.Groups[1].Value.Trim(), "$1");
            var slug = new StringBuilder();
            foreach (var c in text.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            }
            var baseSlug = slug.ToString();
            var final = seen.TryGetValue(baseSlug, out var n) ? $"{baseSlug}-{n}" : baseSlug;
            seen[baseSlug] = n + 1;
            anchors.Add(final);
        }
        return anchors;
    }

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[[^\]]*\]\((?:<(?<angle>[^>]+)>|(?<plain>[^)\s]+))(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^\\\d")]
    private static partial Regex BackReference();
}
