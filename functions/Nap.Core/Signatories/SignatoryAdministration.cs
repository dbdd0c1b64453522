using System.Text.Json;
using System.Text.Json.Nodes;
using Nap.Api;
using Nap.Audit;
using Nap.Security;

namespace Nap.Signatories;

/// <summary>A signatory as staff see and edit it. Contacts are personal data: shown to staff, never logged.</summary>
public sealed record SignatoryView(string Id, string Name, SignatoryKind Kind, string Language, bool Active, IReadOnlyList<Contact> Contacts, string? ETag)
{
    public static SignatoryView Of(Signatory s) => new(s.Id, s.Name, s.Kind, s.Language, s.Active, s.Contacts, s.ETag);
}

public sealed record ImportChanges(IReadOnlyList<string> Add, IReadOnlyList<string> Update, int Unchanged);

/// <summary>What an import holds or did: rows read, every problem by row, and the changes it makes (or made, when applied).</summary>
public sealed record ImportSummary(int Rows, IReadOnlyList<ImportProblem> Problems, ImportChanges Changes, bool Applied);

public enum ImportMode { Preview, Apply }

/// <summary>
/// The registry for administrators (the console; nap-admin imports through the same <see cref="SignatoryImport"/>
/// parser): create, edit under If-Match, deactivate, import with a preview. Changing or removing a contact's address
/// ends the links sent to it: a link names its contact (by hash) and <see cref="AccessGuard"/> refuses one whose contact
/// the registry no longer has. Every change writes an audit row.
/// </summary>
public sealed class SignatoryAdministration(ISignatoryRegistry registry, IAuditLog audit)
{
    public async Task<IReadOnlyList<SignatoryView>> ListAsync(CancellationToken ct = default) =>
        (await registry.ListAsync(ct).ConfigureAwait(false)).Select(SignatoryView.Of).ToList();

    public async Task<SignatoryView> GetAsync(string id, CancellationToken ct = default) =>
        SignatoryView.Of(await RequireAsync(id, ct).ConfigureAwait(false));

