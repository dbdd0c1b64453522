using System.Net;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Nap.Storage;
using GraphAuthenticationProvider = Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider;

namespace Nap.Graph;

/// <summary>
/// Builds the one <see cref="GraphServiceClient"/> of the app: the SDK's own middleware from
/// <see cref="GraphClientFactory"/> (redirects, compression, telemetry, …) with the retry handler narrowed to answers
/// that prove Graph did not accept the request, a token only for the configured Graph host, and a configurable base
/// URL so tests run this same client against a local server.
/// </summary>
public static class GraphClientBuilder
{
    public static GraphServiceClient Create(GraphOptions options, TokenCredential credential, HttpMessageHandler? finalHandler = null)
    {
        var problems = options.Problems();
        if (problems.Count > 0) throw new InvalidOperationException("Graph settings are not valid: " + string.Join("; ", problems));
        var baseUrl = options.BaseUrl.TrimEnd('/');
        var handlers = GraphClientFactory.CreateDefaultHandlers(new GraphClientOptions());
        for (var i = 0; i < handlers.Count; i++)
            if (handlers[i] is RetryHandler) handlers[i] = new RetryHandler(RetryOption(options));
        var http = GraphClientFactory.Create(handlers, finalHandler: finalHandler);
        http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        // Tokens go only to the configured Graph host: the allowed-hosts list is what keeps them off any other URL.
        var authentication = new GraphAuthenticationProvider(credential, [new Uri(baseUrl).Host], null, isCaeEnabled: false, options.Scope);
        return new GraphServiceClient(http, authentication, baseUrl);
    }

    /// <summary>
    /// Retry inside one call only when the answer proves the request was not accepted: 429, or 503 with Retry-After.
    /// A 504, another 5xx or a timeout may come after Graph accepted (and sent) the message: never retried here.
    /// </summary>
    public static RetryHandlerOption RetryOption(GraphOptions options) => new()
    {
        MaxRetry = options.MaxRetries,
        RetriesTimeLimit = TimeSpan.FromSeconds(Math.Max(1, options.MaxRetryWaitSeconds)),
        ShouldRetry = (_, _, response) => ProvesNotAccepted(response.StatusCode, response.Headers.RetryAfter is not null),
    };

    public static bool ProvesNotAccepted(HttpStatusCode status, bool hasRetryAfter) =>
        status == HttpStatusCode.TooManyRequests || (status == HttpStatusCode.ServiceUnavailable && hasRetryAfter);

    /// <summary>
    /// Managed identity in Azure (<c>Graph__Credential=managedidentity</c>, user-assigned with <c>Graph__ClientId</c>);
    /// an app registration with a client secret or certificate; otherwise the developer's own sign-in for that tenant.
    /// </summary>
    public static TokenCredential CreateCredential(GraphOptions options)
    {
        if (options.UsesManagedIdentity) return NapStorage.CreateCredential("managedidentity", options.ClientId);
        if (!string.IsNullOrWhiteSpace(options.ClientSecret))
            return new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
            return new ClientCertificateCredential(options.TenantId, options.ClientId, options.CertificatePath);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = options.TenantId });
    }
}
