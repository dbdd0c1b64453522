using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nap.Api;
using Nap.Reminders;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>
/// POST /api/links under a flood: per client address per hour and per instance per minute, each a 429 with Retry-After
/// before any look-up, and Graph (WireMock) receives no more link emails than the limits allow.
/// </summary>
public sealed class LinkRequestLimitTests
{
    private static readonly DateTimeOffset OpeningMorning = new(2027, 6, 7, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_flood_from_one_client_and_from_many_gets_429_and_graph_only_the_allowed_emails()
    {
        await using var world = await ReminderWorld.CreateAsync(OpeningMorning, all => all.Where(s => s.Id == "brug-foundation"), new Dictionary<string, string?>
        {
            ["Reminders:Coordinators"] = "",
            ["Reminders:LinkRequestsPerHour"] = "100", // the per-address limit out of the way: only the new limits count
            ["Reminders:LinkRequestsPerClientPerHour"] = "2",
            ["Reminders:LinkRequestsPerInstancePerMinute"] = "3",
        });
        var cycle = await world.CreateCycleAsync(new DateOnly(2027, 6, 7), new DateTime(2027, 7, 12, 17, 0, 0));
        var links = world.Services.GetRequiredService<ReminderLinks>();
        var address = world.Signatories.Single(s => s.Id == "brug-foundation").Contacts.Single(c => c.Role == ContactRole.Primary).Email;

        async Task<int?> Ask(string client)
        {
            try { await links.RequestAsync(address, client); return null; }
            catch (ProblemException p) when (p.Problem.Status == 429) { return p.Problem.RetryAfterSeconds; }
        }

        // One client: two an hour, then 429 until the next clock hour.
        var fromOne = new List<int?>();
        for (var i = 0; i < 6; i++) fromOne.Add(await Ask("203.0.113.7"));
        Assert.Equal([null, null, 3600, 3600, 3600, 3600], fromOne);
        // Other clients: the instance takes three a minute, all clients together.
        Assert.Null(await Ask("198.51.100.1"));
        world.SetTime(OpeningMorning.AddSeconds(15));
        Assert.Equal(45, await Ask("198.51.100.2"));
        Assert.Equal(45, await Ask("198.51.100.3"));
        await world.Background.WhenIdleAsync();
        Assert.Equal(3, world.Graph.Accepted().Count);
        Assert.All(world.Graph.Accepted(), r => Assert.Equal([address], r.To));

        // A new minute lets another client in; a new hour the first one again.
        world.SetTime(OpeningMorning.AddMinutes(1));
        Assert.Null(await Ask("198.51.100.2"));
        Assert.Equal(3540, await Ask("203.0.113.7"));
        world.SetTime(OpeningMorning.AddHours(1));
        Assert.Null(await Ask("203.0.113.7"));
        await world.Background.WhenIdleAsync();
        Assert.Equal(5, world.Graph.Accepted().Count);
        Assert.NotNull(cycle);
    }

    [Theory]
    [InlineData("203.0.113.7:51234, 10.0.0.1", null, "203.0.113.7")]
    [InlineData("203.0.113.7", null, "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", null, "2001:db8::1")]
    [InlineData("2001:db8::2", null, "2001:db8::2")]
    [InlineData(null, "::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("not an address", "192.0.2.5", "192.0.2.5")]
    [InlineData("", null, "unknown")]
    public void The_client_is_the_first_forwarded_hop_else_the_connection(string? forwardedFor, string? connection, string expected) =>
        Assert.Equal(expected, LinkRequestLimits.ClientAddress(forwardedFor, connection is null ? null : IPAddress.Parse(connection)));
}
