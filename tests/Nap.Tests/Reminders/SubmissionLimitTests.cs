using Microsoft.Extensions.DependencyInjection;
using Nap.Api;
using Nap.Security;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Reminders;

/// <summary>
/// New versions per signatory per hour (Nap:SubmissionsPerSignatoryPerHour): a flood gets 429 with Retry-After and
/// stores nothing; a retry with the same Idempotency-Key is answered with its receipt, not counted; Graph (WireMock)
/// gets no more receipts than versions were stored.
/// </summary>
public sealed class SubmissionLimitTests
{
    private static readonly DateTimeOffset Morning = new(2027, 6, 8, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_flood_of_versions_stops_at_the_hourly_limit_and_idempotent_retries_do_not_count()
    {
        await using var world = await ReminderWorld.CreateAsync(Morning, all => all.Where(s => s.Id == "brug-foundation"), new Dictionary<string, string?>
        {
            ["Reminders:Coordinators"] = "",
            ["Nap:SubmissionsPerSignatoryPerHour"] = "3",
        });
        var cycle = await world.CreateCycleAsync(new DateOnly(2027, 6, 7), new DateTime(2027, 7, 12, 17, 0, 0));
        var token = await world.Services.GetRequiredService<SignatoryLinks>().IssueAsync("brug-foundation", cycle.Id);
        var caller = await world.Services.GetRequiredService<AccessGuard>().AuthenticateSignatoryAsync(token);
        var service = world.Services.GetRequiredService<SubmissionService>();
        Task<SubmitResult> Submit(int seed, string key) => service.SubmitAsync(new SubmitRequest(cycle.Id, caller, "application/json",
            System.Text.Encoding.UTF8.GetBytes(SampleSubmissions.Valid(seed).ToJsonString()), key, null));

        for (var i = 1; i <= 3; i++)
        {
            world.SetTime(Morning.AddMinutes(i));
            Assert.True((await Submit(i, $"key-{i}")).Created);
        }
        // The retry of the third (same key, same bytes) and of the first (same key): answered, not counted, nothing new.
        Assert.False((await Submit(3, "key-3")).Created);
        Assert.Equal(1, (await Submit(1, "key-1")).Receipt.Version);

        await world.Background.WhenIdleAsync();
        var receipts = world.Graph.Accepted().Count;
        Assert.True(receipts > 0, "the stored versions got receipts");

        world.SetTime(Morning.AddMinutes(10));
        var flood = new List<ProblemException>();
        for (var i = 4; i <= 8; i++)
            flood.Add(await Assert.ThrowsAsync<ProblemException>(() => Submit(i, $"key-{i}")));
        Assert.All(flood, p => Assert.Equal(429, p.Problem.Status));
        Assert.All(flood, p => Assert.Equal(51 * 60, p.Problem.RetryAfterSeconds)); // the first of the three leaves the hour at 07:01
        Assert.Equal(3, (await world.Services.GetRequiredService<ISubmissionIndex>().ListVersionsAsync(cycle.Id, "brug-foundation")).Count);
        await world.Background.WhenIdleAsync();
        Assert.Equal(receipts, world.Graph.Accepted().Count); // the refused flood sent nothing

        // An hour after the first, one more fits.
        world.SetTime(Morning.AddMinutes(61).AddSeconds(1));
        Assert.Equal(4, (await Submit(9, "key-9")).Receipt.Version);
        await world.Background.WhenIdleAsync();
        Assert.True(world.Graph.Accepted().Count > receipts, "the version stored after the hour got its receipt");
    }
}
