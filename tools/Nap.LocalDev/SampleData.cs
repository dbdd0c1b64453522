using Nap.Signatories;

namespace Nap.Cycles;

/// <summary>Loads the shipped sample registry and cycles into storage: for local runs, tests and benchmarks.</summary>
public static class SampleData
{
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    public static async Task<(IReadOnlyList<Signatory> Signatories, IReadOnlyList<ReportingCycle> Cycles)> SeedAsync(
        ISignatoryRegistry registry, ICycleStore cycles, string? dataDirectory = null, CancellationToken cancellationToken = default)
    {
        var dir = dataDirectory ?? DataDirectory;
        var signatories = SignatoryImport.LoadFile(Path.Combine(dir, "signatories.sample.json"));
        await registry.UpsertAsync(signatories, cancellationToken).ConfigureAwait(false);
        var cycleList = CycleFile.LoadFile(Path.Combine(dir, "cycles.sample.json"));
        foreach (var c in cycleList) await cycles.UpsertAsync(c, cancellationToken).ConfigureAwait(false);
        return (signatories, cycleList);
    }
}
