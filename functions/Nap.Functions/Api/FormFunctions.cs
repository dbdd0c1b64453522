using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Form;
using Nap.Functions.Http;

namespace Nap.Functions.Api;

/// <summary>
/// The signatories' web form: static files embedded in the app. The personal token travels in the URL fragment,
/// which browsers never send, so it reaches neither these functions nor any log.
/// </summary>
public sealed class FormFunctions(ILogger<FormFunctions> logger)
{
    [Function("GetForm")]
    public Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "form")] HttpRequest request) =>
        Serve(request, "index.html");

    [Function("GetFormFile")]
    public Task<IActionResult> File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "form/{file}")] HttpRequest request,
        string file) =>
        Serve(request, file);

    private Task<IActionResult> Serve(HttpRequest request, string file) =>
        HttpApi.Run(logger, nameof(Serve), () =>
        {
            var asset = FormAssets.Files.Find(file) ?? throw new ProblemException(Problem.NotFound("There is no such file in the form."));
            return Task.FromResult<IActionResult>(new EmbeddedAssetResult(asset,
                HttpApi.Header(request, "If-None-Match"),
                HttpApi.Header(request, "Accept-Encoding"),
                request.Query.TryGetValue("v", out var v) ? v.ToString() : null));
        });
}
