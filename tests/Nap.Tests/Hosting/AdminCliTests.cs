using System.Diagnostics;
using Nap.Security;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Hosting;


/// <summary>nap-admin as a coordinator runs it: a separate process, against the test run's Azurite.</summary>
[Collection(RegistryWriters.Name)]
public sealed class AdminCliTests
{
    /// <summary>nap-admin from its own build output (built with the tests through a project reference), with its own
    /// dependencies: the test folder holds the dev host's, and nap-admin is a console tool without the web framework.</summary>
    internal static async Task<(int Code, string Out, string Err)> Admin(params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "tools", "Nap.Admin", "bin", configuration, "net10.0", "nap-admin.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NapStorage"] = Azurite.ConnectionString;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Imports_a_csv_registry_opens_a_cycle_and_issues_a_valid_token()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"registry-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "id;name;kind;language;active;contact_name;contact_email;contact_role\n" +
                                          "cli-test-org;CLI Test Org;other;en;true;Eva Vos;eva@cli.example.org;primary\n");
        var import = await Admin("signatories", "import", csv);
        var open = await Admin("cycles", "open", "4321", "--opens", "2026-01-01", "--deadline", "4322-03-01T17:00");
        var list = await Admin("cycles", "list");
        var token = await Admin("token", "signatory", "cli-test-org", "--cycle", "4321");
        var unknown = await Admin("token", "signatory", "nobody-here", "--cycle", "4321");
        var broken = await Admin("signatories", "import", "/nowhere.json");

        Assert.Equal((0, "Imported 1 signatories (1 active)."), (import.Code, import.Out.Trim()));
        Assert.Equal(0, open.Code);
        Assert.Contains("4321\tOpen", list.Out);
        Assert.Equal(0, token.Code);
        // Signed with this machine's local link key (no secret in settings or on the command line): the app checks it.
        using var keys = LocalLinkKeys.OpenOrCreate(Nap.Keys.LocalKeyFile.DefaultPath("link-signing"));
        var principal = await new TokenService(new TokenOptions(), keys, TimeProvider.System).ValidateAsync(token.Out.Trim());
        Assert.Equal(("cli-test-org", "4321"), (principal!.Subject, principal.CycleId));
        Assert.Equal(1, unknown.Code);
        Assert.Contains("No active signatory", unknown.Err);
        Assert.Equal(1, broken.Code);
        Assert.Contains("does not exist", broken.Err);

        // The list names each signatory; addresses (personal data) only when asked for.
        var listed = await Admin("signatories", "list");
        var withAddresses = await Admin("signatories", "list", "--addresses");
        Assert.Equal(0, listed.Code);
        Assert.StartsWith("id\tname\tkind\tlanguage\tactive\tcontacts\n", listed.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("cli-test-org\tCLI Test Org\tOther\ten\tactive\t1\n", listed.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("@", listed.Out, StringComparison.Ordinal);
        Assert.Contains("cli-test-org\tCLI Test Org\tOther\ten\tactive\t1\tprimary: Eva Vos <eva@cli.example.org>", withAddresses.Out, StringComparison.Ordinal);

        // A signatory link is for one cycle, and one that exists.
        var noCycle = await Admin("token", "signatory", "cli-test-org");
        var unknownCycle = await Admin("token", "signatory", "cli-test-org", "--cycle", "1066");
        Assert.Equal((1, ""), (noCycle.Code, noCycle.Out));
        Assert.Contains("--cycle", noCycle.Err, StringComparison.Ordinal);
        Assert.Equal((1, ""), (unknownCycle.Code, unknownCycle.Out));
        Assert.Contains("No cycle '1066'", unknownCycle.Err, StringComparison.Ordinal);

        // Leave the shared registry's active set as the other tests expect it.
        await File.WriteAllTextAsync(csv, (await File.ReadAllTextAsync(csv)).Replace(";true;", ";false;", StringComparison.Ordinal));
        Assert.Equal(0, (await Admin("signatories", "import", csv)).Code);
    }
}
