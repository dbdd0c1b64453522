using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>At least 1,000 generated bad bodies: every one gets a 4xx problem+json, never a 5xx, and nothing is stored.</summary>
public sealed class BadBodyFuzzTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    [Fact]
    public async Task A_thousand_bad_bodies_get_4xx_problem_json_and_nothing_is_stored()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(9).Id;
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var failures = new List<string>();
        var count = 0;
        foreach (var chunk in BadBodies.Generate(1040, seed: 1325).Chunk(8))
        {
            var results = await Task.WhenAll(chunk.Select(async body =>
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", content);
                return (body, response);
            }));
            foreach (var (body, response) in results)
            {
                count++;
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{status} for {Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
            }
        }
        Assert.True(count >= 1000);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.Empty(await host.Services.GetRequiredService<Nap.Submissions.ISubmissionIndex>().ListVersionsAsync(cycle.Id, signatory));
    }
}
