using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Nap.Infra.Tests.CompiledTemplate;

namespace Nap.Infra.Tests;

/// <summary>Secure-by-default properties, read from the ARM JSON that bicep compiles from infra/main.bicep.</summary>
public sealed class SecurityTests
{
    private static JsonObject Props(JsonObject resource) => resource["properties"]!.AsObject();

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && !b;

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string ParameterDefault(JsonObject template, string parameter) =>
        Str(template["parameters"]?[parameter]?["defaultValue"]);

    [Fact]
    public void Storage_account_allows_no_shared_keys_no_public_blobs_only_tls12_and_https()
    {
        var account = Props(Single("Microsoft.Storage/storageAccounts"));
        Assert.True(IsFalse(account["allowSharedKeyAccess"]), "allowSharedKeyAccess must be false");
        Assert.True(IsFalse(account["allowBlobPublicAccess"]), "allowBlobPublicAccess must be false");
        Assert.Equal("TLS1_2", Str(account["minimumTlsVersion"]));
        Assert.True(IsTrue(account["supportsHttpsTrafficOnly"]), "supportsHttpsTrafficOnly must be true");
        Assert.True(IsTrue(account["defaultToOAuthAuthentication"]), "defaultToOAuthAuthentication must be true");
        Assert.True(IsFalse(account["allowCrossTenantReplication"]), "allowCrossTenantReplication must be false");
        Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", Str(account["publicNetworkAccess"]));
    }

    [Fact]
    public void Blobs_have_soft_delete_and_versioning()
    {
        var blobService = Props(Single("Microsoft.Storage/storageAccounts/blobServices"));
        Assert.True(IsTrue(blobService["isVersioningEnabled"]), "blob versioning must be on");
        Assert.True(IsTrue(blobService["deleteRetentionPolicy"]?["enabled"]), "blob soft delete must be on");
        Assert.True(IsTrue(blobService["containerDeleteRetentionPolicy"]?["enabled"]), "container soft delete must be on");
        foreach (var container in OfType("Microsoft.Storage/storageAccounts/blobServices/containers"))
            Assert.Equal("None", Str(container["properties"]?["publicAccess"]));
    }

