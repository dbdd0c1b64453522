using System.Diagnostics;
using Nap.Signatories;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Hosting;

/// <summary>
/// tools/smoke.sh is what the GitHub Actions workflow runs against the real Functions host (`func start`); here it
/// runs against the dev host, so the script cannot rot while nobody runs the workflow.
/// </summary>
public sealed class SmokeScriptTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private async Task<(int Code, string Out, string Err)> Smoke(string cycleId, string signatoryToken)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoRoot.Path, "tools", "smoke.sh"));
        psi.Environment["NAP_BASE_URL"] = new Uri(host.BaseAddress, "api").ToString();
        psi.Environment["NAP_CYCLE"] = cycleId;
        psi.Environment["NAP_SIGNATORY_TOKEN"] = signatoryToken;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    private string Signatory => host.ActiveSignatories.First(s => s.Kind == SignatoryKind.CivilSocietyOrganisation).Id;

    [Fact]
    public async Task Submits_reads_back_requests_a_report_and_fetches_the_form()
    {
        var cycle = await host.CreateCycleAsync();

        var (code, stdout, stderr) = await Smoke(cycle.Id, host.Token(Signatory, cycle.Id));

        Assert.True(code == 0, $"smoke.sh failed ({code}):\n{stdout}\n{stderr}");
        Assert.Contains($"ok   3: POST /api/cycles/{cycle.Id}/submissions → 201", stdout, StringComparison.Ordinal);
        Assert.Contains($"ok   6: POST /api/cycles/{cycle.Id}/report → 202", stdout, StringComparison.Ordinal);
        Assert.Contains("Smoke test passed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_with_the_step_and_status_when_the_app_refuses()
    {
        var cycle = await host.CreateCycleAsync();

        var (code, stdout, stderr) = await Smoke(cycle.Id, "not-a-token");

        Assert.NotEqual(0, code);
        Assert.Contains($"FAIL 3: POST /api/cycles/{cycle.Id}/submissions answered 401, expected 201", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Smoke test passed", stdout, StringComparison.Ordinal);
    }
}
