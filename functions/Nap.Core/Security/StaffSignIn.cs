using Microsoft.Extensions.Configuration;
using Nap.Api;

namespace Nap.Security;

/// <summary>
/// Whether the <c>X-MS-CLIENT-PRINCIPAL</c> header can be believed. In Azure (<c>WEBSITE_INSTANCE_ID</c> is set) only
/// App Service Authentication may set it, and it strips the header from outside requests; when it is not enabled
/// (<c>WEBSITE_AUTH_ENABLED</c> is not True) anyone could forge it, so it is never trusted and staff routes answer 503.
/// Outside Azure (the dev host, tests) the header is what the local sign-in stand-in injects.
/// </summary>
public sealed class StaffSignIn
{
    public StaffSignIn(IConfiguration configuration)
    {
        InAzure = !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]);
        EasyAuthEnabled = string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase);
    }

    public bool InAzure { get; }
    public bool EasyAuthEnabled { get; }
    public bool HeaderTrusted => !InAzure || EasyAuthEnabled;

    /// <summary>The signed-in staff member with the role, or 503 (not configured), 401 (no or bad principal), 403 (role missing).</summary>
    public StaffMember Require(string? principalHeader, string role)
    {
        if (!HeaderTrusted) throw new ProblemException(StaffProblems.SignInNotConfigured());
        if (string.IsNullOrEmpty(principalHeader)) throw new ProblemException(StaffProblems.SignInRequired());
        return ClientPrincipal.Parse(principalHeader).Require(role);
    }

    /// <summary>
    /// Cross-site request check for state-changing staff requests. Browsers send <c>Origin</c> on every cross-site
    /// POST/PUT/DELETE; the request is accepted without one (scripts) or with the app's own origin, which is the
    /// request's host or the configured public base URL (behind a front door the two can differ).
    /// </summary>
    public static bool IsSameOrigin(string? origin, string? requestHost, string? publicBaseUrl)
    {
        if (origin is null) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || o.Scheme is not ("http" or "https")) return false;
        if (requestHost is not null && string.Equals(o.Authority, requestHost, StringComparison.OrdinalIgnoreCase)) return true;
        return Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var app)
               && string.Equals(o.Scheme, app.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(o.Authority, app.Authority, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Says at start-up, loudly, that staff cannot sign in: in Azure without App Service Authentication.</summary>
internal sealed partial class StaffSignInCheck(StaffSignIn signIn, Microsoft.Extensions.Logging.ILogger<StaffSignInCheck> logger) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!signIn.HeaderTrusted) LogNotConfigured(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error,
        Message = "Staff sign-in is not configured: the app runs in Azure (WEBSITE_INSTANCE_ID) but App Service Authentication is off (WEBSITE_AUTH_ENABLED is not True). X-MS-CLIENT-PRINCIPAL is not trusted and every staff route answers 503 until Easy Auth is enabled (infra/modules/functionapp.bicep, authsettingsV2).")]
    private static partial void LogNotConfigured(Microsoft.Extensions.Logging.ILogger logger);
}
