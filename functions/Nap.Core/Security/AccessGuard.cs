using Nap.Api;
using Nap.Signatories;

namespace Nap.Security;

/// <summary>Turns a signatory's link token into a checked <see cref="SignatoryCaller"/>, or a 401/403 problem.</summary>
public sealed class AccessGuard(TokenService tokens, ISignatoryRegistry registry)
{
    /// <summary>A valid signatory token of an active signatory whose links were not revoked since it was issued.</summary>
    public async Task<SignatoryCaller> AuthenticateSignatoryAsync(string? bearerToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(bearerToken))
            throw new ProblemException(Problem.Unauthorized("Send 'Authorization: Bearer <token>' with the token from your personal link."));
        var link = await tokens.ValidateAsync(bearerToken).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.Unauthorized("The token is not valid or has expired. Request a new link."));
        var signatory = await registry.FindAsync(link.Subject, cancellationToken).ConfigureAwait(false);
        if (signatory is null || !signatory.Active) throw new ProblemException(Problem.Forbidden("This signatory is not active in the registry."));
        if (signatory.TokensValidFrom is { } from && link.IssuedAt < from)
            throw new ProblemException(Problem.Unauthorized("This link was revoked. Request a new link."));
        return new SignatoryCaller(signatory, link);
    }
}
