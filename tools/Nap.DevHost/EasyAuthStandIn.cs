using System.Net;
using System.Security.Cryptography;
using System.Text;
using Nap.Security;

namespace Nap.DevHost;

/// <summary>
/// Stands in locally for App Service Authentication ("Easy Auth"), which the Functions host does not emulate:
/// <c>/.auth/login/aad</c> (a page to pick a name and app roles instead of Microsoft's sign-in), <c>/.auth/me</c> and
/// <c>/.auth/logout</c>, a session cookie, and the <c>X-MS-CLIENT-PRINCIPAL</c> headers injected into later requests,
/// in the shape Easy Auth injects them. A request that carries the header itself keeps it: tests and scripts sign in
/// that way. Only the dev host has this; the function app relies on the real thing.
/// </summary>
public static class EasyAuthStandIn
{
    public const string LoginPath = "/.auth/login/aad";
    public const string CookieName = "AppServiceAuthSession";

    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Request.Headers;
            if (!headers.ContainsKey(ClientPrincipal.HeaderName) && Session(context) is { } session)
            {
                headers[ClientPrincipal.HeaderName] = session.Header;
                headers["X-MS-CLIENT-PRINCIPAL-ID"] = session.ObjectId;
                headers["X-MS-CLIENT-PRINCIPAL-NAME"] = session.Name;
                headers["X-MS-CLIENT-PRINCIPAL-IDP"] = "aad";
            }
            await next(context);
        });

        app.MapGet(LoginPath, (HttpContext context) => Results.Content(LoginPage(LocalPath(context.Request.Query["post_login_redirect_uri"])), "text/html; charset=utf-8"));
        app.MapPost(LoginPath, async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var name = form["name"].ToString().Trim();
            if (name.Length is 0 or > 100) return Results.Content(LoginPage(LocalPath(form["post_login_redirect_uri"]), "Enter a name (at most 100 characters)."), "text/html; charset=utf-8", statusCode: 400);
            var roles = form["roles"].Where(r => r is not null && StaffRoles.All.Contains(r)).Select(r => r!).Distinct().ToList();
            var header = ClientPrincipal.Encode(ObjectIdFor(name), name, roles);
            context.Response.Cookies.Append(CookieName, header, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
            return Results.Redirect(LocalPath(form["post_login_redirect_uri"]) ?? "/.auth/me");
        });
        app.MapGet("/.auth/me", (HttpContext context) =>
        {
            var header = context.Request.Headers[ClientPrincipal.HeaderName].ToString();
            if (string.IsNullOrEmpty(header)) return Results.Json(Array.Empty<object>(), statusCode: 401);
            StaffMember staff;
            try { staff = ClientPrincipal.Parse(header); }
            catch (Nap.Api.ProblemException) { return Results.Json(Array.Empty<object>(), statusCode: 401); }
            var claims = new List<object>
            {
                new { typ = ClientPrincipal.ObjectIdClaim, val = staff.ObjectId },
                new { typ = "name", val = staff.Name },
            };
            claims.AddRange(staff.Roles.Order(StringComparer.Ordinal).Select(r => new { typ = "roles", val = r }));
            return Results.Json(new[] { new { provider_name = "aad", user_id = staff.Name, user_claims = claims } });
        });
        app.MapGet("/.auth/logout", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
            return Results.Redirect(LocalPath(context.Request.Query["post_logout_redirect_uri"]) ?? LoginPath);
        });
    }

    /// <summary>The same object id for the same name across restarts, so audit rows of a local session line up.</summary>
    public static string ObjectIdFor(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("nap-devhost-staff:" + name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static (string Header, string ObjectId, string Name)? Session(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        try
        {
            var staff = ClientPrincipal.Parse(value);
            return (value, staff.ObjectId, staff.Name);
        }
        catch (Nap.Api.ProblemException)
        {
            return null; // A spoiled cookie is no session; the app answers 401 as it would without one.
        }
    }

    /// <summary>Only a path on this host: an open redirect would let another site bounce people through the sign-in.</summary>
    private static string? LocalPath(string? value) =>
        value is { Length: > 0 } v && v[0] == '/' && !v.StartsWith("//", StringComparison.Ordinal) && !v.StartsWith("/\\", StringComparison.Ordinal) ? v : null;

    private static string LoginPage(string? redirect, string? error = null)
    {
        var roles = string.Concat(StaffRoles.All.Select(r =>
            $"""<li><label><input type="checkbox" name="roles" value="{r}"{(r == StaffRoles.Confidential ? "" : " checked")}> {r}</label></li>"""));
        var e = error is null ? "" : $"""<p role="alert" class="error">{WebUtility.HtmlEncode(error)}</p>""";
        var r2 = redirect is null ? "" : $"""<input type="hidden" name="post_login_redirect_uri" value="{WebUtility.HtmlEncode(redirect)}">""";
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Local staff sign-in – NAP 1325</title>
            <style>
              body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
              label { display: block; margin: .25rem 0; }
              input[type=text] { font-size: 1rem; padding: .4rem; width: 100%; box-sizing: border-box; }
              ul { list-style: none; padding: 0; }
              button { font-size: 1rem; padding: .5rem 1.25rem; margin-top: 1rem; }
              .error { color: #a00; font-weight: bold; }
              .note { color: #444; }
            </style>
            </head>
            <body>
            <main>
            <h1>Local staff sign-in</h1>
            <p class="note">The local dev host stands in for Microsoft Entra ID sign-in. In Azure this page is Microsoft's, and your roles come from your organisation's tenant.</p>
            {{e}}
            <form method="post" action="{{LoginPath}}">
            {{r2}}
            <label for="name">Name</label>
            <input type="text" id="name" name="name" required maxlength="100" autocomplete="name">
            <fieldset>
            <legend>App roles</legend>
            <ul>{{roles}}</ul>
            </fieldset>
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
    }
}
