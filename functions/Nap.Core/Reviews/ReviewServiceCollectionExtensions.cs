using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Reviews;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>
    /// Reviews (table <c>Reviews</c>) and the return email. Needs the submissions and the reminders (ledger, background
    /// sends, links) registered too.
    /// </summary>
    public static IServiceCollection AddNapReviews(this IServiceCollection services)
    {
        services.TryAddSingleton<IReviewStore, TableReviewStore>();
        services.TryAddSingleton<IReviewReturnNotifier, ReviewReturnMailer>();
        services.TryAddSingleton<ReviewService>();
        return services;
    }
}
