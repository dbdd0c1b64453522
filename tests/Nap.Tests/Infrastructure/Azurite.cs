using Nap.LocalAzurite;

namespace Nap.Tests.Infrastructure;

/// <summary>
/// One Azurite per test run (in memory, free ports, stopped with the test process). NAP_TEST_STORAGE overrides it
/// with an existing connection string.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<string> Instance = new(
        () => Environment.GetEnvironmentVariable("NAP_TEST_STORAGE") is { Length: > 0 } external ? external : AzuriteProcess.Start().ConnectionString,
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString => Instance.Value;

    public static int FreePort() => AzuriteProcess.FreePort();
}

public static class RepoRoot
{
    public static string Path => Nap.LocalAzurite.RepoRoot.Path;
}
