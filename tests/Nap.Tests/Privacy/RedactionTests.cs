using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Audit;
using Nap.Privacy;
using Nap.Reports;
using Nap.Security;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Privacy;

/// <summary>The dev host with a short coalescing window, so the draft follows a redaction quickly, and a private publish folder.</summary>
public sealed class RedactionHostFixture : MailCapturingHostFixture
{
    public string PublishFolder { get; } = Path.Combine(Path.GetTempPath(), "nap-published-" + Guid.NewGuid().ToString("N"));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Reports:CoalesceSeconds"] = "1",
        ["SharePoint:LocalFolder"] = PublishFolder,
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(PublishFolder)) Directory.Delete(PublishFolder, true);
    }
}

/// <summary>
/// A coordinator redacts free text of a stored version, over HTTP on the dev host, with staff principals. Alone, like the
/// report tests: every other test class's dev host watches the shared submissions container and could take the draft
/// compilation of these cycles, and be disposed while it holds the lease.
/// </summary>
[Collection(Nap.Tests.Reports.ReportCompilationCollection.Name)]
public sealed class RedactionTests(RedactionHostFixture host) : IClassFixture<RedactionHostFixture>
{
    private const string Goal = "G4"; // seed 8 always reports on G4 (seed % 5 == 3)
    private const string Contribution = "G4-1"; // the sample leaves ids out: the derived id

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonObject Redaction(string reason, params (string Pointer, string Text)[] replacements) => new()
    {
        ["replacements"] = new JsonArray(replacements.Select(r => (JsonNode)new JsonObject { ["pointer"] = r.Pointer, ["text"] = r.Text }).ToArray()),
        ["reason"] = reason,
    };

    private async Task<(string CycleId, string SignatoryId, string Sha256, string Canary)> SubmitWithCanaryAsync(int signatoryIndex)
    {
        var canary = "Canary" + Guid.NewGuid().ToString("N")[..12];
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(signatoryIndex).Id;
        var body = SampleSubmissions.Valid(8);
        var contribution = body["goals"]![Goal]!["contributions"]![0]!;
        contribution["title"] = "Safe house run by " + canary;
        contribution["description"] = "Together with " + canary + " in the north.";
        // The lessons narrative is confidential in the sample: it lives in the encrypted part.
        body["goals"]![Goal]!["narratives"]!["lessons"]!["text"] = "What " + canary + " taught us.";
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var text = body.ToJsonString();
        var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(text, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (cycle.Id, signatory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), canary);
    }

    private string RedactionsPath(string cycleId, string signatoryId, int version = 1) =>
        $"api/cycles/{cycleId}/signatories/{signatoryId}/submissions/{version}/redactions";

