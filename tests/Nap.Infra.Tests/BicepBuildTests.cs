namespace Nap.Infra.Tests;

public sealed class BicepBuildTests
{
    [Fact]
    public void Main_template_builds_without_errors_or_warnings()
    {
        var build = CompiledTemplate.Build;
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.True(string.IsNullOrWhiteSpace(build.StdErr), "bicep build reported diagnostics:\n" + build.StdErr);
        Assert.Equal("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            CompiledTemplate.Str(CompiledTemplate.Main["$schema"]));
    }

    [Fact]
    public void Lint_reports_nothing_for_any_bicep_file()
    {
        // One process for all files (main.bicep and every module): --pattern lints each match.
        var lint = BicepCli.Run("lint", "--pattern", Repo.Path("infra") + "/**/*.bicep");
        Assert.True(lint.ExitCode == 0, lint.Describe());
        Assert.True(string.IsNullOrWhiteSpace(lint.StdOut + lint.StdErr), "bicep lint:\n" + lint.StdOut + lint.StdErr);
    }

    [Fact]
    public void Lint_would_catch_a_warning_in_a_module()
    {
        // Same linter configuration as infra/ (its bicepconfig.json, if any) and the same pattern form:
        // an unused parameter in a file one folder down must be reported.
        var dir = Directory.CreateTempSubdirectory("bicep-lint-probe-");
        try
        {
            var config = Repo.Path("infra", "bicepconfig.json");
            if (File.Exists(config)) File.Copy(config, Path.Combine(dir.FullName, "bicepconfig.json"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "modules"));
            File.WriteAllText(Path.Combine(dir.FullName, "modules", "probe.bicep"), "param unused string\n");
            var lint = BicepCli.Run("lint", "--pattern", dir.FullName + "/**/*.bicep");
            Assert.Contains("no-unused-params", lint.StdOut + lint.StdErr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Only_local_modules_are_used()
    {
        var modulePattern = new System.Text.RegularExpressions.Regex(@"^\s*module\s+\w+\s+'([^']+)'", System.Text.RegularExpressions.RegexOptions.Multiline);
        var count = 0;
        foreach (var file in Directory.GetFiles(Repo.Path("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            foreach (System.Text.RegularExpressions.Match match in modulePattern.Matches(File.ReadAllText(file)))
            {
                var path = match.Groups[1].Value;
                Assert.False(path.StartsWith("br:", StringComparison.Ordinal) || path.StartsWith("br/", StringComparison.Ordinal) || path.StartsWith("ts:", StringComparison.Ordinal),
                    $"{file} uses registry module {path}; registries cannot be reached offline");
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, path)), $"{file}: module {path} is not a local file");
                count++;
            }
        }
        Assert.True(count >= 8, $"expected main.bicep to use the local modules, found {count} module references");
    }
}