    /// <summary>
    /// The classes that name the app's tables and containers: Nap.Storage.StorageNames and one per feature
    /// (e.g. Nap.Reports.ReportStorageNames), every public static class in Nap.Core whose name ends in StorageNames.
    /// </summary>
    private static IEnumerable<FieldInfo> StorageNameConstants(string suffix) =>
        typeof(Nap.Storage.StorageNames).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsAbstract: true, IsSealed: true } && t.Name.EndsWith("StorageNames", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith(suffix, StringComparison.Ordinal));

    public static TheoryData<string> StorageNamesInCode()
    {
        var data = new TheoryData<string>();
        foreach (var field in StorageNameConstants("Table").Concat(StorageNameConstants("Container")))
            data.Add($"{field.DeclaringType!.Name}.{field.Name}");
        return data;
    }

    [Theory]
    [MemberData(nameof(StorageNamesInCode))]
    public void Every_table_and_container_the_code_names_is_created(string constant)
    {
        var field = StorageNameConstants(constant.EndsWith("Table", StringComparison.Ordinal) ? "Table" : "Container")
            .Single(f => $"{f.DeclaringType!.Name}.{f.Name}" == constant);
        var value = (string)field.GetRawConstantValue()!;
        var variable = constant.EndsWith("Table", StringComparison.Ordinal) ? "storageTables" : "storageContainers";
        var created = Main["variables"]![variable]!.AsArray().Select(Str).ToList();
        Assert.Contains(value, created);
        // ...and main.bicep really hands that list to the storage module.
        Assert.Equal($"[variables('{variable}')]", Str(ModuleParameter("storage", variable == "storageTables" ? "tables" : "containers")));
    }

    [Theory]
    [InlineData("storageTables", "Table")]
    [InlineData("storageContainers", "Container")]
    public void Main_bicep_creates_no_table_or_container_the_code_does_not_name(string variable, string suffix)
    {
        var named = StorageNameConstants(suffix).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        // The feature classes are found (so an empty scan cannot pass silently).
        Assert.Contains(typeof(Nap.Reports.ReportStorageNames), StorageNameConstants(suffix).Select(f => f.DeclaringType));
        var created = Main["variables"]![variable]!.AsArray().Select(Str).ToList();
        Assert.Equal(created.Count, created.Distinct(StringComparer.Ordinal).Count());
        var unknown = created.Except(named).ToList();
        Assert.True(unknown.Count == 0,
            $"main.bicep {variable} lists names no *StorageNames constant in Nap.Core has (remove them, or name them in the code): " + string.Join(", ", unknown));
    }

    [Fact]
    public void Function_app_is_https_only_with_ftp_and_basic_publishing_credentials_off()
    {
        var site = Single("Microsoft.Web/sites");
        var props = Props(site);
        Assert.True(IsTrue(props["httpsOnly"]), "httpsOnly must be true");
        Assert.Equal("Disabled", Str(props["siteConfig"]?["ftpsState"]));
        Assert.Equal("1.2", Str(props["siteConfig"]?["minTlsVersion"]));
        Assert.Equal("1.2", Str(props["siteConfig"]?["scmMinTlsVersion"]));

        var policies = OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        foreach (var kind in new[] { "ftp", "scm" })
        {
            var policy = policies.SingleOrDefault(p => Str(p["name"]).EndsWith($"'{kind}')]", StringComparison.Ordinal));
            Assert.True(policy is not null, $"no basicPublishingCredentialsPolicies/{kind}");
            Assert.True(IsFalse(policy!["properties"]?["allow"]), $"basic publishing credentials ({kind}) must be off");
        }
    }

    [Fact]
    public void Function_app_is_flex_consumption_dotnet_isolated_10_with_the_user_assigned_identity()
    {
        var app = ModuleTemplate("functionapp");
        var plan = Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", Str(plan["sku"]?["name"]));
        Assert.Equal("FlexConsumption", Str(plan["sku"]?["tier"]));

        var site = Single("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", Str(site["identity"]?["type"]));
        var props = Props(site);
        Assert.Equal("[parameters('identityId')]", Str(props["keyVaultReferenceIdentity"]));
        var config = props["functionAppConfig"]!;
        Assert.Equal("[parameters('runtimeName')]", Str(config["runtime"]?["name"]));
        Assert.Equal("[parameters('runtimeVersion')]", Str(config["runtime"]?["version"]));
        Assert.Equal("dotnet-isolated", ParameterDefault(app, "runtimeName"));
        Assert.Equal("10.0", ParameterDefault(app, "runtimeVersion"));
        Assert.Null(ModuleParameter("functionapp", "runtimeName"));
        Assert.Null(ModuleParameter("functionapp", "runtimeVersion"));
        Assert.Equal("blobContainer", Str(config["deployment"]?["storage"]?["type"]));
        Assert.Equal("UserAssignedIdentity", Str(config["deployment"]?["storage"]?["authentication"]?["type"]));
        Assert.Equal("[parameters('identityId')]", Str(config["deployment"]?["storage"]?["authentication"]?["userAssignedIdentityResourceId"]));
        Assert.Contains("outputs.id.value", Str(ModuleParameter("functionapp", "identityId")));
        Assert.Contains("'identity'", Str(ModuleParameter("functionapp", "identityId")));
    }

    public static TheoryData<string, string, string> AppRoles() => new()
    {
        // Blob and table roles are scoped to each container and table: PrivacyInfraTests.
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(AppRoles))]
    public void App_identity_has_role(string role, string roleDefinitionId, string scopeType)
    {
        var matches = OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => Str(r["properties"]?["principalId"]) == "[parameters('appPrincipalId')]")
            .Where(r => Str(r["properties"]?["roleDefinitionId"]) == $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{roleDefinitionId}')]")
            .ToList();
        var assignment = Assert.Single(matches);
        Assert.Equal("ServicePrincipal", Str(assignment["properties"]?["principalType"]));
        Assert.Null(assignment["condition"]);
        Assert.Contains(scopeType, Str(assignment["scope"]));
        Assert.Contains("outputs.principalId.value", Str(ModuleParameter("rbac", "appPrincipalId")));
        Assert.False(string.IsNullOrEmpty(role));
    }

    [Fact]
    public void Deploying_principal_gets_data_roles_only_when_asked()
    {
        var deployer = OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => Str(r["properties"]?["principalId"]) == "[parameters('deployerPrincipalId')]")
            .ToList();
        Assert.Equal(3, deployer.Count);
        Assert.All(deployer, r => Assert.Equal("[variables('grantDeployer')]", Str(r["condition"])));
        Assert.Equal("[and(parameters('grantDeployerDataAccess'), not(empty(parameters('deployerPrincipalId'))))]",
            Str(ModuleTemplate("rbac")["variables"]?["grantDeployer"]));
        Assert.False(IsTrue(Main["parameters"]?["grantDeployerDataAccess"]?["defaultValue"]));
    }

    private static readonly string[] ForbiddenInSettings =
    [
        "AccountKey=", "SharedAccessSignature", "DefaultEndpointsProtocol", "UseDevelopmentStorage", "listKeys", "sig=", "InstrumentationKey=",
    ];

    [Fact]
    public void App_settings_hold_no_connection_string_or_secret_literal()
    {
        var settings = AppSettings;
        Assert.NotEmpty(settings);
        foreach (var (name, value) in settings)
        {
            var text = Str(value);
            foreach (var forbidden in ForbiddenInSettings)
                Assert.False(text.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"app setting {name} contains '{forbidden}'");
        }

        // Plain connection-string settings are replaced by their identity-based forms; Flex rejects the worker runtime setting.
        foreach (var name in new[] { "AzureWebJobsStorage", "NapStorage", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage__accountKey" })
            Assert.False(settings.ContainsKey(name), $"app setting {name} must not be set");

        // Nothing anywhere in the deployment reads storage account keys.
        Assert.DoesNotContain("listKeys", Main.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", Main.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("NapStorage")]
    public void Storage_connections_are_identity_based(string connection)
    {
        var settings = AppSettings;
        Assert.Equal("managedidentity", Str(settings[$"{connection}__credential"]));
        Assert.Contains("'identity'", Str(settings[$"{connection}__clientId"]));
        Assert.Contains("outputs.clientId.value", Str(settings[$"{connection}__clientId"]));
        Assert.Contains("outputs.blobEndpoint.value", Str(settings[$"{connection}__blobServiceUri"]));
        Assert.Contains("outputs.queueEndpoint.value", Str(settings[$"{connection}__queueServiceUri"]));
        Assert.Contains("outputs.tableEndpoint.value", Str(settings[$"{connection}__tableServiceUri"]));
    }

    [Fact]
    public void Telemetry_uses_entra_id_and_local_auth_is_off()
    {
        Assert.True(IsTrue(Props(Single("Microsoft.Insights/components"))["DisableLocalAuth"]), "Application Insights local auth must be off");
        Assert.True(IsTrue(Props(Single("Microsoft.OperationalInsights/workspaces"))["features"]?["disableLocalAuth"]), "Log Analytics local auth must be off");
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD'", Str(AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]));
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection()
    {
        var vault = Props(Single("Microsoft.KeyVault/vaults"));
        Assert.True(IsTrue(vault["enableRbacAuthorization"]), "Key Vault must use RBAC");
        Assert.True(IsTrue(vault["enableSoftDelete"]), "Key Vault soft delete must be on");
        Assert.Null(vault["accessPolicies"]);
        Assert.Equal("[if(parameters('enablePurgeProtection'), true(), null())]", Str(vault["enablePurgeProtection"]));
        Assert.True(IsTrue(Main["parameters"]?["keyVaultPurgeProtection"]?["defaultValue"]));
        Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", Str(vault["publicNetworkAccess"]));
    }

    [Fact]
    public void Private_networking_is_the_default_and_adds_vnet_integration_and_private_endpoints()
    {
        Assert.True(IsTrue(Main["parameters"]?["privateNetworking"]?["defaultValue"]));
        Assert.Equal("[parameters('privateNetworking')]", Str(Module("network")["condition"]));
        var endpoints = ModuleTemplate("network")["variables"]!["endpoints"]!.AsArray().Select(e => Str(e!["groupId"])).ToList();
        Assert.Equal(["blob", "queue", "table", "vault"], endpoints);
        var delegation = Single("Microsoft.Network/virtualNetworks")["properties"]!["subnets"]!.AsArray()
            .SelectMany(s => s!["properties"]?["delegations"]?.AsArray() ?? []).Select(d => Str(d!["properties"]?["serviceName"]));
        Assert.Contains("Microsoft.App/environments", delegation);
        Assert.Contains("appSubnetId", Str(ModuleParameter("functionapp", "virtualNetworkSubnetId")));
    }

    [Fact]
    public void Alerts_go_to_an_action_group_for_failures_send_problems_and_a_missing_sweep()
    {
        var alerts = ModuleTemplate("alerts");
        Assert.Single(OfType("Microsoft.Insights/actionGroups"));
        var rules = OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        Assert.Equal(3, rules.Count);
        Assert.All(rules, r => Assert.Contains("actionGroups", Str(r["properties"]?["actions"]?["actionGroups"]?[0])));
        Assert.All(rules, r => Assert.Equal("[parameters('applicationInsightsId')]", Str(r["properties"]?["scopes"]?[0])));

        Assert.Equal("ReminderSendFailed", ParameterDefault(alerts, "sendFailedName"));
        Assert.Equal("ReminderSendUncertain", ParameterDefault(alerts, "sendUncertainName"));
        Assert.Equal("ReminderSweepCompleted", ParameterDefault(alerts, "sweepCompletedName"));
        Assert.Equal("26", ParameterDefault(alerts, "sweepMaxSilenceHours"));
        var variables = alerts["variables"]!.ToJsonString();
        Assert.Contains("requests", variables);
        Assert.Contains("success == false", variables);
        Assert.Contains("ago({1}h)", variables);

        var sweep = rules.Single(r => Str(r["name"]).Contains("no-reminder-sweep", StringComparison.Ordinal));
        Assert.Equal("LessThan", Str(sweep["properties"]?["criteria"]?["allOf"]?[0]?["operator"]));
        Assert.Contains("operatorEmail", Str(ModuleParameter("alerts", "operatorEmail")));
    }

    [Fact]
    public void Event_grid_system_topic_watches_the_storage_account()
    {
        var topic = Single("Microsoft.EventGrid/systemTopics");
        Assert.Equal("Microsoft.Storage.StorageAccounts", Str(topic["properties"]?["topicType"]));
        Assert.Equal("[parameters('storageAccountId')]", Str(topic["properties"]?["source"]));
        Assert.Contains("'storage'", Str(ModuleParameter("eventgrid", "storageAccountId")));
        // The subscription itself is created by infra/hooks/postdeploy.sh (it needs the blobs_extension key).
        Assert.Empty(OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
    }
}