    public Task<SignatoryView> CreateAsync(string json, StaffMember admin, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.RegistryCreate), async () =>
        {
            var signatory = ParseOne(json, null);
            if (!await registry.TryCreateAsync(signatory, ct).ConfigureAwait(false))
                throw new ProblemException(Problem.Conflict("signatory-exists", "A signatory with this id exists.", "Edit it with PUT /api/signatories/{id}, or choose another id."));
            return SignatoryView.Of(await RequireAsync(signatory.Id, ct).ConfigureAwait(false));
        }, ct);

    /// <summary>Replaces name, kind, language, contacts and active. <paramref name="ifMatch"/> is required (428) and must be the current ETag (412).</summary>
    public Task<SignatoryView> UpdateAsync(string id, string json, string? ifMatch, StaffMember admin, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.RegistryUpdate, SignatoryId: SignatoryImport.IsValidId(id) ? id : null), async () =>
        {
            var current = await RequireAsync(id, ct).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(ifMatch)) throw new ProblemException(PreconditionRequired());
            var signatory = ParseOne(json, id);
            if (ifMatch.Trim() != "*" && ifMatch.Trim() != current.ETag) throw new ProblemException(Stale());
            if (!await registry.TryUpdateAsync(signatory, current.ETag!, ct).ConfigureAwait(false)) throw new ProblemException(Stale());
            return SignatoryView.Of(await RequireAsync(id, ct).ConfigureAwait(false));
        }, ct);

    /// <summary>Deactivates (no reminders, links refused); already inactive is fine. An If-Match, when sent, must be current.</summary>
    public Task<SignatoryView> DeactivateAsync(string id, string? ifMatch, StaffMember admin, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.RegistryDeactivate, SignatoryId: SignatoryImport.IsValidId(id) ? id : null), async () =>
        {
            for (var attempt = 0; ; attempt++)
            {
                var current = await RequireAsync(id, ct).ConfigureAwait(false);
                if (ifMatch is { Length: > 0 } tag && tag.Trim() != "*" && tag.Trim() != current.ETag) throw new ProblemException(Stale());
                if (!current.Active) return SignatoryView.Of(current);
                if (await registry.TryUpdateAsync(current with { Active = false }, current.ETag!, ct).ConfigureAwait(false))
                    return SignatoryView.Of(await RequireAsync(id, ct).ConfigureAwait(false));
                // Edited meanwhile: deactivating does not depend on the rest, so take the new row (unless the caller pinned one).
                if (ifMatch is { Length: > 0 } || attempt >= 3) throw new ProblemException(Stale());
            }
        }, ct);

    /// <summary>
    /// Reads a CSV or JSON registry with <see cref="SignatoryImport"/> and compares it with the registry. A preview writes
    /// nothing at all; an apply with problems is refused with them (422), nothing written; otherwise it adds and updates.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(string text, bool csv, ImportMode mode, StaffMember admin, CancellationToken ct = default)
    {
        var parsed = csv ? SignatoryImport.ParseCsv(text) : SignatoryImport.ParseJson(text);
        var existing = (await registry.ListAsync(ct).ConfigureAwait(false)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var add = parsed.Signatories.Where(s => !existing.ContainsKey(s.Id)).ToList();
        var update = parsed.Signatories.Where(s => existing.TryGetValue(s.Id, out var e) && !Same(e, s)).ToList();
        var changes = new ImportChanges(add.Select(s => s.Id).ToList(), update.Select(s => s.Id).ToList(), parsed.Signatories.Count - add.Count - update.Count);
        var summary = new ImportSummary(parsed.Rows, parsed.Problems, changes, Applied: false);
        if (mode == ImportMode.Preview) return summary;
        return await audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.RegistryImport), async () =>
        {
            if (parsed.Problems.Count > 0)
                throw new ProblemException(new Problem(422, Problem.TypeBase + "invalid-import", "The import has problems; nothing was written.",
                    $"{parsed.Problems.Count} problem(s); fix them and import again.",
                    parsed.Problems.Select(p => new FieldError(p.Pointer, p.Code, p.Detail) { Row = p.Row }).ToList()));
            if (add.Count + update.Count > 0) await registry.UpsertAsync(add.Concat(update), ct).ConfigureAwait(false);
            return summary with { Applied = true };
        }, ct).ConfigureAwait(false);
    }

    private static bool Same(Signatory a, Signatory b) =>
        a.Name == b.Name && a.Kind == b.Kind && a.Language == b.Language && a.Active == b.Active && a.Contacts.SequenceEqual(b.Contacts);

    /// <summary>One signatory from an API body; the id from the URL when the body has none. 400 for malformed JSON, 422 with pointers.</summary>
    private static Signatory ParseOne(string json, string? id)
    {
        if (id is not null)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(json); }
            catch (JsonException) { throw new ProblemException(Problem.BadRequest("The body must be a JSON object.")); }
            if (node is not JsonObject body) throw new ProblemException(Problem.BadRequest("The body must be a JSON object."));
            if (body["id"] is null) body["id"] = id;
            else if (body["id"] is not JsonValue v || !v.TryGetValue<string>(out var given) || given != id)
                throw new ProblemException(Problem.Validation([new FieldError("/id", "immutable", "The id cannot change; leave it out or send the one in the URL.")]));
            json = body.ToJsonString();
        }
        var result = SignatoryImport.ParseOne(json);
        if (result.Problems is [{ Row: 0 } malformed]) throw new ProblemException(Problem.BadRequest(malformed.Detail));
        if (result.Problems.Count > 0)
            throw new ProblemException(Problem.Validation(result.Problems.Select(p => new FieldError(p.Pointer, p.Code, p.Detail)).ToList()));
        return result.Signatories[0];
    }

    private async Task<Signatory> RequireAsync(string id, CancellationToken ct) =>
        (SignatoryImport.IsValidId(id) ? await registry.ReadAsync(id, ct).ConfigureAwait(false) : null)
        ?? throw new ProblemException(Problem.NotFound("There is no such signatory."));

    private static Problem Stale() => new(412, Problem.TypeBase + "stale-etag", "Someone else changed this signatory.", "Reload it and apply your change again.");

    private static Problem PreconditionRequired() =>
        new(428, Problem.TypeBase + "if-match-required", "If-Match is required.", "Send the ETag of the signatory you edited as If-Match.");
}
