using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Nap.Api;
using Nap.Audit;
using Nap.Keys;
using Nap.Privacy;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Privacy;

/// <summary>The one-off split of stored bodies, and the erasure of a person from every store.</summary>
[Collection(Nap.Tests.Infrastructure.RegistryWriters.Name)]
public sealed class ErasureAndMigrationTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Migrate_splits_a_body_stored_before_the_split_keeps_what_mine_shows_and_a_second_run_changes_nothing()
    {
        var cycle = await host.CreateCycleAsync();
        var signatory = host.ActiveSignatories.ElementAt(2).Id;
        var body = Encoding.UTF8.GetBytes(ConfidentialPartsTests.WithConfidential(5, "old.contact@example.org").ToJsonString());
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        var storage = host.Services.GetRequiredService<NapStorage>();
        var name = BlobSubmissionContentStore.BlobName(cycle.Id, signatory, sha);
        var blob = storage.Blobs.GetBlobContainerClient(StorageNames.SubmissionsContainer).GetBlobClient(name);
        // As intake stored it before the split: the whole body, index rows without part hashes.
        await blob.UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["sha256"] = sha } });
        var at = DateTimeOffset.UtcNow;
        var receipt = new SubmissionReceipt(SubmissionService.SubmissionId(cycle.Id, signatory, 1), cycle.Id, signatory, 1, at, AmsterdamTime.Format(at), sha, false);
        var index = host.Services.GetRequiredService<ISubmissionIndex>();
        Assert.NotNull(await index.TryCommitAsync(new SubmissionCommit(new SubmissionVersion(receipt, name), null, "k" + sha[..8])));
        using var client = host.SignatoryClient(signatory, cycle.Id);
        var before = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/mine"))!["submission"]!.ToJsonString();

        var migration = host.Services.GetRequiredService<SubmissionPartsMigration>();
        var first = await migration.RunAsync();

        Assert.True(first.Split >= 1);
        var stored = (await blob.DownloadContentAsync()).Value;
        Assert.DoesNotContain("Canary", stored.Content.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("old.contact", stored.Content.ToString(), StringComparison.Ordinal);
        var version = (await index.GetVersionAsync(cycle.Id, signatory, 1))!;
        var latest = (await index.GetLatestAsync(cycle.Id, signatory))!.Version;
        Assert.Equal(SubmissionParts.Hash(stored.Content.ToArray()), version.PublicSha256);
        Assert.Equal(version.PublicSha256, latest.PublicSha256);
        Assert.NotNull(latest.ConfidentialSha256);
        Assert.Equal(sha, version.Receipt.Sha256); // the receipt keeps what the signatory sent
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/mine"))!["submission"]!.ToJsonString());

        var second = await migration.RunAsync();
        // (Other tests' deliberately broken bodies in the shared Azurite are counted as failed and left alone.)
        Assert.Equal(stored.Details.ETag, (await blob.GetPropertiesAsync()).Value.ETag);
        Assert.Contains(await ReadAuditAsync(), e => e.Action == PrivacyAuditActions.Migrate);
    }

    private async Task<List<AuditEntry>> ReadAuditAsync()
    {
        var page = await host.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(null, null, DateTimeOffset.UtcNow.AddMinutes(-10), null), null, 1000);
        return page.Entries.ToList();
    }

    [Fact]
    public async Task Erasure_leaves_nothing_of_a_canary_person_in_any_table_blob_blob_version_or_compiled_file()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var email = $"canary.{tag}@example.org";
        var personName = $"Canary Person {tag}";
        var cycle = await host.CreateCycleAsync();
        var registry = host.Services.GetRequiredService<ISignatoryRegistry>();
        var signatory = (await registry.FindAsync(host.ActiveSignatories.ElementAt(3).Id))!;
        await registry.UpsertAsync([signatory with { Contacts = [.. signatory.Contacts, new Contact(personName, email, ContactRole.Secondary)] }]);

        using var client = host.SignatoryClient(signatory.Id, cycle.Id);
        var body = SampleSubmissions.Valid(6);
        body["contact"] = new JsonObject { ["name"] = personName, ["email"] = email };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"api/cycles/{cycle.Id}/submissions", Json(body.ToJsonString()))).StatusCode);
        var draft = new JsonObject { ["basedOnVersion"] = 1, ["submission"] = body.DeepClone() };
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"api/cycles/{cycle.Id}/draft", Json(draft.ToJsonString()))).StatusCode);
        await host.NewClient().PostAsync("api/links", Json(new JsonObject { ["email"] = email }.ToJsonString()));
        var hash = ReminderLedger.RecipientHash(email);
        // The receipt email's ledger rows are written in the background.
        var ledger = host.Services.GetRequiredService<NapStorage>().Tables.GetTableClient(StorageNames.ReminderLedgerTable);
        for (var i = 0; i < 100 && !await ledger.QueryAsync<TableEntity>(e => e.PartitionKey == cycle.Id).AnyAsync(e => e.GetString("RecipientHash") == hash); i++)
            await Task.Delay(100);
        var needles = new[] { email, personName, hash };
        Assert.NotEmpty(await FindAsync(needles)); // the scan does find the person before

        using var admin = host.StaffClient(StaffRoles.Admin);
        var response = await admin.PostAsync("api/privacy/erasures", Json(new JsonObject { ["email"] = email.ToUpperInvariant() }.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var counts = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        // Another test host starting meanwhile re-seeds the shared registry (dropping the canary contact itself), so 0 is possible;
        // what counts is that the scan below finds nothing.
        Assert.InRange((int)counts["registryContacts"]!, 0, 1);
        Assert.True((int)counts["submissionContacts"]! >= 1);
        Assert.Equal(1, (int)counts["drafts"]!);
        var left = await FindAsync(needles);
        Assert.True(left.Count == 0, "still found in: " + string.Join(", ", left));
        var audit = await ReadAuditAsync();
        var rows = audit.Where(e => e.Action == PrivacyAuditActions.Erase && e.Result.Contains("drafts=1", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        Assert.DoesNotContain(tag, System.Text.Json.JsonSerializer.Serialize(audit), StringComparison.OrdinalIgnoreCase);
        // The submission stays, without its contact; a second erasure finds nothing.
        var mine = (await client.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/submissions/mine"))!;
        Assert.Null(mine["submission"]!["contact"]);
        var again = (await (await admin.PostAsync("api/privacy/erasures", Json(new JsonObject { ["email"] = email }.ToJsonString()))).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(0, (int)again["registryContacts"]! + (int)again["submissionContacts"]! + (int)again["drafts"]! + (int)again["ledgerRows"]! + (int)again["linkRequestRows"]!);
    }

    [Fact]
    public async Task Erasure_needs_an_administrator_and_an_address()
    {
        using var reader = host.StaffClient(StaffRoles.Reader, StaffRoles.Coordinator);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("api/privacy/erasures", Json("{\"email\":\"a@example.org\"}"))).StatusCode);
        using var admin = host.StaffClient(StaffRoles.Admin);
        var bad = await admin.PostAsync("api/privacy/erasures", Json("{\"email\":\"not an address\"}"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.DoesNotContain("not an address", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<List<string>> FindAsync(string[] needles) => CanaryScan.FindAsync(host.Services, needles);
}
