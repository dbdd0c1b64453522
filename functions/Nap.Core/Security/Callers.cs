using Nap.Api;
using Nap.Signatories;

namespace Nap.Security;

/// <summary>
/// A signed-in staff member as Easy Auth vouches for them: the Entra object id (the only identifier that is stored, e.g.
/// in the audit trail), a display name (shown, never stored) and the app roles.
/// </summary>
public sealed record StaffMember(string ObjectId, string Name, IReadOnlySet<string> Roles, string IdentityProvider)
{
    public bool Has(string role) => StaffRoles.Satisfying(role).Any(Roles.Contains);

    /// <summary>403 unless the member holds the role (or one that includes it).</summary>
    public StaffMember Require(string role) =>
        Has(role) ? this : throw new ProblemException(StaffProblems.MissingRole(role));
}

/// <summary>A signatory speaking through its personal link: the registry entry and the link's checked claims.</summary>
public sealed record SignatoryCaller(Signatory Signatory, NapPrincipal Link)
{
    public string Id => Signatory.Id;

    /// <summary>403 unless the link is for this cycle (every link names its one cycle).</summary>
    public SignatoryCaller RequireCycle(string cycleId) =>
        Link.CycleId == cycleId ? this : throw new ProblemException(Problem.Forbidden("This token is for another reporting cycle."));
}

public static class StaffProblems
{
    public static Problem SignInRequired() =>
        new(401, Problem.TypeBase + "sign-in-required", "Sign in as staff.", "Sign in with your organisation's Microsoft account at /.auth/login/aad.");

    public static Problem BadPrincipal() =>
        new(401, Problem.TypeBase + "sign-in-required", "Sign in as staff.", "The sign-in information is not valid; sign in again at /.auth/login/aad.");

    public static Problem MissingRole(string role) =>
        new(403, Problem.TypeBase + "missing-role", "Your account lacks the role for this.", $"This needs the app role {role}; ask your tenant's administrator to assign it.");

    public static Problem SignInNotConfigured() =>
        new(503, Problem.TypeBase + "sign-in-not-configured", "Sign-in is not configured.",
            "App Service Authentication is not enabled on this app, so staff cannot be identified. Staff routes stay closed until it is.");

    public static Problem CrossOrigin() =>
        new(403, Problem.TypeBase + "cross-origin", "Cross-site request refused.", "Changes are accepted only from this app's own pages.");
}
