using Azure.Data.Tables;
using Nap.Audit;
using Nap.Tests.Hosting;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Security;

/// <summary>nap-admin after Entra sign-in: no coordinator tokens any more, and its registry and cycle changes are audited.</summary>
[Collection(RegistryWriters.Name)]
public sealed class AdminCliAuditTests
{
    private static Task<(int Code, string Out, string Err)> Admin(params string[] args) => AdminCliTests.Admin(args);

    [Fact]
    public async Task Nap_admin_mints_no_coordinator_token_and_its_cycle_changes_are_in_the_audit_trail()
    {
        var refused = await Admin("token", "coordinator", "anna");
        Assert.Equal(2, refused.Code);
        Assert.DoesNotContain("coordinator", refused.Err);
        Assert.True(string.IsNullOrWhiteSpace(refused.Out));

        var cycleId = (4400 + Random.Shared.Next(0, 500)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await Admin("cycles", "open", cycleId, "--opens", "2026-01-01", "--deadline", $"{int.Parse(cycleId, System.Globalization.CultureInfo.InvariantCulture) + 1}-03-01T17:00")).Code);
        Assert.Equal(0, (await Admin("cycles", "close", cycleId)).Code);

        var table = new TableClient(Azurite.ConnectionString, AuditStorageNames.AuditTable);
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycleId}"))) rows.Add(e);
        Assert.Equal(["cycle.open", "cycle.close"], rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => r.GetString("Action")));
        Assert.All(rows, r => Assert.Equal(("Operator", "nap-admin", "ok"), (r.GetString("ActorKind"), r.GetString("ActorId"), r.GetString("Result"))));
    }
}
