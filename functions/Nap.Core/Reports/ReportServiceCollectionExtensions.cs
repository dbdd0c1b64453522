using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace Nap.Reports;

public static class ReportServiceCollectionExtensions
{
    /// <summary>
    /// The yearly report: compiler, store, draft scheduler and publisher. Publishes to SharePoint when a
    /// <see cref="GraphServiceClient"/> is registered (by the app's shared Graph setup) and <c>SharePoint__SiteId</c> is set;
    /// to the local folder <c>SharePoint__LocalFolder</c> otherwise. Decided when first resolved, so registration order does not matter.
    /// </summary>
    public static IServiceCollection AddNapReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section));
        services.AddOptions<SharePointOptions>().Bind(configuration.GetSection(SharePointOptions.Section));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ReportOptions>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SharePointOptions>>().Value);

        services.TryAddSingleton<ReportCompiler>();
        services.TryAddSingleton<ReportHistory>();
        services.TryAddSingleton<IReportAggregates, TableReportAggregates>();
        services.TryAddSingleton<ReportStore>();
        services.TryAddSingleton<DraftCompilationScheduler>();
        services.TryAddSingleton<Reviews.IReviewStore, Reviews.TableReviewStore>(); // the final follows the review states
        services.TryAddSingleton<ReportVersionSelector>();
        services.TryAddSingleton<IPublishedHashKey, WrappedPublishedHashKey>();
        services.TryAddSingleton<ReportService>();
        services.TryAddSingleton<IReportPublisher>(sp =>
        {
            var sharePoint = sp.GetRequiredService<SharePointOptions>();
            return sharePoint.TenantConfigured && sp.GetService<GraphServiceClient>() is { } graph
                ? new GraphReportPublisher(graph, sharePoint)
                : new LocalFolderReportPublisher(sharePoint);
        });
        return services;
    }
}
