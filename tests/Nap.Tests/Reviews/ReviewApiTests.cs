using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Nap.Audit;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Tests.Infrastructure;
using Nap.Tests.Reminders;

namespace Nap.Tests.Reviews;

/// <summary>Reviews over HTTP on the dev host, with staff principals, WireMock as Graph and a fake clock.</summary>
public sealed class ReviewApiTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    private const string Signatory = "brug-foundation";
    private const string Reason = "CANARY-REASON-Amina-in-Bukavu";
    private const string Internal = "CANARY-INTERNAL-source-is-Halima";
    private const string Visible = "Please add the number of participants.";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
    private static StringContent Json(JsonNode body) => Json(body.ToJsonString());

    private async Task<JsonObject> SubmitAsync(string cycleId, int seed)
    {
        using var signatory = host.SignatoryClient(Signatory, cycleId);
        var response = await signatory.PostAsync($"api/cycles/{cycleId}/submissions", Json(SampleSubmissions.Valid(seed)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<(HttpResponseMessage Response, JsonObject Body)> SendAsync(HttpClient client, string path, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(System.Text.Json.JsonSerializer.SerializeToNode(body)!) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await client.SendAsync(request);
        return (response, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static void Status(HttpResponseMessage response, HttpStatusCode expected, JsonObject body)
    {
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {body.ToJsonString()}");
        if ((int)expected >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<List<TableEntity>> AuditRowsAsync(string cycleId)
    {
        var table = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(AuditStorageNames.AuditTable);
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycleId}"))) rows.Add(e);
        return rows;
    }

    [Fact]
    public async Task Return_resubmit_accept_reopen_with_etags_versions_comments_email_and_status()
    {
        var cycle = await host.CreateScopedCycleAsync(deadlineInDays: 20);
        var receipt = await SubmitAsync(cycle.Id, 1);
        var goal = ((JsonObject)receipt["contributionIds"]!).First().Key;
        var contribution = (string)receipt["contributionIds"]![goal]![0]!;
        var path = $"api/cycles/{cycle.Id}/signatories/{Signatory}/review";
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        using var reader = host.StaffClient(StaffRoles.Reader);

        var first = await reader.GetAsync(path);
        var firstBody = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Status(first, HttpStatusCode.OK, firstBody);
        Assert.Equal(("submitted", 1), ((string)firstBody["state"]!, (int)firstBody["version"]!));
        var etag = first.Headers.ETag!.ToString();
        Assert.Equal(etag, (string)firstBody["etag"]!);

        // A reader may look but not judge.
        var (refused, refusedBody) = await SendAsync(reader, path, new { action = "accept", version = 1 });
        Status(refused, HttpStatusCode.Forbidden, refusedBody);

        var deadline = cycle.Deadline.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var returnBody = new
        {
            action = "return", version = 1, reason = Reason, revisionDeadline = deadline,
            comments = new object[]
            {
                new { pointer = $"/goals/{goal}/contributions/{contribution}", text = Visible, visibility = "signatory" },
                new { pointer = $"/goals/{goal}", text = Internal, visibility = "internal" },
            },
        };
        var (returned, returnedBody) = await SendAsync(coordinator, path, returnBody, etag);
        Status(returned, HttpStatusCode.OK, returnedBody);
        Assert.Equal("returned", (string)returnedBody["state"]!);
        Assert.Equal(deadline, (string)returnedBody["revisionDeadline"]!);
        Assert.NotEqual(etag, returned.Headers.ETag!.ToString());

        // The same ETag again is stale; the old state's moves are refused.
        var (stale, staleBody) = await SendAsync(coordinator, path, new { action = "accept", version = 1 }, etag);
        Status(stale, HttpStatusCode.PreconditionFailed, staleBody);
        var (illegal, illegalBody) = await SendAsync(coordinator, path, new { action = "accept", version = 1 }, returned.Headers.ETag!.ToString());
        Status(illegal, HttpStatusCode.Conflict, illegalBody);
        Assert.Equal("urn:nap1325:problem:illegal-review-move", (string)illegalBody["type"]!);

        // The revision deadline is this signatory's extension.
        var settings = await host.Cycles.FindSettingsAsync(cycle.Id, Signatory);
        Assert.Equal(cycle.Deadline.AddDays(10), settings!.ExtendedDeadline);

        // The signatory sees the reason and its comment, never the internal one.
        using var signatory = host.SignatoryClient(Signatory, cycle.Id);
        var mine = await (await signatory.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).Content.ReadAsStringAsync();
        var review = JsonNode.Parse(mine)!["review"]!;
        Assert.Equal(("returned", Reason, deadline), ((string)review["state"]!, (string)review["reason"]!, (string)review["revisionDeadlineLocal"]!));
        Assert.Equal($"/goals/{goal}/contributions/{contribution}", (string)review["comments"]![0]!["pointer"]!);
        Assert.Single(review["comments"]!.AsArray());
        Assert.DoesNotContain(Internal, mine, StringComparison.Ordinal);

        // One email per contact, once, even when the sweep runs again.
        await host.Services.GetRequiredService<BackgroundSends>().WhenIdleAsync();
        await host.Services.GetRequiredService<ReminderSweep>().RunAsync();
        await host.Services.GetRequiredService<ReminderSweep>().RunAsync();
        await host.Services.GetRequiredService<BackgroundSends>().WhenIdleAsync();
        var subject = $"Returned for revision: NAP 1325-IV progress report for {cycle.Id}, version 1";
        var mails = host.Graph.Accepted().Where(m => m.Subject == subject).ToList();
        var expected = host.Signatories.Single(s => s.Id == Signatory).ContactsIn(ContactRole.Primary, ContactRole.Secondary).Select(c => c.Email).Order().ToList();
        Assert.Equal(expected, mails.SelectMany(m => m.To).Order().ToList());
        Assert.All(mails, m => Assert.Contains(Reason, m.Html, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Contains("#token=", m.Html, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Graph.Requests(), m => m.Html.Contains(Internal, StringComparison.Ordinal) || (m.Text ?? "").Contains(Internal, StringComparison.Ordinal));

        // A reader sees the history without internal comments; a coordinator with them.
        var asReader = await (await reader.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Internal, asReader, StringComparison.Ordinal);
        Assert.Contains(Visible, asReader, StringComparison.Ordinal);
        Assert.Contains(Internal, await (await coordinator.GetAsync(path)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A new version: resubmitted; judging the old one is 409; accepting the new one works.
        await SubmitAsync(cycle.Id, 2);
        var afterResubmit = await reader.GetAsync(path);
        var afterBody = (await afterResubmit.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("resubmitted", 2), ((string)afterBody["state"]!, (int)afterBody["version"]!));
        var mineWaiting = JsonNode.Parse(await (await signatory.GetAsync($"api/cycles/{cycle.Id}/submissions/mine")).Content.ReadAsStringAsync())!["review"]!;
        Assert.Equal("resubmitted", (string)mineWaiting["state"]!);
        Assert.Null(mineWaiting["reason"]);
        var (old, oldBody) = await SendAsync(coordinator, path, new { action = "accept", version = 1 });
        Status(old, HttpStatusCode.Conflict, oldBody);
        Assert.Equal("urn:nap1325:problem:not-latest-version", (string)oldBody["type"]!);
        var (accepted, acceptedBody) = await SendAsync(coordinator, path, new { action = "accept", version = 2 }, afterResubmit.Headers.ETag!.ToString());
        Status(accepted, HttpStatusCode.OK, acceptedBody);
        Assert.Equal(("accepted", 2), ((string)acceptedBody["state"]!, (int)acceptedBody["acceptedVersion"]!));

        // The status counts signatories per review state.
        var status = JsonNode.Parse(await (await reader.GetAsync($"api/cycles/{cycle.Id}/status")).Content.ReadAsStringAsync())!;
        Assert.Equal("accepted", (string)status["signatories"]!.AsArray().Single(s => (string)s!["signatoryId"]! == Signatory)!["review"]!);
        Assert.Equal(1, (int)status["byReviewState"]!["accepted"]!);

        // Reopening an accepted version sends it back.
        var (reopened, reopenedBody) = await SendAsync(coordinator, path, new { action = "return", version = 2, reason = Reason });
        Status(reopened, HttpStatusCode.OK, reopenedBody);
        Assert.Equal("returned", (string)reopenedBody["state"]!);
        Assert.Null(reopenedBody["acceptedVersion"]);
        Assert.Equal(3, reopenedBody["history"]!.AsArray().Count);

        // Every move is audited by ids only; neither reason nor comment reaches the trail or the log.
        var rows = await AuditRowsAsync(cycle.Id);
        var moves = rows.Where(r => r.GetString("Action").StartsWith("review.", StringComparison.Ordinal)).ToList();
        // The fake clock stands still, so rows of the same instant come in their random-suffix order: compare as a set.
        Assert.Equal(new[] { "review.return|1|ok", "review.accept|1|refused-412", "review.accept|1|refused-409", "review.accept|1|refused-409", "review.accept|2|ok", "review.return|2|ok" }.Order(StringComparer.Ordinal),
            moves.Select(r => $"{r.GetString("Action")}|{r.GetInt32("Version")}|{r.GetString("Result")}").Order(StringComparer.Ordinal));
        foreach (var row in rows)
            foreach (var value in ((IDictionary<string, object>)row).Values)
                Assert.DoesNotContain(Reason, value?.ToString() ?? "", StringComparison.Ordinal);
        foreach (var canary in new[] { Reason, Internal, Visible })
            Assert.DoesNotContain(canary, host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_reviews_get_422_with_pointers_into_the_request_and_nothing_changes()
    {
        var cycle = await host.CreateScopedCycleAsync();
        var path = $"api/cycles/{cycle.Id}/signatories/{Signatory}/review";
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);

        var (nothing, nothingBody) = await SendAsync(coordinator, path, new { action = "accept", version = 1 });
        Status(nothing, HttpStatusCode.Conflict, nothingBody);
        Assert.Equal("urn:nap1325:problem:nothing-submitted", (string)nothingBody["type"]!);

        var receipt = await SubmitAsync(cycle.Id, 3);
        var goal = ((JsonObject)receipt["contributionIds"]!).First().Key;
        var (shape, shapeBody) = await SendAsync(coordinator, path, new
        {
            action = "return", version = 0, revisionDeadline = "tomorrow",
            comments = new object[] { new { pointer = "/contact", text = "", visibility = "everyone" } },
        });
        Status(shape, HttpStatusCode.UnprocessableEntity, shapeBody);
        Assert.Equal(["/comments/0/pointer", "/comments/0/text", "/comments/0/visibility", "/reason", "/revisionDeadline", "/version"],
            shapeBody["errors"]!.AsArray().Select(e => (string)e!["pointer"]!).Order(StringComparer.Ordinal).ToList());

        var (missing, missingBody) = await SendAsync(coordinator, path, new
        {
            action = "return", version = 1, reason = "See the comments.",
            comments = new object[]
            {
                new { pointer = $"/goals/{goal}/contributions/no-such-id", text = "x", visibility = "signatory" },
                new { pointer = "/goals/G9", text = "x", visibility = "internal" },
            },
        });
        Status(missing, HttpStatusCode.UnprocessableEntity, missingBody);
        Assert.Equal(["/comments/0/pointer", "/comments/1/pointer"], missingBody["errors"]!.AsArray().Select(e => (string)e!["pointer"]!).ToList());
        Assert.Equal("not-in-version", (string)missingBody["errors"]![0]!["code"]!);

        var (malformed, malformedBody) = await SendAsync(coordinator, path, "not an object");
        Status(malformed, HttpStatusCode.BadRequest, malformedBody);

        var state = (await (await coordinator.GetAsync(path)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("submitted", (string)state["state"]!);
        Assert.Empty(state["history"]!.AsArray());

        var unknown = await coordinator.GetAsync($"api/cycles/{cycle.Id}/signatories/no-such-signatory/review");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
