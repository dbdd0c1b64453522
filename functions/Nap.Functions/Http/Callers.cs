using Microsoft.AspNetCore.Http;
using Nap.Api;
using Nap.Security;

namespace Nap.Functions.Http;

/// <summary>
/// Authentication, once per request, in the function layer: a signatory from its link token, or a staff member from the
/// principal App Service Authentication injects. The core receives the typed caller and never sees a header.
/// </summary>
public sealed class Callers(AccessGuard signatories, StaffSignIn staff, NapOptions options)
{
    /// <summary>The signatory whose link token is in <c>Authorization: Bearer …</c>, or 401/403.</summary>
    public Task<SignatoryCaller> SignatoryAsync(HttpRequest request, CancellationToken cancellationToken) =>
        signatories.AuthenticateSignatoryAsync(TokenService.BearerToken(HttpApi.Header(request, "Authorization")), cancellationToken);

    /// <summary>
    /// The signed-in staff member holding <paramref name="role"/>: 503 when sign-in is not configured, 401 without a
    /// principal, 403 without the role, and 403 for a state-changing request from another site's page.
    /// </summary>
    public StaffMember Staff(HttpRequest request, string role)
    {
        var member = staff.Require(HttpApi.Header(request, ClientPrincipal.HeaderName), role);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && !StaffSignIn.IsSameOrigin(HttpApi.Header(request, "Origin"), request.Host.HasValue ? request.Host.Value : null, options.PublicBaseUrl))
            throw new ProblemException(StaffProblems.CrossOrigin());
        return member;
    }
}
