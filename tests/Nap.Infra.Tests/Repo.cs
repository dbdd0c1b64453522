using System.Reflection;

namespace Nap.Infra.Tests;

/// <summary>Paths in the repository, found from the test assembly (baked in at build time) or by walking up to NapFunctions.sln.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "";

    private static string FindRoot()
    {
        var baked = Metadata("RepositoryRoot");
        if (baked.Length > 0 && File.Exists(System.IO.Path.Combine(baked, "NapFunctions.sln"))) return baked;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "NapFunctions.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (NapFunctions.sln) above " + AppContext.BaseDirectory);
    }
}