    [Fact]
    public async Task A_redacted_canary_is_found_nowhere_afterwards_the_lineage_says_redacted_on_by_and_a_repeat_changes_nothing()
    {
        var (cycleId, signatoryId, sha, canary) = await SubmitWithCanaryAsync(5);
        var store = host.Services.GetRequiredService<ReportStore>();
        // The draft the submission triggers quotes the canary.
        var first = await WaitForAsync(async () => (await store.ListAsync(cycleId)).FirstOrDefault(v => v.Kind == ReportKind.Draft && v.Status == "compiled"),
            TimeSpan.FromSeconds(180));
        Assert.True(first is not null, "no draft: " + string.Join("\n", host.Logs.Lines.Where(l => l.Contains("raft", StringComparison.Ordinal) || l.Contains("rror", StringComparison.Ordinal)).TakeLast(40)));
        var before = await CanaryScan.FindAsync(host.Services, [canary], host.PublishFolder);
        Assert.Contains(before, f => f.StartsWith("blob submissions/", StringComparison.Ordinal));
        Assert.Contains(before, f => f.StartsWith("blob confidential/", StringComparison.Ordinal));
        Assert.Contains(before, f => f.StartsWith("blob reports/", StringComparison.Ordinal));

        using var coordinator = host.StaffClient(StaffRoles.Coordinator, StaffRoles.Confidential);
        var request = Redaction("Names a partner at risk.",
            ($"/goals/{Goal}/contributions/{Contribution}/title", "[verwijderd]"),
            ($"/goals/{Goal}/contributions/{Contribution}/description", "[verwijderd]"),
            ($"/goals/{Goal}/narratives/lessons/text", "[verwijderd]"));
        var response = await coordinator.PostAsync(RedactionsPath(cycleId, signatoryId), Json(request));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.DoesNotContain(canary, answer.ToJsonString(), StringComparison.Ordinal);
        var mark = answer["redacted"]!;
        Assert.Equal(StaffPrincipals.ObjectId, (string)mark["by"]!);
        Assert.Equal(sha, (string)mark["originalSha256"]!);
        Assert.NotEqual(sha, (string)mark["sha256"]!);
        Assert.EndsWith(Nap.Api.AmsterdamTime.Format(DateTimeOffset.UtcNow)[^6..], (string)mark["on"]!); // Amsterdam offset
        Assert.True((int)answer["withdrawnDrafts"]! >= 1);

        // The signatory sees the redacted text, with the receipt unchanged.
        using var signatory = await host.VerifiedSignatoryClientAsync(signatoryId, cycleId);
        var mine = (await signatory.GetFromJsonAsync<JsonObject>($"api/cycles/{cycleId}/submissions/mine"))!;
        Assert.Equal(sha, (string)mine["receipt"]!["sha256"]!);
        Assert.Equal("[verwijderd]", (string)mine["submission"]!["goals"]![Goal]!["narratives"]!["lessons"]!["text"]!);
        Assert.Equal("[verwijderd]", (string)mine["submission"]!["goals"]![Goal]!["contributions"]![0]!["title"]!);

        // The draft recompiles, and its lineage says which version was redacted, when and by whom.
        var redactedDraft = await WaitForAsync(async () =>
        {
            var latest = (await store.ListAsync(cycleId)).FirstOrDefault(v => v.Kind == ReportKind.Draft && v.Status == "compiled");
            if (latest is null || latest.Version == first.Version) return null;
            var json = JsonNode.Parse((await store.DownloadAsync(latest.Files.Single(f => f.Extension == "Json"))).ToString())!;
            return json["lineage"]!.AsArray().FirstOrDefault(l => (string)l!["signatoryId"]! == signatoryId)?["redacted"] is { } r ? r : null;
        }, TimeSpan.FromSeconds(180));
        Assert.NotNull(redactedDraft);
        Assert.Equal((string)mark["on"]!, (string)redactedDraft["on"]!);
        Assert.Equal(StaffPrincipals.ObjectId, (string)redactedDraft["by"]!);
        // Published files carry keyed hashes only; the plain hashes of the redaction are in the staff lineage.
        Assert.Null(redactedDraft["originalSha256"]);
        Assert.Equal("withdrawn", (await store.FindAsync(cycleId, first.Version))!.Status);

        // Nothing of the canary is left in any table, blob, blob version, compiled draft or published file.
        var left = await WaitForAsync(async () => await CanaryScan.FindAsync(host.Services, [canary], host.PublishFolder) is { Count: 0 } none ? none : null,
            TimeSpan.FromSeconds(60));
        Assert.True(left is not null, "still found in: " + string.Join(", ", await CanaryScan.FindAsync(host.Services, [canary], host.PublishFolder)));

        // One audit row, without the text; the same redaction again (a retry) changes nothing and writes none.
        var again = await coordinator.PostAsync(RedactionsPath(cycleId, signatoryId), Json(request));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((string)mark["sha256"]!, (string)(await again.Content.ReadFromJsonAsync<JsonObject>())!["redacted"]!["sha256"]!);
        var rows = await AuditAsync(cycleId);
        var row = Assert.Single(rows, e => e.Action == PrivacyAuditActions.Redact);
        Assert.Equal((signatoryId, 1, StaffPrincipals.ObjectId), (row.SignatoryId, row.Version, row.ActorId));
        Assert.StartsWith("ok", row.Result, StringComparison.Ordinal);
        Assert.DoesNotContain("verwijderd", System.Text.Json.JsonSerializer.Serialize(rows), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("partner at risk", System.Text.Json.JsonSerializer.Serialize(rows), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_and_with_other_replacements_is_refused()
    {
        var (cycleId, signatoryId, _, _) = await SubmitWithCanaryAsync(6);
        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        HttpRequestMessage Post(JsonObject body)
        {
            var m = new HttpRequestMessage(HttpMethod.Post, RedactionsPath(cycleId, signatoryId)) { Content = Json(body) };
            m.Headers.Add("Idempotency-Key", "redaction-key-1");
            return m;
        }
        var body = Redaction("Identifies a person.", ($"/goals/{Goal}/contributions/{Contribution}/description", "[verwijderd]"));

        Assert.Equal(HttpStatusCode.Created, (await coordinator.SendAsync(Post(body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.SendAsync(Post(body))).StatusCode);
        var other = await coordinator.SendAsync(Post(Redaction("Identifies a person.", ($"/goals/{Goal}/contributions/{Contribution}/title", "[verwijderd]"))));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Single(await AuditAsync(cycleId), e => e.Action == PrivacyAuditActions.Redact);
    }

    [Fact]
    public async Task A_reader_gets_403_a_confidential_field_needs_Nap_Confidential_and_nothing_changes()
    {
        var (cycleId, signatoryId, _, canary) = await SubmitWithCanaryAsync(7);
        var index = host.Services.GetRequiredService<ISubmissionIndex>();
        var before = (await index.GetVersionAsync(cycleId, signatoryId, 1))!;
        var body = Redaction("Names a person.", ($"/goals/{Goal}/narratives/lessons/text", "[verwijderd]"));

        using var reader = host.StaffClient(StaffRoles.Reader);
        var refused = await reader.PostAsync(RedactionsPath(cycleId, signatoryId), Json(body));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(StaffRoles.Coordinator, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var coordinator = host.StaffClient(StaffRoles.Coordinator);
        var confidential = await coordinator.PostAsync(RedactionsPath(cycleId, signatoryId), Json(body));
        Assert.Equal(HttpStatusCode.Forbidden, confidential.StatusCode);
        Assert.Contains(StaffRoles.Confidential, await confidential.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var after = (await index.GetVersionAsync(cycleId, signatoryId, 1))!;
        Assert.Equal((before.BlobName, before.PublicSha256, before.ConfidentialSha256), (after.BlobName, after.PublicSha256, after.ConfidentialSha256));
        Assert.Null(after.Redacted);
        Assert.DoesNotContain((await AuditAsync(cycleId)), e => e.Action == PrivacyAuditActions.Redact);
        Assert.Contains(await CanaryScan.FindAsync(host.Services, [canary]), f => f.StartsWith("blob confidential/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_pointer_or_text_is_422_at_the_replacement_without_repeating_the_text()
    {
        var (cycleId, signatoryId, _, _) = await SubmitWithCanaryAsync(8);
        using var coordinator = host.StaffClient(StaffRoles.Coordinator, StaffRoles.Confidential);

        async Task<JsonArray> ErrorsAsync(JsonObject body)
        {
            var response = await coordinator.PostAsync(RedactionsPath(cycleId, signatoryId), Json(body));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("SECRET-TEXT", text, StringComparison.Ordinal);
            return JsonNode.Parse(text)!["errors"]!.AsArray();
        }

        var unknown = await ErrorsAsync(Redaction("r", ("/goals/G4/contributions/no-such-id/description", "SECRET-TEXT")));
        Assert.Equal("/replacements/0/pointer", (string)unknown.Single()!["pointer"]!);
        Assert.Equal(VersionRedaction.UnknownPointer, (string)unknown.Single()!["code"]!);

        var number = await ErrorsAsync(Redaction("r",
            ($"/goals/{Goal}/contributions/{Contribution}/description", "ok"),
            ($"/goals/{Goal}/contributions/{Contribution}/budgetSpentEur", "SECRET-TEXT")));
        Assert.Equal("/replacements/1/pointer", (string)number.Single()!["pointer"]!);
        Assert.Equal(VersionRedaction.NotFreeText, (string)number.Single()!["code"]!);

        // The replacement text meets the submission's own rules (a title is at most 200 characters and not blank).
        var tooLong = await ErrorsAsync(Redaction("r", ($"/goals/{Goal}/contributions/{Contribution}/title", "SECRET-TEXT" + new string('x', SubmissionRules.TitleMax))));
        Assert.Equal("/replacements/0/text", (string)tooLong.Single()!["pointer"]!);
        Assert.Equal(SubmissionErrorCodes.TooLong, (string)tooLong.Single()!["code"]!);
        var blank = await ErrorsAsync(Redaction("r", ($"/goals/{Goal}/contributions/{Contribution}/title", "   ")));
        Assert.Equal("/replacements/0/text", (string)blank.Single()!["pointer"]!);

        var noReason = await ErrorsAsync(new JsonObject { ["replacements"] = new JsonArray() });
        Assert.Equal(["/replacements", "/reason"], noReason.Select(e => (string)e!["pointer"]!));

        var missing = await coordinator.PostAsync(RedactionsPath(cycleId, signatoryId, 9), Json(Redaction("r", ($"/goals/{Goal}/narratives/highlights/text", "x"))));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<List<AuditEntry>> AuditAsync(string cycleId)
    {
        var page = await host.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(cycleId, null, DateTimeOffset.UtcNow.AddMinutes(-10), null), null, 1000);
        return page.Entries.ToList();
    }

    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(250);
        }
        return null;
    }
}
