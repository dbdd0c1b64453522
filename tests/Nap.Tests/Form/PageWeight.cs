using Microsoft.Playwright;

namespace Nap.Tests.Form;

/// <summary>What a page transferred: the form's and the console's first-load budgets are asserted on it.</summary>
public static class PageWeight
{
    /// <summary>Bytes of the finished requests' responses (body and headers), and one line per request for the test output.</summary>
    public static async Task<(long Total, string Report)> MeasureAsync(IReadOnlyList<IRequest> finished)
    {
        long total = 0;
        var lines = new List<string>();
        foreach (var r in finished)
        {
            var sizes = await r.SizesAsync();
            var bytes = (long)sizes.ResponseBodySize + sizes.ResponseHeadersSize;
            total += bytes;
            lines.Add($"{bytes,8} B  {r.Method} {new Uri(r.Url).AbsolutePath}");
        }
        return (total, string.Join("\n", lines) + $"\n{total,8} B  total ({total / 1024.0:0.0} KB)");
    }
}
