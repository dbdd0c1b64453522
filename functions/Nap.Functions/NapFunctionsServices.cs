using Microsoft.AspNetCore.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nap.Reminders;
using Nap.Drafts;
using Nap.Reports;
using Nap.Keys;
using Nap.Retention;
using Nap.Reviews;
using Nap.Verification;

namespace Nap.Functions;

public static class NapFunctionsServices
{
    /// <summary>
    /// The app's services, shared by the Functions worker (Program.cs) and the local dev host, so both run the
    /// same function classes against the same application services.
    /// </summary>
    public static IServiceCollection AddNapFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNapCore(configuration);
        services.AddNapReminders(configuration);
        services.AddNapReviews();
        services.AddNapDrafts(configuration);
        services.AddNapReports(configuration);
        services.TryAddSingleton<Http.Callers>();
        services.AddNapKeys(configuration);
        services.AddNapRetention(configuration);
        services.AddNapVerification(configuration);
        // HSTS on every HTTP answer, in the worker's ASP.NET Core pipeline (and so in the dev host's).
        services.AddTransient<IStartupFilter, Http.StrictTransportSecurity>();
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
            services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        return services;
    }
}
