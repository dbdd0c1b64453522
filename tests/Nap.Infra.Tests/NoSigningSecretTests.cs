using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Nap.Infra.Tests.CompiledTemplate;

namespace Nap.Infra.Tests;

/// <summary>
/// Links are signed by a non-exportable Key Vault key (or a local key file outside the repository): no signing secret
/// may travel through an app setting, a Bicep parameter, azd's environment file (a hook's <c>azd env set</c>) or the
/// sample settings. Read as text (every file under infra/, azure.yaml, local.settings.sample.json) and as the compiled
/// template, so a secret cannot come back under a new name.
/// </summary>
public sealed class NoSigningSecretTests
{
    // The names the HMAC signing used, and key material in any spelling.
    private static readonly Regex Forbidden = new(
        @"Tokens__Keys__|Tokens:Keys:|ActiveKeyId|TOKEN_SIGNING|TOKEN_ACTIVE_KEY|token-signing-|signingKeySecret|hmac-key|HS256",
        RegexOptions.IgnoreCase);

    // An azd environment variable that would hold a secret (azd writes `azd env set` to .azure/<env>/.env).
    private static readonly Regex SecretEnvSet = new(@"azd\s+env\s+set\s+[""']?(?<name>[A-Z0-9_]*(SECRET|PASSWORD|PRIVATE|SIGNING)[A-Z0-9_]*)", RegexOptions.IgnoreCase);

    // 32 bytes or more in base64 or hex: what a key in clear looks like in a settings value.
    private static readonly Regex KeyMaterial = new(@"^(?:[A-Za-z0-9+/]{40,}={0,2}|[0-9a-fA-F]{64,})$");

    private static List<string> FileList() =>
    [
        .. Directory.EnumerateFiles(Repo.Path("infra"), "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Repo.Root, file).Replace('\\', '/')).Order(StringComparer.Ordinal),
        "azure.yaml",
        "local.settings.sample.json",
    ];

    public static TheoryData<string> Files() => new(FileList());

    internal static IReadOnlyList<string> Offences(string text)
    {
        var found = new List<string>();
        foreach (Match m in Forbidden.Matches(text)) found.Add(m.Value);
        foreach (Match m in SecretEnvSet.Matches(text)) found.Add("azd env set " + m.Groups["name"].Value);
        return found;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void No_file_of_the_deployment_or_the_sample_settings_names_a_signing_secret(string file)
    {
        var offences = Offences(File.ReadAllText(Repo.Path(file.Split('/'))));
        Assert.True(offences.Count == 0, $"{file} carries signing-secret settings: " + string.Join(", ", offences.Distinct()));
    }

    [Fact]
    public void The_scan_finds_what_it_looks_for()
    {
        Assert.Contains("infra/main.bicep", FileList());
        Assert.Contains("infra/hooks/postdeploy.sh", FileList());
        Assert.NotEmpty(Offences("Tokens__Keys__0__Secret: x"));
        Assert.NotEmpty(Offences("run azd env set TOKEN_SIGNING_KEY_SECRET \"$s\""));
        Assert.NotEmpty(Offences("azd env set LINK_PRIVATE_KEY abc"));
        Assert.Empty(Offences("azd env set ENTRA_CLIENT_ID \"$id\""));
        Assert.Matches(KeyMaterial, "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=");
    }

    [Fact]
    public void The_template_has_no_secure_parameter_and_writes_no_key_vault_secret()
    {
        // A secure parameter is fed from azd's .env; a vault secret would be exportable key material.
        var templates = AllResources(Main)
            .Where(r => Type(r.Resource) == "Microsoft.Resources/deployments")
            .Select(r => (Name: Str(r.Resource["name"]), Template: r.Resource["properties"]!["template"]!.AsObject()))
            .Prepend(("main", Main)).ToList();
        Assert.True(templates.Count > 5, "the modules were not found");
        foreach (var (module, template) in templates)
        {
            foreach (var (name, parameter) in template["parameters"]?.AsObject() ?? [])
                Assert.False(Str(parameter?["type"]).StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"{module}: parameter {name} is secure");
        }
        Assert.Empty(OfType("Microsoft.KeyVault/vaults/secrets"));
    }

    [Fact]
    public void No_app_setting_holds_key_material_or_a_key_vault_secret_reference()
    {
        Assert.NotEmpty(AppSettings);
        foreach (var (name, value) in AppSettings)
        {
            var text = Str(value);
            Assert.DoesNotContain("@Microsoft.KeyVault(", text, StringComparison.OrdinalIgnoreCase);
            Assert.False(KeyMaterial.IsMatch(text), $"app setting {name} looks like key material");
        }
        // The link key is named, never held: the app asks Key Vault to sign with it.
        Assert.Equal("link-signing", Str(AppSettings["Tokens__LinkKeyName"]));
    }

    [Fact]
    public void No_sample_setting_holds_key_material()
    {
        var values = JsonNode.Parse(File.ReadAllText(Repo.Path("local.settings.sample.json")))!["Values"]!.AsObject();
        foreach (var (name, value) in values)
            Assert.False(KeyMaterial.IsMatch(Str(value)), $"local.settings.sample.json: {name} looks like key material");
    }

    [Fact]
    public void The_app_identity_has_no_role_on_key_vault_secrets()
    {
        // Key Vault Secrets User / Officer: nothing of the app is a secret any more.
        foreach (var role in new[] { "4633458b-17de-408a-b874-0445c86b69e6", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7" })
            Assert.DoesNotContain(OfType("Microsoft.Authorization/roleAssignments"),
                r => Str(r["properties"]?["roleDefinitionId"]).Contains(role, StringComparison.Ordinal));
    }
}
