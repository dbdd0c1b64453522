using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Nap.Storage;

namespace Nap.Reports;

/// <summary>The figures of the latest report of each kind, for dashboards (table <c>ReportAggregates</c>, partition = cycle).</summary>
public interface IReportAggregates
{
    /// <summary>The report version whose figures the table holds for this kind; null when there are none.</summary>
    Task<int?> FindVersionAsync(string cycleId, ReportKind kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// One row per goal × focus (and one for the whole report), replaced together in one transaction; unless the
    /// figures of a newer version are there already, so a slow writer never puts older figures back.
    /// </summary>
    Task SaveAsync(CompiledReport report, int version, CancellationToken cancellationToken = default);
}

public sealed partial class TableReportAggregates(NapStorage storage) : IReportAggregates
{
    private static string TotalKey(ReportKind kind) => kind.ToString().ToLowerInvariant() + "|all|total";

    public async Task<int?> FindVersionAsync(string cycleId, ReportKind kind, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(ReportStorageNames.AggregatesTable, cancellationToken).ConfigureAwait(false);
        var total = await table.GetEntityIfExistsAsync<TableEntity>(cycleId, TotalKey(kind), cancellationToken: cancellationToken).ConfigureAwait(false);
        return total.HasValue ? total.Value!.GetInt32("ReportVersion") : null;
    }

    public async Task SaveAsync(CompiledReport report, int version, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(ReportStorageNames.AggregatesTable, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(report.CycleId, TotalKey(report.Kind), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (current.HasValue && current.Value!.GetInt32("ReportVersion") > version) return;
            try
            {
                // The whole-report row goes first, guarded by its ETag: two writers cannot interleave, and the one that
                // read an older state retries and sees the other's version. (A framework has a handful of goals, so
                // this is one transaction; past 100 rows only the first chunk is guarded.)
                foreach (var chunk in Actions(report, version, current.HasValue ? current.Value!.ETag : null).Chunk(100))
                    await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < 10)
            {
            }
        }
    }

    private static List<TableTransactionAction> Actions(CompiledReport report, int version, Azure.ETag? totalETag)
    {
        var kind = report.Kind.ToString().ToLowerInvariant();
        var actions = new List<TableTransactionAction>();
        foreach (var goal in report.Goals)
        {
            foreach (var f in new[] { goal.Total, goal.National, goal.International })
            {
                var scope = f.Scope.ToString().ToLowerInvariant();
                var e = new TableEntity(report.CycleId, $"{kind}|{goal.Code}|{scope}")
                {
                    ["Kind"] = kind,
                    ["ReportVersion"] = version,
                    ["InputHash"] = report.InputHash,
                    ["Goal"] = goal.Code,
                    ["GoalTitle"] = goal.Title,
                    ["Focus"] = scope,
                    ["Contributions"] = f.Contributions,
                    ["Signatories"] = f.Signatories,
                    ["CountriesReached"] = f.CountriesReached,
                    ["RegionsReached"] = f.RegionsReached,
                    ["BudgetReported"] = f.BudgetSpentEur.Reported,
                };
                Budget(e, f.BudgetSpentEur);
                foreach (var i in f.Indicators.Where(i => i.Summable))
                {
                    var name = "Indicator_" + PropertySafe().Replace(i.Code, "_");
                    e[name + "_Results"] = i.Results;
                    e[name + "_Sum"] = i.Sum?.Sum is { } s ? s.ToString(CultureInfo.InvariantCulture) : "";
                    e[name + "_ValuesReported"] = i.Sum?.Reported ?? 0;
                    e[name + "_TargetSum"] = i.TargetSum?.Sum is { } t ? t.ToString(CultureInfo.InvariantCulture) : "";
                }
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, e));
            }
        }
        var total = new TableEntity(report.CycleId, TotalKey(report.Kind))
        {
            ["Kind"] = kind,
            ["ReportVersion"] = version,
            ["InputHash"] = report.InputHash,
            ["Goal"] = "all",
            ["Focus"] = "total",
            ["Contributions"] = report.Totals.Contributions,
            ["NationalContributions"] = report.Totals.NationalContributions,
            ["InternationalContributions"] = report.Totals.InternationalContributions,
            ["Signatories"] = report.Totals.Signatories,
            ["CountriesReached"] = report.Totals.CountriesReached,
            ["RegionsReached"] = report.Totals.RegionsReached,
            ["BudgetReported"] = report.Totals.BudgetSpentEur.Reported,
            ["Expected"] = report.Completeness.Expected,
            ["Submitted"] = report.Completeness.Submitted,
            ["Late"] = report.Completeness.Late,
            ["Missing"] = report.Completeness.Missing,
        };
        Budget(total, report.Totals.BudgetSpentEur);
        actions.Insert(0, totalETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, total, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, total));
        return actions;
    }

    /// <summary>The budget properties only when some contribution reported one: not reported is not zero.</summary>
    private static void Budget(TableEntity e, ReportedSum budget)
    {
        if (budget.Sum is not { } sum) return;
        e["BudgetSpentEur"] = (double)sum;
        e["BudgetSpentEurExact"] = sum.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex PropertySafe();
}
