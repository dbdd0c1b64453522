using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Form;

/// <summary>The server half of the shared invalid-case table: every case is refused with its pointer and code.</summary>
public sealed class InvalidCaseTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static readonly SemaphoreSlim CycleGate = new(1, 1);
    private static string? _cycleId;

    private async Task<string> CycleAsync()
    {
        await CycleGate.WaitAsync();
        try { return _cycleId ??= (await host.CreateCycleAsync()).Id; }
        finally { CycleGate.Release(); }
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public void The_table_has_at_least_thirty_cases_each_changing_the_base()
    {
        Assert.True(InvalidCases.All.Count >= 30, $"only {InvalidCases.All.Count} cases");
        var baseJson = InvalidCases.Base.ToJsonString();
        Assert.All(InvalidCases.All, c => Assert.NotEqual(baseJson, c.Json));
    }

    [Fact]
    public async Task The_base_submission_is_valid()
    {
        var cycle = await CycleAsync();
        using var client = host.SignatoryClient(host.ActiveSignatories.ElementAt(2).Id, cycle);
        var response = await client.PostAsync($"api/cycles/{cycle}/submissions", Json(InvalidCases.Base));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(InvalidCases.Names), MemberType = typeof(InvalidCases))]
    public async Task Server_refuses_the_case_at_its_pointer(string name)
    {
        var c = InvalidCases.Named(name);
        var cycle = await CycleAsync();
        using var client = host.SignatoryClient(host.ActiveSignatories.ElementAt(3).Id, cycle);

        var response = await client.PostAsync($"api/cycles/{cycle}/submissions", new StringContent(c.Json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var errors = problem["errors"]!.AsArray().Select(e => ((string)e!["pointer"]!, (string)e["code"]!)).ToList();
        Assert.Contains((c.Pointer, c.Code), errors);
    }
}
