using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Functions.Http;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>Coordinators revoke a leaked signatory link, or all of a signatory's links (each recorded in the audit trail).</summary>
public sealed class LinkFunctions(LinkRevocationService revocations, Callers callers, ILogger<LinkFunctions> logger)
{
    /// <summary>One link, by its id (the <c>jti</c> in the link's token, printed by nap-admin when it mints one).</summary>
    [Function("RevokeLink")]
    public Task<IActionResult> RevokeLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "links/{linkId}")] HttpRequest request,
        string linkId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(RevokeLink), async () =>
            new JsonAnswer(await revocations.RevokeLinkAsync(linkId, callers.Staff(request, StaffRoles.Coordinator), cancellationToken)));

    /// <summary>Every link issued to the signatory until now; links issued afterwards work.</summary>
    [Function("RevokeSignatoryLinks")]
    public Task<IActionResult> RevokeSignatoryLinks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "signatories/{signatoryId}/links")] HttpRequest request,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(RevokeSignatoryLinks), async () =>
            new JsonAnswer(await revocations.RevokeSignatoryLinksAsync(signatoryId, callers.Staff(request, StaffRoles.Coordinator), cancellationToken)));
}
