using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Nap.Functions.Http;

/// <summary>
/// <c>Strict-Transport-Security</c> on every answer of the app's HTTP functions, including errors: browsers that once
/// reached the form over HTTPS never fall back to HTTP for a year (App Service redirects HTTP to HTTPS, httpsOnly, but
/// does not send the header itself).
/// </summary>
/// <remarks>
/// An ASP.NET Core startup filter, registered with the app's services: it wraps the worker's own ASP.NET Core pipeline
/// (<c>ConfigureFunctionsWebApplication</c>, to which the Functions host proxies every HTTP invocation) and so any
/// pipeline built from the same services, such as the dev host's. Set when the response starts, so that an exception
/// handler clearing headers cannot drop it.
/// </remarks>
public sealed class StrictTransportSecurity : IStartupFilter
{
    public const string HeaderValue = "max-age=31536000; includeSubDomains";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.StrictTransportSecurity = HeaderValue;
                return Task.CompletedTask;
            }, context.Response);
            return nextMiddleware(context);
        });
        next(app);
    };
}
