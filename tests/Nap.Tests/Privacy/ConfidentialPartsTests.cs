using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nap.Countries;
using Nap.Cycles;
using Nap.Framework;
using Nap.Reports;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Privacy;

/// <summary>
/// Intake splits a submission: the public part (what the compiler reads), the confidential part encrypted in its own
/// container, the contact apart. The signatory gets it back whole; the report does not change.
/// </summary>
public sealed class ConfidentialPartsTests(MailCapturingHostFixture host) : IClassFixture<MailCapturingHostFixture>
{
    private const string Canary = "Canary-Goma-7f3a";

    /// <summary>A valid submission with a confidential contribution in front (positions matter) and confidential lessons, both carrying the canary.</summary>
    public static JsonObject WithConfidential(int seed, string email = "contact@example.org")
    {
        var body = SampleSubmissions.Valid(seed);
        body["contact"]!["email"] = email;
        foreach (var (_, goal) in body["goals"]!.AsObject())
        {
            var list = goal!["contributions"]!.AsArray();
            var secret = list[0]!.DeepClone().AsObject();
            secret["title"] = "Shelter for " + Canary;
            secret["partners"] = new JsonArray("Partner " + Canary);
            secret["confidential"] = true;
            list.Insert(0, secret);
            goal["narratives"]!["lessons"]!["text"] = "Lesson about " + Canary;
        }
        return body;
    }

    [Fact]
    public async Task Confidential_parts_are_stored_apart_encrypted_and_the_signatory_gets_the_whole_submission_back()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(0).Id;
        // Reading the confidential parts back needs the emailed one-time code, as in the form.
        using var client = await host.VerifiedSignatoryClientAsync(signatory, cycle.Id);
        var body = WithConfidential(3, "canary.person@example.org").ToJsonString();

