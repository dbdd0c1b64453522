using Azure;
using Azure.Data.Tables;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Storage;

namespace Nap.Security;

/// <summary>
/// Issues signatory links by the rules, written once for the reminders, <c>POST /api/links</c>, nap-admin and the dev
/// host: a link is for one cycle and one contact of an active signatory, and lives until that cycle's deadline (or
/// the signatory's extension) plus <c>Tokens:GraceDays</c>, never more than <c>Tokens:MaxLifetimeDays</c> from now,
/// whatever the caller asks.
/// </summary>
public sealed class SignatoryLinks(TokenService tokens, ISignatoryRegistry registry, ICycleStore cycles, TimeProvider time)
{
    /// <summary>A new link token; <paramref name="contactEmail"/> null means the signatory's primary (else first) contact.</summary>
    public async Task<string> IssueAsync(string signatoryId, string cycleId, string? contactEmail = null, TimeSpan? lifetime = null,
        CancellationToken cancellationToken = default)
    {
        var signatory = await registry.FindAsync(signatoryId, cancellationToken).ConfigureAwait(false);
        if (signatory is not { Active: true }) throw new InvalidOperationException($"No active signatory '{signatoryId}'.");
        var cycle = await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"No cycle '{cycleId}'.");
        var contact = contactEmail is null
            ? signatory.ContactsIn(ContactRole.Primary).Concat(signatory.Contacts).FirstOrDefault()
            : signatory.Contacts.FirstOrDefault(c => string.Equals(c.Email.Trim(), contactEmail.Trim(), StringComparison.OrdinalIgnoreCase));
        if (contact is null) throw new InvalidOperationException($"Signatory '{signatoryId}' has no such contact: a link is sent to one of its contacts.");
        var settings = await cycles.FindSettingsAsync(cycleId, signatoryId, cancellationToken).ConfigureAwait(false);
        return await IssueAsync(signatory, contact, cycle, cycle.DeadlineFor(settings), lifetime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new link for a contact of a signatory whose deadline in the cycle (extension included) the caller knows.</summary>
    public Task<string> IssueAsync(Signatory signatory, Contact contact, ReportingCycle cycle, DateTimeOffset deadline, TimeSpan? lifetime = null,
        CancellationToken cancellationToken = default)
    {
        var expires = ExpiryFor(deadline, lifetime);
        if (expires <= time.GetUtcNow())
            throw new InvalidOperationException($"Links for cycle '{cycle.Id}' have expired (its deadline plus {tokens.Options.GraceDays} days has passed).");
        return tokens.IssueAsync(new LinkClaims(signatory.Id, cycle.Id, ReminderLedger.RecipientHash(contact.Email)), expires, cancellationToken);
    }

    /// <summary>Deadline plus grace, capped at now plus the maximum; a requested lifetime can only shorten it.</summary>
    public DateTimeOffset ExpiryFor(DateTimeOffset deadline, TimeSpan? requested = null)
    {
        var now = time.GetUtcNow();
        var expires = deadline.AddDays(tokens.Options.GraceDays);
        var max = now.AddDays(tokens.Options.MaxLifetimeDays);
        if (expires > max) expires = max;
        if (requested is { } r && r > TimeSpan.Zero && now + r < expires) expires = now + r;
        return expires;
    }
}

/// <summary>
/// Links revoked one by one (table <c>RevokedLinks</c>, partition = link id). A row is kept until the link would have
/// expired anyway. Revoking all of a signatory's links is the registry's <c>TokensValidFrom</c>.
/// </summary>
public sealed class LinkRevocations(NapStorage storage)
{
    private Task<TableClient> Table(CancellationToken ct) => storage.TableAsync(StorageNames.RevokedLinksTable, ct);

    public static bool IsLinkId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigit);

    public async Task RevokeAsync(string linkId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (!IsLinkId(linkId)) throw new ProblemException(Problem.NotFound("A link id is 32 hexadecimal digits (the link's jti)."));
        var table = await Table(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(linkId.ToLowerInvariant(), "") { ["RevokedAt"] = at }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsRevokedAsync(string linkId, CancellationToken cancellationToken = default)
    {
        if (!IsLinkId(linkId)) return true;
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(linkId.ToLowerInvariant(), "", ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }
}

/// <summary>The answer to a revocation: what was revoked and from when.</summary>
public sealed record LinkRevocation(string? LinkId, string? SignatoryId, DateTimeOffset RevokedAt);

/// <summary>Coordinators revoke one leaked link (by its id, the JWT's <c>jti</c>) or every link a signatory holds.</summary>
public sealed class LinkRevocationService(LinkRevocations revocations, ISignatoryRegistry registry, Audit.IAuditLog audit, TimeProvider time)
{
    public Task<LinkRevocation> RevokeLinkAsync(string linkId, StaffMember coordinator, CancellationToken cancellationToken = default) =>
        audit.RecordAsync(new Audit.AuditEvent(Audit.AuditActor.Of(coordinator), Audit.AuditActions.LinkRevoke), async () =>
        {
            var now = time.GetUtcNow();
            await revocations.RevokeAsync(linkId, now, cancellationToken).ConfigureAwait(false);
            return new LinkRevocation(linkId.ToLowerInvariant(), null, now);
        }, cancellationToken);

    public Task<LinkRevocation> RevokeSignatoryLinksAsync(string signatoryId, StaffMember coordinator, CancellationToken cancellationToken = default) =>
        audit.RecordAsync(new Audit.AuditEvent(Audit.AuditActor.Of(coordinator), Audit.AuditActions.RegistryRevoke, SignatoryId: signatoryId), async () =>
        {
            if (await registry.FindAsync(signatoryId, cancellationToken).ConfigureAwait(false) is null)
                throw new ProblemException(Problem.NotFound($"No signatory '{signatoryId}'."));
            var now = time.GetUtcNow();
            await registry.RevokeTokensAsync(signatoryId, now, cancellationToken).ConfigureAwait(false);
            return new LinkRevocation(null, signatoryId, now);
        }, cancellationToken);
}
