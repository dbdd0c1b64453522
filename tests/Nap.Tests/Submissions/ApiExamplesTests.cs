using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>docs/api.http is the newcomer's tour of the API: it has a request for every HTTP route the Worker SDK
/// generated into functions.metadata, and each request says which status to expect.</summary>
public sealed partial class ApiExamplesTests
{
    private static readonly string ApiHttp = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "api.http"));

    /// <summary>Every (method, route) of an HTTP trigger in the built functions.metadata.</summary>
    public static TheoryData<string, string> HttpRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var function in JsonNode.Parse(File.ReadAllText(DevHostFixture.MetadataFile))!.AsArray())
        {
            foreach (var binding in function!["bindings"]!.AsArray().Where(b => (string)b!["type"]! == "httpTrigger"))
            {
                foreach (var method in binding!["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()).Where(m => m != "HEAD"))
                    data.Add(method, (string)binding["route"]!);
            }
        }
        return data;
    }

    private static List<(string Title, string? Expect, string Method, string Path)> Requests()
    {
        var requests = new List<(string, string?, string, string)>();
        foreach (var block in ApiHttp.ReplaceLineEndings("\n").Split("\n###").Skip(1))
        {
            var lines = block.Split('\n');
            var expect = lines.FirstOrDefault(l => l.StartsWith("# expect:", StringComparison.Ordinal));
            var requestLine = lines.Skip(1).Select(l => RequestLine().Match(l)).First(m => m.Success);
            requests.Add((lines[0].Trim(), expect, requestLine.Groups["method"].Value, requestLine.Groups["path"].Value));
        }
        return requests;
    }

    [Fact]
    public void The_file_has_requests_to_check()
    {
        Assert.True(Requests().Count >= 20);
        Assert.True(HttpRoutes().Count() >= 19);
    }

    [Theory]
    [MemberData(nameof(HttpRoutes))]
    public void Every_http_route_has_an_example(string method, string route)
    {
        // A route parameter is a {{variable}} or a literal segment; the base variable stands for …/api.
        var pattern = new Regex("^" + string.Join("/", route.Split('/').Select(segment =>
            RouteParameter().IsMatch(segment) ? @"(\{\{\w+\}\}|[^/{}?#\s]+)" : Regex.Escape(segment))) + @"(\?\S*)?$");
        Assert.Contains(Requests(), r => r.Method == method && pattern.IsMatch(r.Path));
    }

    [Fact]
    public void Every_example_says_which_status_to_expect()
    {
        var missing = Requests().Where(r => r.Expect is null || !ExpectedStatus().IsMatch(r.Expect)).Select(r => r.Title);
        Assert.Empty(missing);
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|DELETE|PATCH|HEAD) \{\{base\}\}/(?<path>\S+)$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^\{\w+\}$")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"^# expect: [1-5]\d\d\b")]
    private static partial Regex ExpectedStatus();
}
