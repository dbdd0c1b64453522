using Nap.Api;
using Nap.Signatories;

namespace Nap.Security;

/// <summary>Turns an Authorization header into a checked principal, or a 401/403 problem.</summary>
public sealed class AccessGuard(TokenService tokens, ISignatoryRegistry registry)
{
    public async Task<NapPrincipal> AuthenticateAsync(string? authorizationHeader)
    {
        var token = TokenService.BearerToken(authorizationHeader)
            ?? throw new ProblemException(Problem.Unauthorized("Send 'Authorization: Bearer <token>' with the token from your personal link."));
        return await tokens.ValidateAsync(token).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.Unauthorized("The token is not valid or has expired. Request a new link."));
    }

    /// <summary>A signatory token for this cycle, of an active signatory whose tokens were not revoked.</summary>
    public async Task<Signatory> RequireSignatoryAsync(string? authorizationHeader, string cycleId, CancellationToken cancellationToken = default)
    {
        var principal = await AuthenticateAsync(authorizationHeader).ConfigureAwait(false);
        if (principal.Role != TokenRole.Signatory) throw new ProblemException(Problem.Forbidden("This needs a signatory token."));
        if (principal.CycleId is not null && principal.CycleId != cycleId)
            throw new ProblemException(Problem.Forbidden("This token is for another reporting cycle."));
        var signatory = await registry.FindAsync(principal.Subject, cancellationToken).ConfigureAwait(false);
        if (signatory is null || !signatory.Active) throw new ProblemException(Problem.Forbidden("This signatory is not active in the registry."));
        if (signatory.TokensValidFrom is { } from && principal.IssuedAt < from)
            throw new ProblemException(Problem.Unauthorized("This link was revoked. Request a new link."));
        return signatory;
    }

    public async Task<NapPrincipal> RequireCoordinatorAsync(string? authorizationHeader)
    {
        var principal = await AuthenticateAsync(authorizationHeader).ConfigureAwait(false);
        if (principal.Role != TokenRole.Coordinator) throw new ProblemException(Problem.Forbidden("This needs a coordinator token."));
        return principal;
    }
}
