using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Reviews;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>
    /// Reviews (table <c>Reviews</c>), the return email and what the reminder sweep asks of reviews. Needs the submissions and the reminders (ledger, background
    /// sends, links) registered too.
    /// </summary>
    public static IServiceCollection AddNapReviews(this IServiceCollection services)
    {
        services.TryAddSingleton<IReviewStore, TableReviewStore>();
        services.TryAddSingleton<ReviewReturnMailer>();
        services.TryAddSingleton<IReviewReturnNotifier>(sp => sp.GetRequiredService<ReviewReturnMailer>());
        // The sweep retries a return email left open and keeps reminding a returned signatory.
        services.AddSingleton<Reminders.ILeftoverMail>(sp => sp.GetRequiredService<ReviewReturnMailer>());
        services.TryAddSingleton<Reminders.IOpenRevisions, ReviewRevisions>();
        services.TryAddSingleton<ReviewService>();
        return services;
    }
}