        var response = await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(sha, (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["sha256"]!);

        var storage = host.Services.GetRequiredService<NapStorage>();
        var name = BlobSubmissionContentStore.BlobName(cycle.Id, signatory, sha);
        var publicPart = (await storage.Blobs.GetBlobContainerClient(StorageNames.SubmissionsContainer).GetBlobClient(name).DownloadContentAsync()).Value;
        var publicText = publicPart.Content.ToString();
        Assert.DoesNotContain(Canary, publicText, StringComparison.Ordinal);
        Assert.DoesNotContain("canary.person", publicText, StringComparison.Ordinal);
        Assert.Contains("{\"withheld\":true}", publicText, StringComparison.Ordinal);

        var secret = (await storage.Blobs.GetBlobContainerClient(StorageNames.ConfidentialContainer).GetBlobClient(name).DownloadContentAsync()).Value;
        Assert.DoesNotContain(Canary, Encoding.UTF8.GetString(secret.Content.ToArray()), StringComparison.Ordinal);
        Assert.Contains("\"Protocol\":\"2.0\"", secret.Details.Metadata["encryptiondata"].Replace(" ", "", StringComparison.Ordinal));

        var index = host.Services.GetRequiredService<ISubmissionIndex>();
        var version = (await index.GetVersionAsync(cycle.Id, signatory, 1))!;
        Assert.Equal(SubmissionParts.Hash(publicPart.Content.ToArray()), version.PublicSha256);
        Assert.NotNull(version.ConfidentialSha256);
        var contact = (await storage.Tables.GetTableClient(StorageNames.SubmissionContactsTable)
            .GetEntityAsync<TableEntity>(cycle.Id, TableSubmissionContactStore.RowKey(signatory, sha))).Value;
        Assert.Equal("canary.person@example.org", contact.GetString("Email"));

        // mine and ?version=1: the submission as sent, ids filled in.
        var expected = ContributionIds.Fill(Encoding.UTF8.GetBytes(body))!.ToJsonString();
        foreach (var url in new[] { "mine", "mine?version=1" })
        {
            var mine = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/{url}"))!;
            Assert.Equal(expected, mine["submission"]!.ToJsonString());
            Assert.Equal(sha, (string)mine["receipt"]!["sha256"]!);
        }
        Assert.DoesNotContain(Canary, host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confidential_part_that_does_not_match_its_hash_is_never_handed_out()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(1).Id;
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var body = WithConfidential(4).ToJsonString();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/cycles/{cycle.Id}/submissions", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        await host.Services.GetRequiredService<IConfidentialPartStore>().PutAsync(BlobSubmissionContentStore.BlobName(cycle.Id, signatory, sha), "{\"goals\":{}}"u8.ToArray());

        var mine = await client.GetAsync($"api/cycles/{cycle.Id}/submissions/mine");

        Assert.Equal(HttpStatusCode.InternalServerError, mine.StatusCode);
    }

    [Fact]
    public async Task A_draft_saved_before_encryption_is_read_as_it_is_and_encrypted_at_its_next_save()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(2).Id;
        var drafts = host.Services.GetRequiredService<NapStorage>().Blobs.GetBlobContainerClient(StorageNames.DraftsContainer);
        await drafts.CreateIfNotExistsAsync();
        var plain = drafts.GetBlobClient(Nap.Drafts.BlobDraftStore.BlobName(cycle.Id, signatory));
        const string envelope = """{"basedOnVersion":0,"submission":{"contact":{"name":"Old plain draft"}}}""";
        await plain.UploadAsync(BinaryData.FromString(envelope), overwrite: true);
        using var client = host.SignatoryClient(signatory, cycle.Id);

        var view = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/draft"))!;
        Assert.Equal("Old plain draft", (string)view["draft"]!["submission"]!["contact"]!["name"]!);

        var put = await client.PutAsync($"api/cycles/{cycle.Id}/draft", new StringContent(envelope, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = (await plain.DownloadContentAsync()).Value;
        Assert.True(stored.Details.Metadata.ContainsKey("encryptiondata"));
        Assert.DoesNotContain("Old plain draft", Encoding.UTF8.GetString(stored.Content.ToArray()), StringComparison.Ordinal);
    }

    /// <summary>Compiles six signatories' submissions stored whole (as before the split) or split.</summary>
    private static async Task<ReportBundle> CompileAsync(bool split)
    {
        var framework = ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "framework-before-ids.json"));
        var countries = CountryCatalog.LoadEmbedded();
        var registry = SignatoryImport.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "signatories.sample.json"));
        var cycle = new ReportingCycle("2026", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 15),
            new DateTime(2027, 3, 31, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
        var contents = new MemoryContentStore();
        var versions = new List<SubmissionVersion>();
        foreach (var (signatory, i) in registry.Where(s => s.Active).Take(6).Select((s, i) => (s, i)))
        {
            var body = Encoding.UTF8.GetBytes(WithConfidential(i + 1).ToJsonString());
            var sha = Convert.ToHexStringLower(SHA256.HashData(body));
            var parts = SubmissionParts.Split(body);
            var blob = await contents.PutAsync(cycle.Id, signatory.Id, sha, split ? parts.Public : body);
            var at = new DateTimeOffset(2027, 3, 1 + i, 10, 0, 0, TimeSpan.Zero);
            versions.Add(new SubmissionVersion(new SubmissionReceipt(SubmissionService.SubmissionId(cycle.Id, signatory.Id, 1), cycle.Id, signatory.Id, 1,
                at, Api.AmsterdamTime.Format(at), sha, false), blob)
            {
                PublicSha256 = split ? parts.PublicSha256 : null,
                ConfidentialSha256 = split ? parts.ConfidentialSha256 : null,
            });
        }
        var compiler = new ReportCompiler(framework, countries, new SubmissionParser(framework, countries), contents, new ReportOptions(),
            NullLogger<ReportCompiler>.Instance);
        return await compiler.BuildAsync(new ReportInputs(cycle, ReportKind.Final, versions, registry, framework) { PublishedHash = Reports.AnnexWorld.HashKey });
    }

    [Fact]
    public async Task A_split_submission_compiles_to_the_same_report_bytes_as_the_whole_body()
    {
        var whole = await CompileAsync(split: false);
        var split = await CompileAsync(split: true);

        Assert.Equal(whole.Files.Select(f => f.Sha256), split.Files.Select(f => f.Sha256));
        Assert.Empty(split.Report.DataQuality.Skipped);
        Assert.True(split.Report.DataQuality.WithheldConfidentialContributions >= 6);
        Assert.True(split.Report.DataQuality.WithheldConfidentialNarratives > 0);
        foreach (var f in split.Files.Where(f => f.Extension != "docx"))
            Assert.DoesNotContain(Canary, Encoding.UTF8.GetString(f.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void Split_and_reassemble_give_the_submission_back_and_a_client_cannot_send_a_placeholder()
    {
        var body = Encoding.UTF8.GetBytes(WithConfidential(2).ToJsonString());
        var parts = SubmissionParts.Split(body);
        Assert.Equal(parts.Public, SubmissionParts.Split(body).Public); // deterministic: a retry writes the same blob
        Assert.Equal(JsonNode.Parse(body)!.ToJsonString(), SubmissionParts.Reassemble(parts.Public, parts.Confidential, parts.Contact).ToJsonString());
        Assert.DoesNotContain("contact", SubmissionParts.Reassemble(parts.Public, parts.Confidential, null).ToJsonString(), StringComparison.Ordinal);

        var framework = ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "framework-before-ids.json"));
        var parser = new SubmissionParser(framework, CountryCatalog.LoadEmbedded());
        Assert.Equal(SubmissionParts.Hash(parts.Public), parts.PublicSha256);
        var stored = parser.ParseStoredPart(parts.Public);
        Assert.All(stored.Goals, g => Assert.True(g.Contributions[0].Confidential));
        var problem = Assert.Throws<Nap.Api.ProblemException>(() => parser.Parse(parts.Public));
        Assert.Contains(problem.Problem.Errors!, e => e.Pointer.EndsWith("/contributions/0/withheld", StringComparison.Ordinal));
    }
}
