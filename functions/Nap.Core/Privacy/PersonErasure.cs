using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Nap.Api;
using Nap.Audit;
using Nap.Drafts;
using Nap.Keys;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Storage;
using Nap.Submissions;

namespace Nap.Privacy;

/// <summary>What one erasure removed, in counts (never the address).</summary>
public sealed record ErasureResult(int RegistryContacts, int SubmissionContacts, int Drafts, int LedgerRows, int LinkRequestRows)
{
    public override string ToString() =>
        $"registry-contacts={RegistryContacts} submission-contacts={SubmissionContacts} drafts={Drafts} ledger-rows={LedgerRows} link-request-rows={LinkRequestRows}";
}

/// <summary>
/// Erases a person, found by email address, everywhere the app keeps them: the registry's contacts, the contact records
/// of submitted versions (first splitting any version stored before the split, so no body still carries a contact),
/// drafts (their contact is removed; a draft that still names the address elsewhere is deleted), reminder-ledger rows
/// and link-request rows (by the address's hash). Hashed bodies are never touched, so no receipt or report breaks.
/// One audit row per erasure, with counts and without the address. Running it again finds nothing and is harmless.
/// </summary>
public sealed class PersonErasure(
    NapStorage storage,
    ISignatoryRegistry registry,
    ISubmissionContactStore contacts,
    SubmissionPartsMigration migration,
    EncryptedBlobs blobs,
    IAuditLog audit)
{
    private const string LinkRequestsPartition = "_link-requests";

    public async Task<ErasureResult> EraseAsync(string email, AuditActor actor, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!System.Text.RegularExpressions.Regex.IsMatch(email, SubmissionRules.EmailPattern))
            throw new ProblemException(Problem.Validation([new FieldError("/email", SubmissionErrorCodes.InvalidEmail, "This is not a valid email address.")]));

        await migration.RunAsync(cancellationToken).ConfigureAwait(false);
        var registryContacts = await EraseFromRegistryAsync(email, cancellationToken).ConfigureAwait(false);
        var submissionContacts = await contacts.EraseAsync(email, cancellationToken).ConfigureAwait(false);
        var drafts = await EraseFromDraftsAsync(email, cancellationToken).ConfigureAwait(false);
        var (ledger, links) = await EraseFromLedgerAsync(ReminderLedger.RecipientHash(email), cancellationToken).ConfigureAwait(false);
        var result = new ErasureResult(registryContacts, submissionContacts, drafts, ledger, links);
        await audit.AppendAsync(new AuditEvent(actor, PrivacyAuditActions.Erase, Result: "ok " + result), cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b, StringComparison.OrdinalIgnoreCase);

    private async Task<int> EraseFromRegistryAsync(string email, CancellationToken ct)
    {
        var changed = new List<Signatory>();
        var erased = 0;
        foreach (var s in await registry.ListAsync(ct).ConfigureAwait(false))
        {
            var kept = s.Contacts.Where(c => !Same(c.Email, email)).ToList();
            if (kept.Count == s.Contacts.Count) continue;
            erased += s.Contacts.Count - kept.Count;
            changed.Add(s with { Contacts = kept });
        }
        if (changed.Count > 0) await registry.UpsertAsync(changed, ct).ConfigureAwait(false);
        return erased;
    }

    private async Task<int> EraseFromDraftsAsync(string email, CancellationToken ct)
    {
        var container = await storage.ContainerAsync(StorageNames.DraftsContainer, ct).ConfigureAwait(false);
        var erased = 0;
        await foreach (var item in container.GetBlobsAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            var blob = await blobs.BlobAsync(StorageNames.DraftsContainer, item.Name, ct).ConfigureAwait(false);
            Azure.Storage.Blobs.Models.BlobDownloadResult draft;
            try
            {
                draft = (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                continue;
            }
            var text = draft.Content.ToString();
            if (text.IndexOf(email, StringComparison.OrdinalIgnoreCase) < 0) continue;
            erased++;
            JsonNode? envelope = null;
            try { envelope = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
            if (envelope?["submission"] is JsonObject submission && submission["contact"] is JsonObject contact
                && contact["email"] is JsonValue v && v.TryGetValue<string>(out var address) && Same(address, email))
                submission.Remove("contact");
            var rewritten = envelope?.ToJsonString();
            if (rewritten is null || rewritten.IndexOf(email, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                await blob.DeleteIfExistsAsync(Azure.Storage.Blobs.Models.DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct).ConfigureAwait(false);
            }
            else
            {
                await blob.UploadAsync(BinaryData.FromString(rewritten), new Azure.Storage.Blobs.Models.BlobUploadOptions
                {
                    HttpHeaders = new Azure.Storage.Blobs.Models.BlobHttpHeaders { ContentType = "application/json" },
                    Metadata = draft.Details.Metadata.Where(m => m.Key != "encryptiondata").ToDictionary(m => m.Key, m => m.Value),
                    Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = draft.Details.ETag },
                }, ct).ConfigureAwait(false);
            }
            await SubmissionPartsMigration.DeleteEarlierVersionsAsync(container.GetBlobClient(item.Name), ct).ConfigureAwait(false);
        }
        return erased;
    }

    private async Task<(int Ledger, int Links)> EraseFromLedgerAsync(string recipientHash, CancellationToken ct)
    {
        var table = await storage.TableAsync(StorageNames.ReminderLedgerTable, ct).ConfigureAwait(false);
        int ledger = 0, links = 0;
        var doomed = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "RecipientHash"], cancellationToken: ct).ConfigureAwait(false))
        {
            if (e.PartitionKey == LinkRequestsPartition ? e.RowKey.StartsWith(recipientHash + "|", StringComparison.Ordinal) : e.GetString("RecipientHash") == recipientHash)
                doomed.Add(e);
        }
        foreach (var e in doomed)
        {
            try
            {
                await table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, ct).ConfigureAwait(false);
                if (e.PartitionKey == LinkRequestsPartition) links++; else ledger++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
        return (ledger, links);
    }
}
