using Nap.Api;
using Nap.Reminders;
using Nap.Signatories;

namespace Nap.Security;

/// <summary>Turns a signatory's link token into a checked <see cref="SignatoryCaller"/>, or a 401/403 problem.</summary>
public sealed class AccessGuard(TokenService tokens, ISignatoryRegistry registry, LinkRevocations revocations)
{
    /// <summary>
    /// A valid link of an active signatory, sent to one of its current contacts (a contact removed or readdressed in the
    /// registry revokes the links sent to it), not revoked by id and not issued before the signatory's links were revoked.
    /// </summary>
    public async Task<SignatoryCaller> AuthenticateSignatoryAsync(string? bearerToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(bearerToken))
            throw new ProblemException(Problem.Unauthorized("Send 'Authorization: Bearer <token>' with the token from your personal link."));
        var link = await tokens.ValidateAsync(bearerToken, cancellationToken).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.Unauthorized("The token is not valid or has expired. Request a new link."));
        var signatory = await registry.FindAsync(link.Subject, cancellationToken).ConfigureAwait(false);
        if (signatory is null || !signatory.Active) throw new ProblemException(Problem.Forbidden("This signatory is not active in the registry."));
        if (signatory.TokensValidFrom is { } from && link.IssuedAt < from) throw Revoked();
        if (!signatory.Contacts.Any(c => ReminderLedger.RecipientHash(c.Email) == link.ContactHash)) throw Revoked();
        if (await revocations.IsRevokedAsync(link.LinkId, cancellationToken).ConfigureAwait(false)) throw Revoked();
        return new SignatoryCaller(signatory, link);
    }

    private static ProblemException Revoked() => new(Problem.Unauthorized("This link was revoked. Request a new link."));
}
