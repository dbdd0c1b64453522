using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Nap.Infra.Tests;

/// <summary>
/// The app settings infra sets against the settings the code reads, as listed in local.settings.sample.json
/// (read at test time), so that a setting cannot be forgotten on either side.
/// </summary>
public sealed class SettingsDriftTests
{
    /// <summary>Only meaningful locally; in Azure replaced by identity-based forms or set by the platform.</summary>
    private static readonly HashSet<string> LocalOnly =
    [
        "FUNCTIONS_WORKER_RUNTIME", // Flex Consumption rejects it as an app setting: the runtime is in functionAppConfig.
        "AzureWebJobsStorage",      // connection string -> AzureWebJobsStorage__* (managed identity)
        "NapStorage",               // connection string -> NapStorage__* (managed identity)
        "Mail__OutboxFolder",       // the local .eml outbox; in Azure mail goes through Graph
        "Graph__Credential",        // Graph in Azure uses the app's managed identity (AZURE_CLIENT_ID, DefaultAzureCredential)
        "Graph__ClientSecret",      // ... so no app-registration secret
        "Graph__CertificatePath",   // ... and no certificate
        "SharePoint__LocalFolder",  // the local publication folder; in Azure reports go to SharePoint (SharePoint__SiteId)
    ];

    /// <summary>Only in Azure: identity-based connection settings and Entra ID telemetry.</summary>
    private static readonly HashSet<string> AzureOnly =
    [
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "NapStorage__credential",
        "NapStorage__clientId",
        "NapStorage__blobServiceUri",
        "NapStorage__queueServiceUri",
        "NapStorage__tableServiceUri",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "AZURE_CLIENT_ID",
    ];

    // A list entry (Name__0__X, Name__1__X) is one setting.
    private static string Normalize(string name) => Regex.Replace(name, "__[0-9]+__", "__N__");

    private static HashSet<string> LocalSettings()
    {
        var json = JsonNode.Parse(File.ReadAllText(Repo.Path("local.settings.sample.json")))!;
        return json["Values"]!.AsObject().Select(p => Normalize(p.Key)).ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> InfraSettings() =>
        CompiledTemplate.AppSettings.Select(p => Normalize(p.Key)).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_setting_the_code_reads_is_set_by_infra()
    {
        var missing = LocalSettings().Except(InfraSettings()).Except(LocalOnly).Order().ToList();
        Assert.True(missing.Count == 0,
            "local.settings.sample.json has settings that infra/main.bicep does not set (add them to the appSettings of the functionApp module, "
            + "or to LocalOnly with a reason): " + string.Join(", ", missing));
    }

    [Fact]
    public void Infra_sets_no_setting_the_code_does_not_know()
    {
        var unknown = InfraSettings().Except(LocalSettings()).Except(AzureOnly).Order().ToList();
        Assert.True(unknown.Count == 0,
            "infra/main.bicep sets settings that local.settings.sample.json does not list (add them there with a safe local value, "
            + "or to AzureOnly with a reason): " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_exception_lists_are_current()
    {
        var local = LocalSettings();
        var infra = InfraSettings();
        var azureOnlyInLocal = AzureOnly.Intersect(local).Order().ToList();
        Assert.True(azureOnlyInLocal.Count == 0, "local.settings.sample.json now lists these; remove them from AzureOnly: " + string.Join(", ", azureOnlyInLocal));
        var notSet = AzureOnly.Except(infra).Order().ToList();
        Assert.True(notSet.Count == 0, "infra no longer sets these; remove them from AzureOnly: " + string.Join(", ", notSet));
        var localOnlyButSet = LocalOnly.Intersect(infra).Order().ToList();
        Assert.True(localOnlyButSet.Count == 0, "these are local-only but infra sets them: " + string.Join(", ", localOnlyButSet));
        var localOnlyUnlisted = LocalOnly.Except(local).Order().ToList();
        Assert.True(localOnlyUnlisted.Count == 0, "local.settings.sample.json no longer has these; remove them from LocalOnly: " + string.Join(", ", localOnlyUnlisted));
    }

    [Fact]
    public void Draft_coalescing_never_exceeds_the_max_delay()
    {
        // ReportOptions: MaxDelay = max(CoalesceSeconds, MaxDelaySeconds). Infra keeps the coalesce window within the max delay.
        var maxDelay = int.Parse(CompiledTemplate.Str(CompiledTemplate.AppSettings["Reports__MaxDelaySeconds"]), System.Globalization.CultureInfo.InvariantCulture);
        var coalesce = CompiledTemplate.Main["parameters"]!["reportsCoalesceSeconds"]!;
        Assert.Equal("[string(parameters('reportsCoalesceSeconds'))]", CompiledTemplate.Str(CompiledTemplate.AppSettings["Reports__CoalesceSeconds"]));
        Assert.Equal(30, (int)coalesce["defaultValue"]!);
        Assert.Equal(300, maxDelay);
        Assert.True((int)coalesce["maxValue"]! <= maxDelay, "reportsCoalesceSeconds may exceed Reports__MaxDelaySeconds");
        Assert.True((int)coalesce["minValue"]! >= 0);
    }

    [Fact]
    public void Every_app_setting_value_is_a_string()
    {
        // Every value is a string or an ARM expression (Flex Consumption app settings are strings).
        foreach (var (name, value) in CompiledTemplate.AppSettings)
            Assert.True(value is JsonValue v && v.TryGetValue<string>(out _), $"app setting {name} is not a string");
    }
}
