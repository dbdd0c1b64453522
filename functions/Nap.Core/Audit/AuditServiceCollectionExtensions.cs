using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nap.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit trail (table <c>Audit</c>): who did what to which cycle and signatory, and who read submission content.</summary>
    public static IServiceCollection AddNapAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<IAuditLog, TableAuditLog>();
        return services;
    }
}
