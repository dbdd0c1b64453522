namespace Nap.Tests.Infrastructure;

/// <summary>
/// Tests that change the shared signatory registry. They run alone, after the parallel tests: the report tests'
/// determinism checks hash the registry, and a signatory appearing meanwhile would change the report.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RegistryWriters
{
    public const string Name = "Registry writers";
}
