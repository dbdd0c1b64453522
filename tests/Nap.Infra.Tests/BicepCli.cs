namespace Nap.Infra.Tests;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package.</summary>
internal static class BicepCli
{
    private const string PackageId = "azure.bicep.commandline.linux-x64";
    private static readonly Lazy<string> ExecutablePath = new(Locate);

    public static string Executable => ExecutablePath.Value;

    public static ProcessResult Run(params string[] arguments) =>
        ProcessRunner.Run(Executable, arguments, Repo.Root, timeout: TimeSpan.FromMinutes(2));

    private static string Locate()
    {
        var candidates = new List<string>();
        var baked = Repo.Metadata("BicepPackageDirectory");
        if (baked.Length > 0) candidates.Add(Path.Combine(baked, "tools", "bicep"));

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var packageDir = Path.Combine(packages, PackageId);
        if (Directory.Exists(packageDir))
            candidates.AddRange(Directory.GetDirectories(packageDir).OrderDescending().Select(d => Path.Combine(d, "tools", "bicep")));

        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("The bicep executable was not found; restore the test project. Looked in: " + string.Join(", ", candidates));
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(found);
            const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0) File.SetUnixFileMode(found, mode | exec);
        }
        return found;
    }
}
