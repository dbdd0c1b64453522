namespace Nap.Graph;

/// <summary>
/// Settings under <c>Graph:</c> (app settings <c>Graph__…</c>) for app-only calls to Microsoft Graph.
/// Graph counts as configured when a tenant is named or the managed identity is asked for; otherwise the app
/// runs without Graph (mail goes to the local outbox).
/// </summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";
    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";

    /// <summary>Entra tenant of the app registration (client secret or certificate).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>App registration client id; with <see cref="Credential"/> = managedidentity the user-assigned identity's client id (empty = system-assigned).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Optional: a client secret (in Azure a Key Vault reference).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Optional: a PFX/PEM certificate file for the app registration.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary><c>managedidentity</c> in Azure; empty to use the tenant's app registration or the developer's own sign-in.</summary>
    public string Credential { get; set; } = "";

    /// <summary>Graph endpoint, version included. Tests point it at a local mock.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The token scope; app-only permissions are always requested as <c>{resource}/.default</c>.</summary>
    public string Scope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>The shared mailbox that sends (UPN or object id). Exchange RBAC for Applications limits the app to it.</summary>
    public string Mailbox { get; set; } = "";

    /// <summary>
    /// Keep a copy of each sent message in the mailbox's Sent Items. Off by default: every invitation, reminder and
    /// link mail carries a personal link, and a copy of each in Sent Items would be a standing store of bearer links
    /// for anyone who can read that mailbox. <c>false</c>: the JSON sendMail with saveToSentItems=false, which carries
    /// the HTML only (Exchange derives the text part). <c>true</c>: the message goes as MIME with our plain-text and
    /// HTML parts, and Exchange keeps the copy (a MIME sendMail cannot switch that off).
    /// </summary>
    public bool SaveToSentItems { get; set; }

    /// <summary>Retries inside one call, only for answers that prove the request was not accepted (429; 503 with Retry-After).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Upper bound of the waiting (Retry-After) that one call may spend on those retries.</summary>
    public int MaxRetryWaitSeconds { get; set; } = 60;

    /// <summary>Overall time one HTTP request may take.</summary>
    public int TimeoutSeconds { get; set; } = 100;

    public bool UsesManagedIdentity => string.Equals(Credential, "managedidentity", StringComparison.OrdinalIgnoreCase);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) || UsesManagedIdentity;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
            p.Add("Graph__BaseUrl must be an absolute https URL (http only on loopback, for tests)");
        if (MaxRetries is < 0 or > 10) p.Add("Graph__MaxRetries must be 0–10");
        if (MaxRetryWaitSeconds is < 0 or > 180) p.Add("Graph__MaxRetryWaitSeconds must be 0–180");
        if (TimeoutSeconds is < 5 or > 600) p.Add("Graph__TimeoutSeconds must be 5–600");
        if (!UsesManagedIdentity && !string.IsNullOrWhiteSpace(TenantId) && string.IsNullOrWhiteSpace(ClientId)
            && (!string.IsNullOrWhiteSpace(ClientSecret) || !string.IsNullOrWhiteSpace(CertificatePath)))
            p.Add("Graph__ClientId is required with a client secret or certificate");
        return p;
    }
}
