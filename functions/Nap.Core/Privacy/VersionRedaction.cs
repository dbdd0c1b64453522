using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Reports;
using Nap.Security;
using Nap.Storage;
using Nap.Submissions;

namespace Nap.Privacy;

/// <summary>One free-text field to overwrite, by JSON pointer into the submission (contributions by their id).</summary>
public sealed record TextReplacement(string Pointer, string Text);

/// <summary>What a coordinator asks to redact, and why (the reason stays with the version, never in the audit trail).</summary>
public sealed record RedactionRequest(IReadOnlyList<TextReplacement> Replacements, string Reason)
{
    public const int MaxReplacements = 200;
    public const int ReasonMax = 500;

    /// <summary><c>{"replacements":[{"pointer":"…","text":"…"}],"reason":"…"}</c>; 400 for malformed JSON, 422 with pointers otherwise.</summary>
    public static RedactionRequest Parse(ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: SubmissionParser.DocumentOptions);
        }
        catch (JsonException)
        {
            throw new ProblemException(Problem.BadRequest("The body must be a JSON object."));
        }
        if (root is not JsonObject o) throw new ProblemException(Problem.BadRequest("The body must be a JSON object."));
        var errors = new List<FieldError>();
        foreach (var (key, _) in o)
            if (key is not ("replacements" or "reason"))
                errors.Add(new("/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), SubmissionErrorCodes.UnknownField, "Send replacements and reason only."));
        var replacements = new List<TextReplacement>();
        if (o["replacements"] is not JsonArray list || list.Count == 0)
            errors.Add(new("/replacements", SubmissionErrorCodes.Required, "Name at least one field to replace: {\"pointer\": \"/goals/G1/contributions/{id}/description\", \"text\": \"[verwijderd]\"}."));
        else if (list.Count > MaxReplacements)
            errors.Add(new("/replacements", SubmissionErrorCodes.TooMany, $"At most {MaxReplacements} replacements at once.") { Max = MaxReplacements });
        else
        {
            for (var i = 0; i < list.Count; i++)
            {
                var path = "/replacements/" + i.ToString(CultureInfo.InvariantCulture);
                if (list[i] is not JsonObject item) { errors.Add(new(path, SubmissionErrorCodes.Type, "Expected {\"pointer\": …, \"text\": …}.")); continue; }
                var pointer = String(item["pointer"]);
                var text = String(item["text"]);
                if (pointer is not { Length: > 0 } || !pointer.StartsWith('/')) errors.Add(new(path + "/pointer", SubmissionErrorCodes.Required, "A JSON pointer into the submission, such as /goals/G1/narratives/lessons/text."));
                if (text is null) errors.Add(new(path + "/text", SubmissionErrorCodes.Required, "The text that replaces the field, such as [verwijderd]."));
                if (pointer is { Length: > 0 } && text is not null) replacements.Add(new TextReplacement(pointer, text));
            }
            foreach (var twice in replacements.GroupBy(r => r.Pointer, StringComparer.Ordinal).Where(g => g.Count() > 1))
                errors.Add(new("/replacements/" + replacements.FindLastIndex(r => r.Pointer == twice.Key).ToString(CultureInfo.InvariantCulture) + "/pointer",
                    SubmissionErrorCodes.Duplicate, "This field is named twice."));
        }
        var reason = String(o["reason"])?.Trim();
        if (reason is not { Length: > 0 }) errors.Add(new("/reason", SubmissionErrorCodes.Required, "Say why, briefly (kept with the version for the coordinators; not in the audit trail)."));
        else if (reason.Length > ReasonMax) errors.Add(new("/reason", SubmissionErrorCodes.TooLong, $"At most {ReasonMax} characters.") { Max = ReasonMax });
        else if (reason.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            errors.Add(new("/reason", SubmissionErrorCodes.InvalidCharacters, "The text contains characters that are not allowed."));
        if (errors.Count > 0) throw new ProblemException(Problem.Validation(errors) with { Title = "The redaction request has errors." });
        return new RedactionRequest(replacements, reason!);
    }

    private static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Identifies the content of a request: the same replacements give the same fingerprint.</summary>
    public string Fingerprint()
    {
        var sb = new StringBuilder();
        foreach (var r in Replacements) sb.Append(r.Pointer).Append('\u0000').Append(r.Text).Append('\u0001');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

/// <summary>
/// Who redacts: the audit trail's actor, the id the lineage shows as "by", and whether they may replace text in
/// confidential items. Staff: a coordinator (object id; Nap.Confidential for confidential items); nap-admin: the
/// operator tool, which works with the operator's own storage rights.
/// </summary>
public sealed record Redactor(AuditActor Actor, string By, bool MayRedactConfidential)
{
    public static Redactor Of(StaffMember coordinator) =>
        new(AuditActor.Of(coordinator.Require(StaffRoles.Coordinator)), coordinator.ObjectId, coordinator.Has(StaffRoles.Confidential));

    public static readonly Redactor AdminTool = new(AuditActor.AdminTool, AuditActor.AdminTool.Id, true);
}

/// <summary>What a redaction did: the version's mark, and what was removed, in counts (never text).</summary>
public sealed record RedactionResult(
    string CycleId,
    string SignatoryId,
    int Version,
    /// <summary>Null when the version was never redacted and the replacements changed nothing.</summary>
    RedactionMark? Redacted,
    bool Created,
    int Replaced,
    int RemovedBlobs,
    int RemovedBlobVersions,
    int LeftSoftDeleted,
    int WithdrawnDrafts);

/// <summary>
/// Redacts a stored version: a coordinator replaces free text (titles, descriptions, partners, indicator comments and
/// qualitative values, narratives) by JSON pointer, checked by the submission's own parser. The version keeps its number,
/// receipt, lineage and review references; what changes is its stored content:
/// <list type="number">
/// <item>the version is put back together (public part, decrypted confidential part), the texts replaced, and split
/// again; a replacement in a confidential item needs <see cref="StaffRoles.Confidential"/> too;</item>
/// <item>the new parts are written under a new name (<see cref="BlobName"/>): the public part in <c>submissions</c>,
/// which fires the draft report's blob trigger as a new submission does; the confidential part encrypted;</item>
/// <item>one table transaction points the version, latest and idempotency rows at them, with "redacted on … by …" and
/// the blob to remove (ETag-guarded: a concurrent submission or redaction makes it 409);</item>
/// <item>the old parts are purged (<see cref="BlobPurge"/>: blob, blob versions, soft-deleted copies as far as the account
/// allows), unless another version row still uses the same blob; draft report versions compiled since the version was
/// received are withdrawn (files purged, status <c>withdrawn</c>), since any of them may quote the text; finals stay as
/// published, and the next report's lineage marks the version <c>redacted</c>;</item>
/// <item>one audit row, without text.</item>
/// </list>
/// Idempotent: the same replacements again change nothing, write no audit row and answer the same mark; a crash after
/// the commit leaves the old blob's name in the row, and the next call (any) finishes its removal.
/// </summary>
public sealed class VersionRedaction(
    NapStorage storage,
    ICycleStore cycles,
    ISubmissionIndex index,
    SubmissionParser parser,
    ISubmissionContentStore contents,
    IConfidentialPartStore confidential,
    ISubmissionContactStore contacts,
    LatestSubmissionCache latestCache,
    ReportStore reports,
    IAuditLog audit,
    TimeProvider time)
{
    public const string UnknownPointer = "unknown-pointer";
    public const string NotFreeText = "not-free-text";
    public const string WithdrawnStatus = "withdrawn";

    /// <summary>The redacted parts' name: per version and content, never the name of another version's blob.</summary>
    public static string BlobName(SubmissionReceipt receipt, string publicSha256, string? confidentialSha256) =>
        $"{receipt.CycleId}/{receipt.SignatoryId}/{receipt.Sha256}.v{receipt.Version.ToString(CultureInfo.InvariantCulture)}.redacted-" +
        SubmissionParts.Hash(Encoding.UTF8.GetBytes(publicSha256 + "|" + confidentialSha256))[..16] + ".json";

    public async Task<RedactionResult> RedactAsync(string cycleId, string signatoryId, int version, RedactionRequest request, Redactor redactor,
        string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        if (!ReportingCycle.IsValidId(cycleId) || await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false) is null)
            throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));
        var keyHash = idempotencyKey is null ? null
            : idempotencyKey.Length is 0 or > 200
                ? throw new ProblemException(new Problem(400, Problem.TypeBase + "idempotency-key", "Invalid Idempotency-Key.", "Use 1–200 characters, e.g. a UUID."))
                : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        var table = await storage.TableAsync(StorageNames.SubmissionsTable, cancellationToken).ConfigureAwait(false);
        var versionKey = TableSubmissionIndex.VersionKey(signatoryId, version);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, versionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var stored = row.HasValue ? await index.GetVersionAsync(cycleId, signatoryId, version, cancellationToken).ConfigureAwait(false) : null;
        if (stored is null) throw new ProblemException(Problem.NotFound("There is no such version of this signatory in this cycle."));
        var entity = row.Value!;
        // A removal a crashed call left unfinished comes first: the row can name one superseded blob only.
        if (entity.GetString("SupersededBlob") is { Length: > 0 })
        {
            await FinishRemovalAsync(table, entity, cancellationToken).ConfigureAwait(false);
            entity = (await table.GetEntityAsync<TableEntity>(cycleId, versionKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        var fingerprint = request.Fingerprint();

        // A retry of the last redaction by its key: the same answer, nothing done twice (but an unfinished removal finished).
        if (keyHash is not null && entity.GetString("RedactionKey") == keyHash && stored.Redacted is { } earlier)
        {
            if (entity.GetString("RedactionFingerprint") != fingerprint)
                throw new ProblemException(Problem.Conflict("idempotency-key-reused", "This Idempotency-Key was used for another redaction.", "Use a new Idempotency-Key for other replacements."));
            var removal = await FinishRemovalAsync(table, entity, cancellationToken).ConfigureAwait(false);
            return new RedactionResult(cycleId, signatoryId, version, earlier, false, request.Replacements.Count, removal.Blobs, removal.Versions, removal.Left, 0);
        }

        // The version as the signatory sent it, without the contact (kept apart, untouched by a redaction).
        var (full, contact) = await ReadWholeAsync(stored, cancellationToken).ConfigureAwait(false);
        var targets = Resolve(full, request.Replacements);
        if (targets.Any(t => t.Confidential) && !redactor.MayRedactConfidential) throw new ProblemException(StaffProblems.MissingRole(StaffRoles.Confidential));
        foreach (var t in targets) t.Apply();
        var redacted = JsonSerializer.SerializeToUtf8Bytes(full, CompactJson);
        Validate(redacted, targets);
        var parts = SubmissionParts.Split(redacted);

        if (stored.IsSplit && parts.PublicSha256 == stored.PublicSha256 && parts.ConfidentialSha256 == stored.ConfidentialSha256)
        {
            // Already so: the same redaction again (or texts that were already these). Nothing changes, no audit row.
            var removal = await FinishRemovalAsync(table, entity, cancellationToken).ConfigureAwait(false);
            return new RedactionResult(cycleId, signatoryId, version, stored.Redacted, false, request.Replacements.Count, removal.Blobs, removal.Versions, removal.Left, 0);
        }

        var now = time.GetUtcNow();
        var receipt = stored.Receipt;
        var newName = BlobName(receipt, parts.PublicSha256, parts.ConfidentialSha256);
        // The confidential part and the contact first: the public part fires the draft compilation.
        if (parts.Confidential is { } secret) await confidential.PutAsync(newName, secret, cancellationToken).ConfigureAwait(false);
        if (contact is not null) await contacts.PutAsync(receipt.CycleId, receipt.SignatoryId, receipt.Sha256, contact, cancellationToken).ConfigureAwait(false);
        await PutPublicAsync(newName, receipt, parts.Public, cancellationToken).ConfigureAwait(false);

        var update = new Dictionary<string, object>
        {
            ["BlobName"] = newName,
            ["PublicSha256"] = parts.PublicSha256,
            ["RedactedAt"] = now,
            ["RedactedBy"] = redactor.By,
            ["RedactionKey"] = keyHash ?? "",
            ["RedactionFingerprint"] = fingerprint,
        };
        if (parts.ConfidentialSha256 is { } cs) update["ConfidentialSha256"] = cs;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, Row(cycleId, versionKey, update, new Dictionary<string, object>
            {
                ["RedactionReason"] = request.Reason,
                ["Redactions"] = (entity.GetInt32("Redactions") ?? 0) + 1,
                ["SupersededBlob"] = stored.BlobName,
            }), entity.ETag),
        };
        var latest = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, TableSubmissionIndex.LatestKey(signatoryId), cancellationToken: cancellationToken).ConfigureAwait(false);
        var isLatest = latest.HasValue && latest.Value!.GetInt32("Version") == version;
        if (isLatest) actions.Add(new(TableTransactionActionType.UpdateMerge, Row(cycleId, latest.Value!.RowKey, update), latest.Value.ETag));
        var (from, to) = ($"idem|{signatoryId}|", $"idem|{signatoryId}}}");
        await foreach (var idem in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId && x.RowKey.CompareTo(from) > 0 && x.RowKey.CompareTo(to) < 0,
                           cancellationToken: cancellationToken).ConfigureAwait(false))
            if (idem.GetInt32("Version") == version && actions.Count < 100)
                actions.Add(new(TableTransactionActionType.UpdateMerge, Row(cycleId, idem.RowKey, update), idem.ETag));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var now2 = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, versionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (now2.HasValue && now2.Value!.GetString("BlobName") == newName && (await index.GetVersionAsync(cycleId, signatoryId, version, cancellationToken).ConfigureAwait(false))?.Redacted is { } raced)
                return new RedactionResult(cycleId, signatoryId, version, raced, false, request.Replacements.Count, 0, 0, 0, 0); // the same redaction, concurrently
            await RemoveAsync(newName, cancellationToken).ConfigureAwait(false);
            throw new ProblemException(Problem.Conflict("busy", "The version changed meanwhile.", "Someone submitted or redacted at the same moment; send the redaction again."));
        }
        if (isLatest) latestCache.Remember(cycleId, signatoryId, await index.GetLatestAsync(cycleId, signatoryId, cancellationToken).ConfigureAwait(false));

        // Drafts made until now were compiled from the rows before this commit; the next one (the trigger's) reads the new ones.
        var committedAt = time.GetUtcNow();
        var committed = (await table.GetEntityAsync<TableEntity>(cycleId, versionKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var removed = await FinishRemovalAsync(table, committed, cancellationToken).ConfigureAwait(false);
        var withdrawn = await WithdrawDraftsAsync(cycleId, receipt.ReceivedAt, committedAt, cancellationToken).ConfigureAwait(false);
        var result = (await index.GetVersionAsync(cycleId, signatoryId, version, cancellationToken).ConfigureAwait(false))!.Redacted!;
        await audit.AppendAsync(new AuditEvent(redactor.Actor, PrivacyAuditActions.Redact, cycleId, signatoryId, version,
            $"ok replaced={request.Replacements.Count.ToString(CultureInfo.InvariantCulture)}{(targets.Any(t => t.Confidential) ? " confidential" : "")} " +
            $"blobs={removed.Blobs.ToString(CultureInfo.InvariantCulture)} drafts-withdrawn={withdrawn.ToString(CultureInfo.InvariantCulture)}"), cancellationToken).ConfigureAwait(false);
        return new RedactionResult(cycleId, signatoryId, version, result, true, request.Replacements.Count, removed.Blobs, removed.Versions, removed.Left, withdrawn);
    }

    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static TableEntity Row(string partition, string rowKey, Dictionary<string, object> columns, Dictionary<string, object>? more = null)
    {
        var e = new TableEntity(partition, rowKey);
        foreach (var (k, v) in columns) e[k] = v;
        if (more is not null) foreach (var (k, v) in more) e[k] = v;
        return e;
    }

    private async Task<(JsonObject Body, ContactPerson? Contact)> ReadWholeAsync(SubmissionVersion version, CancellationToken ct)
    {
        var stored = await contents.GetAsync(version.BlobName, ct).ConfigureAwait(false)
                     ?? throw new InvalidOperationException("An indexed submission body is missing from Blob Storage.");
        if (SubmissionParts.Hash(stored.ToMemory().Span) != version.StoredSha256)
            throw new InvalidOperationException("A stored submission part does not match its SHA-256.");
        if (!version.IsSplit)
        {
            // Stored before intake split bodies: split it now, so the redacted version is stored as every new one is.
            var old = SubmissionParts.Split(stored.ToMemory());
            return (SubmissionParts.Reassemble(old.Public, old.Confidential, null), old.Contact);
        }
        ReadOnlyMemory<byte>? part = null;
        if (version.ConfidentialSha256 is { } expected)
        {
            var bytes = await confidential.GetAsync(version.BlobName, ct).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("An indexed confidential part is missing from Blob Storage.");
            if (SubmissionParts.Hash(bytes) != expected) throw new InvalidOperationException("A stored confidential part does not match its SHA-256.");
            part = bytes;
        }
        return (SubmissionParts.Reassemble(stored.ToMemory(), part, null), null);
    }

    /// <summary>One field to overwrite: where it is in the body (by position, as the parser reports errors) and in the request.</summary>
    private sealed record Target(int Index, string BodyPath, bool Confidential, Action Apply);

    private static List<Target> Resolve(JsonObject body, IReadOnlyList<TextReplacement> replacements)
    {
        var errors = new List<FieldError>();
        var targets = new List<Target>();
        for (var i = 0; i < replacements.Count; i++)
        {
            var r = replacements[i];
            var where = "/replacements/" + i.ToString(CultureInfo.InvariantCulture) + "/pointer";
            var target = Find(body, r, i, out var notText);
            if (target is null)
                errors.Add(notText
                    ? new FieldError(where, NotFreeText, "This field is not free text; only titles, descriptions, partners, indicator comments and qualitative values, and narratives can be redacted.")
                    : new FieldError(where, UnknownPointer, "There is no such field in this version (contributions are named by their id)."));
            else targets.Add(target);
        }
        if (errors.Count > 0) throw new ProblemException(Problem.Validation(errors) with { Title = "The redaction request has errors." });
        return targets;
    }

    private static Target? Find(JsonObject body, TextReplacement r, int index, out bool notText)
    {
        notText = false;
        var t = r.Pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        if (t.Length < 4 || t[0] != "goals" || body["goals"]?[t[1]] is not JsonObject goal) return null;
        var text = JsonValue.Create(r.Text);
        if (t[2] == "narratives")
        {
            if (goal["narratives"]?[t[3]] is not JsonObject narrative) return null;
            if (t.Length != 5 || t[4] != "text") { notText = t.Length == 5 && narrative.ContainsKey(t[4]); return null; }
            if (!IsText(narrative["text"])) return null;
            return new Target(index, $"/goals/{Escape(t[1])}/narratives/{Escape(t[3])}/text", IsConfidential(narrative), () => narrative["text"] = JsonValue.Create(r.Text));
        }
        if (t[2] != "contributions" || goal["contributions"] is not JsonArray list || t.Length < 5) return null;
        var position = -1;
        for (var i = 0; i < list.Count && position < 0; i++)
            if (list[i] is JsonObject c && ((c["id"] as JsonValue)?.TryGetValue<string>(out var id) == true ? id : SubmissionRules.DerivedContributionId(t[1], i)) == t[3])
                position = i;
        if (position < 0 || list[position] is not JsonObject item) return null;
        var path = $"/goals/{Escape(t[1])}/contributions/{position.ToString(CultureInfo.InvariantCulture)}";
        var secret = IsConfidential(item);
        switch (t[4])
        {
            case "title" or "description" when t.Length == 5:
                if (!IsText(item[t[4]])) return null;
                return new Target(index, $"{path}/{t[4]}", secret, () => item[t[4]] = text);
            case "partners" when t.Length == 6:
                if (item["partners"] is not JsonArray partners || !int.TryParse(t[5], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p >= partners.Count || !IsText(partners[p])) return null;
                return new Target(index, $"{path}/partners/{p.ToString(CultureInfo.InvariantCulture)}", secret, () => partners[p] = text);
            case "indicatorResults" when t.Length == 7 && t[6] is "comment" or "value":
                if (item["indicatorResults"] is not JsonArray results) return null;
                var k = -1;
                for (var i = 0; i < results.Count && k < 0; i++)
                    if (i.ToString(CultureInfo.InvariantCulture) == t[5] || (results[i]?["indicator"] as JsonValue)?.TryGetValue<string>(out var code) == true && code == t[5]) k = i;
                if (k < 0 || results[k] is not JsonObject result || !result.ContainsKey(t[6])) return null;
                if (!IsText(result[t[6]])) { notText = true; return null; } // a number: not free text
                return new Target(index, $"{path}/indicatorResults/{k.ToString(CultureInfo.InvariantCulture)}/{t[6]}", secret, () => result[t[6]] = text);
            default:
                notText = t.Length == 5 && item.ContainsKey(t[4]);
                return null;
        }
    }

    private static bool IsText(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsConfidential(JsonObject item) => item["confidential"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>The redacted body must pass the submission's own rules; an error at a replaced field is reported at its replacement.</summary>
    private void Validate(byte[] redacted, List<Target> targets)
    {
        try
        {
            parser.ParseStoredPart(redacted);
        }
        catch (ProblemException ex) when (ex.Problem.Errors is { } errors)
        {
            var mapped = errors.Select(e => targets.FirstOrDefault(t => t.BodyPath == e.Pointer) is { } t
                ? e with { Pointer = "/replacements/" + t.Index.ToString(CultureInfo.InvariantCulture) + "/text" }
                : e).ToList();
            throw new ProblemException(Problem.Validation(mapped) with { Title = "The redaction request has errors." });
        }
    }

    private async Task PutPublicAsync(string name, SubmissionReceipt receipt, byte[] part, CancellationToken ct)
    {
        var container = await storage.ContainerAsync(StorageNames.SubmissionsContainer, ct).ConfigureAwait(false);
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(part), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = new Dictionary<string, string>
                {
                    ["cycle"] = receipt.CycleId, ["signatory"] = receipt.SignatoryId, ["sha256"] = SubmissionParts.Hash(part),
                    [BlobSubmissionContentStore.PartKey] = BlobSubmissionContentStore.PublicPart, ["redacted"] = "true",
                },
            }, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Named by version and content: the same bytes are there already.
        }
    }

    private sealed record Removal(int Blobs, int Versions, int Left);

    /// <summary>
    /// Purges the blob the version used before its last redaction (recorded in its row), public and confidential part,
    /// unless another row of the cycle still names it (a later version with the very same bytes), then forgets it.
    /// </summary>
    private async Task<Removal> FinishRemovalAsync(TableClient table, TableEntity versionRow, CancellationToken ct)
    {
        if (versionRow.GetString("SupersededBlob") is not { Length: > 0 } old || old == versionRow.GetString("BlobName")) return new Removal(0, 0, 0);
        var sharedBy = 0;
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {versionRow.PartitionKey} and BlobName eq {old}"),
                           select: ["RowKey"], cancellationToken: ct).ConfigureAwait(false))
            sharedBy++;
        var result = sharedBy > 0 ? PurgeResult.None : await RemoveAsync(old, ct).ConfigureAwait(false);
        await table.UpdateEntityAsync(new TableEntity(versionRow.PartitionKey, versionRow.RowKey) { ["SupersededBlob"] = "" }, ETag.All, TableUpdateMode.Merge, ct).ConfigureAwait(false);
        return new Removal((result.Deleted ? 1 : 0), result.Versions, result.LeftSoftDeleted);
    }

    private async Task<PurgeResult> RemoveAsync(string name, CancellationToken ct)
    {
        var submissions = await storage.ContainerAsync(StorageNames.SubmissionsContainer, ct).ConfigureAwait(false);
        var secrets = await storage.ContainerAsync(StorageNames.ConfidentialContainer, ct).ConfigureAwait(false);
        var a = await BlobPurge.PurgeAsync(submissions, name, ct).ConfigureAwait(false);
        var b = await BlobPurge.PurgeAsync(secrets, name, ct).ConfigureAwait(false);
        return a.Add(b with { Deleted = false });
    }

    /// <summary>
    /// Draft report versions compiled after the version arrived and before this redaction may quote the text: their
    /// files are purged and their rows say <c>withdrawn</c>. The draft that follows the redaction replaces them.
    /// Finals stay as published; the next one's lineage marks the version redacted.
    /// </summary>
    private async Task<int> WithdrawDraftsAsync(string cycleId, DateTimeOffset receivedAt, DateTimeOffset committedAt, CancellationToken ct)
    {
        var container = await storage.ContainerAsync(StorageNames.ReportsContainer, ct).ConfigureAwait(false);
        var table = await reports.VersionsAsync(ct).ConfigureAwait(false);
        var withdrawn = 0;
        foreach (var v in await reports.ListAsync(cycleId, ct).ConfigureAwait(false))
        {
            if (v.Kind != ReportKind.Draft || v.Status is WithdrawnStatus || v.CreatedAt < receivedAt || v.CreatedAt > committedAt) continue;
            foreach (var f in v.Files) await BlobPurge.PurgeAsync(container, f.BlobName, ct).ConfigureAwait(false);
            await table.UpdateEntityAsync(new TableEntity(cycleId, ReportStore.VersionKey(v.Version)) { ["Status"] = WithdrawnStatus }, ETag.All, TableUpdateMode.Merge, ct).ConfigureAwait(false);
            withdrawn++;
        }
        return withdrawn;
    }
}
