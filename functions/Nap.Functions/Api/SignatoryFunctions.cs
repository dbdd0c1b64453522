using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Functions.Api;

/// <summary>The signatory registry: staff read it, administrators add, edit, deactivate and import (<see cref="SignatoryAdministration"/>).</summary>
public sealed class SignatoryFunctions(SignatoryAdministration registry, Callers callers, ILogger<SignatoryFunctions> logger)
{
    private const int MaxBody = 64 * 1024;
    // About 75 signatories with a few contacts each; room for ten times that.
    private const int MaxImport = 2 * 1024 * 1024;

    [Function("ListSignatories")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signatories")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(List), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return new JsonAnswer(new { signatories = await registry.ListAsync(cancellationToken) });
        });

    [Function("GetSignatory")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signatories/{signatoryId}")] HttpRequest request,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Get), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return Answer(await registry.GetAsync(signatoryId, cancellationToken));
        });

    [Function("CreateSignatory")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signatories")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Create), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var created = await registry.CreateAsync(await JsonBodyAsync(request, cancellationToken), admin, cancellationToken);
            var answer = Answer(created, StatusCodes.Status201Created);
            answer.Headers["Location"] = $"/api/signatories/{created.Id}";
            return answer;
        });

    /// <summary>Replaces name, kind, language, contacts and active; If-Match required (428 without, 412 when stale).</summary>
    [Function("UpdateSignatory")]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signatories/{signatoryId}")] HttpRequest request,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Update), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var body = await JsonBodyAsync(request, cancellationToken);
            return Answer(await registry.UpdateAsync(signatoryId, body, HttpApi.Header(request, "If-Match"), admin, cancellationToken));
        });

    [Function("DeactivateSignatory")]
    public Task<IActionResult> Deactivate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signatories/{signatoryId}/deactivate")] HttpRequest request,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Deactivate), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            return Answer(await registry.DeactivateAsync(signatoryId, HttpApi.Header(request, "If-Match"), admin, cancellationToken));
        });

    /// <summary><c>?mode=preview</c> (writes nothing) or <c>?mode=apply</c>; the body is the CSV (text/csv) or JSON (application/json) nap-admin imports.</summary>
    [Function("ImportSignatories")]
    public Task<IActionResult> Import(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signatories/import")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Import), async () =>
        {
            var admin = callers.Staff(request, StaffRoles.Admin);
            var mode = (request.Query.TryGetValue("mode", out var m) ? m.ToString() : null) switch
            {
                "preview" => ImportMode.Preview,
                "apply" => ImportMode.Apply,
                _ => throw new ProblemException(new Problem(400, Problem.TypeBase + "invalid-query", "A query parameter is not valid.", "mode is preview or apply.",
                    [new FieldError("/mode", "required", "mode is preview or apply.")])),
            };
            var media = MediaType(request.ContentType);
            if (media is not ("text/csv" or "application/json")) throw new ProblemException(Problem.UnsupportedMediaType("text/csv or application/json"));
            var text = await TextAsync(request, MaxImport, cancellationToken);
            return new JsonAnswer(await registry.ImportAsync(text, media == "text/csv", mode, admin, cancellationToken));
        });

    private static JsonAnswer Answer(SignatoryView view, int status = StatusCodes.Status200OK)
    {
        var answer = new JsonAnswer(view, status);
        if (view.ETag is { } etag) answer.Headers["ETag"] = etag;
        return answer;
    }

    private static async Task<string> JsonBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (MediaType(request.ContentType) != "application/json") throw new ProblemException(Problem.UnsupportedMediaType("application/json"));
        return await TextAsync(request, MaxBody, cancellationToken);
    }

    private static async Task<string> TextAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = await HttpApi.ReadBodyAsync(request, limit, cancellationToken);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new ProblemException(Problem.BadRequest("The body is not valid UTF-8."));
        }
    }

    private static string? MediaType(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant();
}
