using System.Text.Json.Nodes;
using static Nap.Infra.Tests.CompiledTemplate;

namespace Nap.Infra.Tests;

/// <summary>
/// Staff sign-in in Azure: App Service Authentication (authsettingsV2) in the compiled template, the app roles the
/// app registration gets, and the postprovision hook that creates it (dry run, and runs against a stand-in az/azd).
/// </summary>
public sealed class StaffSignInTests : IDisposable
{
    private static JsonObject AuthSettings =>
        OfType("Microsoft.Web/sites/config").Single(r => Str(r["name"]).Contains("authsettingsV2", StringComparison.Ordinal))["properties"]!.AsObject();

    [Fact]
    public void Easy_auth_uses_the_microsoft_provider_with_the_tenant_and_client_id_parameters()
    {
        var aad = AuthSettings["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool)aad["enabled"]!);
        Assert.Equal("[parameters('entraClientId')]", Str(aad["registration"]!["clientId"]));
        var issuer = Str(aad["registration"]!["openIdIssuer"]);
        Assert.Contains("parameters('entraTenantId')", issuer);
        Assert.Contains("/v2.0", issuer);
        Assert.Contains("environment().authentication.loginEndpoint", issuer);
        // No client secret: a secret setting would have to be stored and rotated.
        Assert.Null(aad["registration"]!["clientSecretSettingName"]);
        // Turned on exactly when a client id is known; without one the app's guard answers 503 for staff routes.
        Assert.Equal("[not(empty(parameters('entraClientId')))]", Str(AuthSettings["platform"]!["enabled"]));

        // main.bicep feeds both from the azd environment, the tenant defaulting to the subscription's.
        Assert.Equal("[parameters('entraClientId')]", Str(ModuleParameter("functionapp", "entraClientId")));
        Assert.Contains("tenant().tenantId", Str(ModuleParameter("functionapp", "entraTenantId")));
        var parameters = JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${ENTRA_CLIENT_ID}", (string?)parameters["entraClientId"]?["value"]);
        Assert.Equal("${ENTRA_TENANT_ID}", (string?)parameters["entraTenantId"]?["value"]);
    }

    [Fact]
    public void Unauthenticated_requests_pass_through_and_tokens_are_stored()
    {
        var validation = AuthSettings["globalValidation"]!;
        Assert.Equal("AllowAnonymous", Str(validation["unauthenticatedClientAction"]));
        Assert.False((bool)validation["requireAuthentication"]!);
        Assert.True((bool)AuthSettings["login"]!["tokenStore"]!["enabled"]!);
        Assert.True((bool)AuthSettings["httpSettings"]!["requireHttps"]!);
    }

    private static JsonArray RoleFile => JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "entra-app-roles.json")))!.AsArray();

    [Fact]
    public void The_app_roles_are_exactly_the_ones_the_code_checks_with_stable_ids()
    {
        var roles = RoleFile.Select(r => r!.AsObject()).ToList();
        Assert.Equal(Nap.Security.StaffRoles.All.Order(StringComparer.Ordinal), roles.Select(r => (string)r["value"]!).Order(StringComparer.Ordinal));
        Assert.All(roles, r =>
        {
            Assert.True(Guid.TryParse((string?)r["id"], out _), "a role needs a fixed GUID id, or every run would replace it");
            Assert.Equal(["User"], r["allowedMemberTypes"]!.AsArray().Select(m => (string)m!));
            Assert.True((bool)r["isEnabled"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)r["description"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)r["displayName"]));
        });
        Assert.Equal(roles.Count, roles.Select(r => (string)r["id"]!).Distinct().Count());
    }

    // --- the postprovision hook ---

    private static readonly string Hook = Repo.Path("infra", "hooks", "entra-app.sh");
    private static readonly string RolesPath = Repo.Path("infra", "entra-app-roles.json");
    private static readonly string[] Variables = ["SERVICE_API_URI", "AZURE_ENV_NAME", "ENTRA_CLIENT_ID", "ENTRA_TENANT_ID", "AZURE_TENANT_ID", "ENTRA_APP_NAME", "NAP_PUBLIC_BASE_URL"];
    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("nap-entra-stubs-");
    private string CallLog => Path.Combine(_bin.FullName, "calls.log");
    private string[] Calls() => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    public void Dispose() => _bin.Delete(recursive: true);

    private void Stub(string name, string body = "exit 0")
    {
        var path = Path.Combine(_bin.FullName, name);
        File.WriteAllText(path, $"#!/usr/bin/env bash\necho \"{name} $*\" >> '{CallLog}'\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private ProcessResult Run(IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var environment = Variables.ToDictionary(v => v, string? (_) => null);
        foreach (var (k, v) in variables) environment[k] = v;
        environment["PATH"] = _bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
        return ProcessRunner.Run("bash", [Hook, .. arguments], Repo.Root, environment, TimeSpan.FromSeconds(30));
    }

    private static readonly Dictionary<string, string> Provisioned = new()
    {
        ["SERVICE_API_URI"] = "https://func-test.azurewebsites.net",
        ["AZURE_ENV_NAME"] = "test",
        ["ENTRA_TENANT_ID"] = "11111111-2222-3333-4444-555555555555",
    };

    [Fact]
    public void Dry_run_prints_the_commands_that_create_the_registration_and_runs_none()
    {
        Stub("az", "exit 99");
        Stub("azd", "exit 99");
        var run = Run(Provisioned, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Empty(Calls());
        var redirect = "https://func-test.azurewebsites.net/.auth/login/aad/callback";
        Assert.Equal(
        [
            "+ az ad app list --display-name 'NAP 1325 reporting (test)' --query '[0].appId' --output tsv",
            $"+ az ad app create --display-name 'NAP 1325 reporting (test)' --sign-in-audience AzureADMyOrg --enable-id-token-issuance true --web-redirect-uris {redirect} --app-roles {RolesPath} --query appId --output tsv",
            $"+ az ad app update --id '<new client id>' --enable-id-token-issuance true --web-redirect-uris {redirect} --app-roles {RolesPath}",
            "+ az ad sp show --id '<new client id>' --query id --output tsv",
            "+ az ad sp create --id '<new client id>' --output none",
            "+ az ad sp update --id '<new client id>' --set appRoleAssignmentRequired=true",
            "+ azd env set ENTRA_CLIENT_ID '<new client id>'",
            "+ azd env set ENTRA_TENANT_ID 11111111-2222-3333-4444-555555555555",
        ], run.StdOut.Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal)));
        Assert.Contains("Run 'azd provision' once more", run.StdOut);
    }

    [Fact]
    public void Dry_run_with_a_known_client_id_and_a_public_url_updates_and_adds_the_second_redirect()
    {
        var run = Run(new Dictionary<string, string>(Provisioned)
        {
            ["ENTRA_CLIENT_ID"] = "aaaaaaaa-0000-4000-8000-000000000001",
            ["NAP_PUBLIC_BASE_URL"] = "https://nap.example.nl/",
        }, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.DoesNotContain("az ad app list", run.StdOut);
        Assert.DoesNotContain("az ad app create", run.StdOut);
        Assert.Contains("+ az ad app update --id aaaaaaaa-0000-4000-8000-000000000001 --enable-id-token-issuance true --web-redirect-uris "
            + "https://func-test.azurewebsites.net/.auth/login/aad/callback https://nap.example.nl/.auth/login/aad/callback --app-roles " + RolesPath, run.StdOut);
        Assert.Contains("is up to date", run.StdOut);
    }

    [Fact]
    public void A_real_run_creates_once_then_finds_the_registration_by_name()
    {
        Stub("az", """
            case "$1 $2 $3" in
              "ad app list") [[ -f "$(dirname "$0")/created" ]] && echo "bbbbbbbb-0000-4000-8000-000000000002"; exit 0 ;;
              "ad app create") touch "$(dirname "$0")/created"; echo "bbbbbbbb-0000-4000-8000-000000000002" ;;
              "ad sp show") [[ -f "$(dirname "$0")/created-sp" ]] && echo "sp-object-id"; exit 0 ;;
              "ad sp create") touch "$(dirname "$0")/created-sp" ;;
              *) exit 0 ;;
            esac
            """);
        Stub("azd");
        var first = Run(Provisioned);
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Single(Calls(), c => c.StartsWith("az ad app create ", StringComparison.Ordinal));
        Assert.Single(Calls(), c => c.StartsWith("az ad sp create --id bbbbbbbb-0000-4000-8000-000000000002", StringComparison.Ordinal));
        Assert.Contains("azd env set ENTRA_CLIENT_ID bbbbbbbb-0000-4000-8000-000000000002", Calls());
        Assert.Contains("azd env set ENTRA_TENANT_ID 11111111-2222-3333-4444-555555555555", Calls());

        File.Delete(CallLog);
        var again = Run(Provisioned);
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.DoesNotContain(Calls(), c => c.Contains(" create ", StringComparison.Ordinal));
        Assert.Contains(Calls(), c => c.StartsWith("az ad app update --id bbbbbbbb-0000-4000-8000-000000000002 ", StringComparison.Ordinal));
    }

    [Fact]
    public void It_refuses_to_run_before_provisioning()
    {
        var run = Run(new Dictionary<string, string>(), "--dry-run");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SERVICE_API_URI", run.StdErr);
        Assert.Equal(2, Run(Provisioned, "--dryrun").ExitCode);
    }

    [Fact]
    public void The_hook_reads_outputs_that_main_bicep_has()
    {
        var outputs = Main["outputs"]!.AsObject();
        Assert.True(outputs.ContainsKey("SERVICE_API_URI"));
        Assert.True(outputs.ContainsKey("ENTRA_TENANT_ID"));
    }
}
