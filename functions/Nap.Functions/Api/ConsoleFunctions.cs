using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Functions.StaffConsole;
using Nap.Security;

namespace Nap.Functions.Api;

/// <summary>
/// The coordinators' console: one page and its scripts and styles, embedded in the app. The page holds no data; it
/// reads everything from the staff API, which checks the caller's roles on every request. Without a signed-in staff
/// member the page sends the browser to the Easy Auth sign-in and back.
/// </summary>
public sealed class ConsoleFunctions(StaffSignIn signIn, ILogger<ConsoleFunctions> logger)
{
    public const string SignInPath = "/.auth/login/aad?post_login_redirect_uri=/api/console";

    [Function("GetConsole")]
    public Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "console")] HttpRequest request) =>
        HttpApi.Run(logger, nameof(Page), () =>
        {
            // Easy Auth lets anonymous requests through (the form needs that), so the page asks for sign-in itself.
            if (!signIn.HeaderTrusted) throw new ProblemException(StaffProblems.SignInNotConfigured());
            if (string.IsNullOrEmpty(HttpApi.Header(request, ClientPrincipal.HeaderName)))
                return Task.FromResult<IActionResult>(new SignInRedirect());
            return Serve(request, ConsoleAssets.Files.Find("index.html"));
        });

    /// <summary>Scripts and styles carry no data, so they are served like the form's, signed in or not; the page only at /api/console.</summary>
    [Function("GetConsoleFile")]
    public Task<IActionResult> File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "console/{file}")] HttpRequest request,
        string file) =>
        HttpApi.Run(logger, nameof(File), () => Serve(request, file.EndsWith(".html", StringComparison.Ordinal) ? null : ConsoleAssets.Files.Find(file)));

    private static Task<IActionResult> Serve(HttpRequest request, EmbeddedAsset? asset)
    {
        if (asset is null) throw new ProblemException(Problem.NotFound("There is no such file in the console."));
        return Task.FromResult<IActionResult>(new EmbeddedAssetResult(asset,
            HttpApi.Header(request, "If-None-Match"),
            HttpApi.Header(request, "Accept-Encoding"),
            request.Query.TryGetValue("v", out var v) ? v.ToString() : null));
    }

    /// <summary>302 to the sign-in; never cached, since the same URL answers 200 once signed in.</summary>
    private sealed class SignInRedirect : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status302Found;
            response.Headers.Location = SignInPath;
            response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }
    }
}
