using System.Text.RegularExpressions;

namespace Nap.Infra.Tests;

/// <summary>
/// The GitHub Actions workflow that runs the app on the real Functions host cannot run here (no Core Tools), so its
/// parts are checked: what it installs, that it starts the app with `func start` and runs the smoke script the test
/// suite runs against the dev host, and that every repository file it names exists.
/// </summary>
public sealed partial class FunctionsHostWorkflowTests
{
    private static readonly string Workflow = File.ReadAllText(Repo.Path(".github", "workflows", "functions-host.yml"));

    [Theory]
    [InlineData("npm install --global azure-functions-core-tools@4")]
    [InlineData("node_modules/.bin/azurite --skipApiVersionCheck")]
    [InlineData("func start --port 7071")]
    [InlineData("working-directory: functions/Nap.Functions")]
    [InlineData("tools/smoke.sh")]
    [InlineData("cp local.settings.sample.json functions/Nap.Functions/local.settings.json")]
    public void The_workflow_installs_the_host_starts_the_app_and_runs_the_smoke_script(string step) =>
        Assert.Contains(step, Workflow, StringComparison.Ordinal);

    [Fact]
    public void Every_repository_path_it_names_exists()
    {
        // local.settings.json is the copy the workflow makes (git-ignored), not a committed file.
        var paths = RepositoryPath().Matches(Workflow).Select(m => m.Value).Distinct()
            .Where(p => p != "functions/Nap.Functions/local.settings.json").ToList();
        Assert.Contains("tools/nap-admin", paths);
        Assert.All(paths, p => Assert.True(File.Exists(Repo.Path(p)) || Directory.Exists(Repo.Path(p)), $"{p} does not exist"));
    }

    [Fact]
    public void The_tokens_it_issues_are_for_the_cycle_it_opens_and_smokes()
    {
        var opened = Regex.Match(Workflow, @"nap-admin cycles open (\d+)").Groups[1].Value;
        Assert.NotEmpty(opened);
        Assert.Contains($"NAP_CYCLE={opened}", Workflow, StringComparison.Ordinal);
        Assert.Contains($"token signatory ankers-collectief --cycle {opened}", Workflow, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<![\w./-])(?:tools|functions)/[\w./-]*[\w]")]
    private static partial Regex RepositoryPath();
}
