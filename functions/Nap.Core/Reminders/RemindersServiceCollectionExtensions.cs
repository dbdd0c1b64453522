using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Nap.Graph;
using Nap.Submissions;

namespace Nap.Reminders;

public static class RemindersServiceCollectionExtensions
{
    /// <summary>
    /// Reminders, invitations, receipts, fresh links and digests. Mail goes through Graph when it is configured
    /// (<see cref="GraphServiceCollectionExtensions.AddNapGraph"/>), otherwise into the local .eml outbox.
    /// Replaces the no-op <see cref="ISubmissionReceivedNotifier"/> so every stored version gets its receipt. Links and
    /// receipts are claimed by their request and sent in the background (<see cref="BackgroundSends"/>).
    /// </summary>
    public static IServiceCollection AddNapReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNapGraph(configuration);
        services.AddOptions<RemindersOptions>().Bind(configuration.GetSection(RemindersOptions.Section));
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RemindersOptions>>().Value;
            var problems = o.Problems();
            return problems.Count == 0 ? o : throw new InvalidOperationException("Reminder settings are not valid: " + string.Join("; ", problems));
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value);
        // Decided when first used, so a host (or test) may register its own GraphServiceClient after this.
        services.TryAddSingleton<IMailSender>(sp => sp.GetService<GraphServiceClient>() is { } graph
            ? new GraphMailSender(graph, RequireMailbox(sp.GetRequiredService<GraphOptions>()), sp.GetRequiredService<TimeProvider>())
            : new OutboxMailSender(sp.GetRequiredService<MailOptions>(), sp.GetRequiredService<GraphOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<MailPacer>();
        services.TryAddSingleton<ReminderLedger>();
        services.TryAddSingleton<ReminderSender>();
        services.TryAddSingleton<BackgroundSends>();
        // Stopped with the host: sends waiting for a slot are left pending for the next sweep.
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundSends>());
        services.TryAddSingleton<ReminderLinks>();
        services.TryAddSingleton<LinkRequestLimits>();
        services.TryAddSingleton<ReminderSweep>();
        services.TryAddSingleton<ReminderControl>();
        services.TryAddSingleton<ReminderRetry>();
        services.RemoveAll<ISubmissionReceivedNotifier>();
        services.AddSingleton<ISubmissionReceivedNotifier, ReceiptNotifier>();
        return services;
    }

    private static GraphOptions RequireMailbox(GraphOptions options) =>
        string.IsNullOrWhiteSpace(options.Mailbox)
            ? throw new InvalidOperationException("Graph is configured but Graph__Mailbox (the shared mailbox that sends) is not set.")
            : options;
}
