using System.Text.Json.Nodes;
using static Nap.Infra.Tests.CompiledTemplate;

namespace Nap.Infra.Tests;

/// <summary>
/// Private by default (BIO), data roles scoped to containers and tables, the optional customer-managed key, the audit
/// trail in Log Analytics and the storage retention rules, read from the compiled template. Where a parameter picks
/// the variant, the property is evaluated for both values (<see cref="ArmExpression"/>).
/// </summary>
public sealed class PrivacyInfraTests
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string CryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";
    private const string CryptoServiceEncryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

    private static JsonObject ResourceIn(string module, string type) =>
        Resources(ModuleTemplate(module)).Single(r => Type(r) == type);

    private static object? Eval(JsonNode? node, string module, params (string Name, object? Value)[] parameters) =>
        ArmExpression.Evaluate(node, module == "main" ? Main : ModuleTemplate(module), parameters.ToDictionary(p => p.Name, p => p.Value));

    /// <summary>What a module parameter's value becomes in main.bicep for the given main parameters.</summary>
    private static object? ModuleValue(string module, string parameter, params (string, object?)[] mainParameters)
    {
        var node = Module(module)["properties"]!["parameters"]![parameter];
        var value = node is JsonObject wrapped ? Eval(wrapped["value"], "main", mainParameters) : Eval(node, "main", mainParameters);
        return value is JsonObject { Count: 1 } o && o.ContainsKey("value") ? ArmExpression.Evaluate(o["value"], Main, mainParameters.ToDictionary(p => p.Item1, p => p.Item2)) : value;
    }

    private static bool Default(string parameter) => (bool)Main["parameters"]![parameter]!["defaultValue"]!;

    private static int DefaultInt(string parameter, JsonObject? template = null) => (int)(template ?? Main)["parameters"]![parameter]!["defaultValue"]!;

    private static string RoleId(string guid) => $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{guid}')]";

    private static IEnumerable<JsonObject> AppAssignments(string module) =>
        Resources(ModuleTemplate(module)).Where(r => Type(r) == "Microsoft.Authorization/roleAssignments")
            .Where(r => Str(r["properties"]?["principalId"]) == "[parameters('appPrincipalId')]");

    [Fact]
    public void Private_networking_is_the_default_in_bicep_and_in_the_azd_parameters()
    {
        Assert.True(Default("privateNetworking"));
        var file = JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "main.parameters.json")))!;
        Assert.Equal("${PRIVATE_NETWORKING=true}", Str(file["parameters"]!["privateNetworking"]!["value"]));
        Assert.Equal("[parameters('privateNetworking')]", Str(ModuleParameter("storage", "privateNetworking")));
        Assert.Equal("[parameters('privateNetworking')]", Str(ModuleParameter("keyvault", "privateNetworking")));
    }

    [Theory]
    [InlineData(true, "Disabled", "Deny")]
    [InlineData(false, "Enabled", "Allow")]
    public void Storage_and_key_vault_public_access_follows_the_variant(bool privateNetworking, string access, string defaultAction)
    {
        foreach (var (module, type) in new[] { ("storage", "Microsoft.Storage/storageAccounts"), ("keyvault", "Microsoft.KeyVault/vaults") })
        {
            var props = ResourceIn(module, type)["properties"]!;
            Assert.Equal(access, Eval(props["publicNetworkAccess"], module, ("privateNetworking", privateNetworking)));
            Assert.Equal(defaultAction, Eval(props["networkAcls"]!["defaultAction"], module, ("privateNetworking", privateNetworking)));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_private_variant_has_the_vnet_private_endpoints_and_a_vnet_integrated_app(bool privateNetworking)
    {
        Assert.Equal(privateNetworking, Eval(Module("network")["condition"], "main", ("privateNetworking", privateNetworking)));
        var subnet = ModuleValue("functionapp", "virtualNetworkSubnetId", ("privateNetworking", privateNetworking));
        if (privateNetworking)
            Assert.Contains("outputs.appSubnetId", Assert.IsType<ArmExpression.Opaque>(subnet).Text);
        else
            Assert.True(subnet is "", $"subnet: {subnet} ({subnet?.GetType()})");
        var site = ResourceIn("functionapp", "Microsoft.Web/sites")["properties"]!;
        var subnetValue = subnet is string s ? s : "/subscriptions/x/subnets/snet-app";
        Assert.Equal(privateNetworking, Eval(site["siteConfig"]!["vnetRouteAllEnabled"], "functionapp", ("virtualNetworkSubnetId", subnetValue)));
        // Signatories reach the form from the internet: the app itself stays public, HTTPS only.
        Assert.Equal("Enabled", Str(site["publicNetworkAccess"]));
    }

    [Fact]
    public void Every_storage_service_and_the_vault_has_a_private_endpoint_with_its_private_dns_zone()
    {
        var network = ModuleTemplate("network");
        var endpoints = network["variables"]!["endpoints"]!.AsArray();
        var expected = new Dictionary<string, string>
        {
            ["blob"] = "privatelink.blob.", ["queue"] = "privatelink.queue.", ["table"] = "privatelink.table.", ["vault"] = "privatelink.vaultcore.azure.net",
        };
        Assert.Equal(expected.Keys.Order(), endpoints.Select(e => Str(e!["groupId"])).Order());
        foreach (var e in endpoints)
            Assert.Contains(expected[Str(e!["groupId"])], Str(e["zone"]));
        Assert.Contains("storageAccountId", Str(endpoints.Single(e => Str(e!["groupId"]) == "blob")!["target"]));
        Assert.Contains("keyVaultId", Str(endpoints.Single(e => Str(e!["groupId"]) == "vault")!["target"]));

        Assert.Equal("[length(variables('endpoints'))]", Str(ResourceIn("network", "Microsoft.Network/privateDnsZones")["copy"]!["count"]));
        var link = ResourceIn("network", "Microsoft.Network/privateDnsZones/virtualNetworkLinks");
        Assert.Equal("[length(variables('endpoints'))]", Str(link["copy"]!["count"]));
        Assert.Contains("Microsoft.Network/virtualNetworks", Str(link["properties"]!["virtualNetwork"]!["id"]));
        var pe = ResourceIn("network", "Microsoft.Network/privateEndpoints");
        Assert.Equal("[length(variables('endpoints'))]", Str(pe["copy"]!["count"]));
        var group = ResourceIn("network", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups");
        Assert.Contains("Microsoft.Network/privateDnsZones", group["properties"]!.ToJsonString());
        Assert.Contains("outputs.id.value", Str(ModuleParameter("network", "storageAccountId")));
        Assert.Contains("outputs.id.value", Str(ModuleParameter("network", "keyVaultId")));
    }

    [Fact]
    public void App_identity_has_no_blob_data_owner_and_no_blob_or_table_data_role_on_the_account()
    {
        var all = AllResources(Main).Select(r => r.Resource).Where(r => Type(r) == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.DoesNotContain(all, r => Str(r["properties"]?["roleDefinitionId"]) == RoleId(BlobDataOwner));
        var app = AppAssignments("rbac").ToList();
        foreach (var role in new[] { BlobDataContributor, TableDataContributor })
        {
            var assignment = Assert.Single(app, r => Str(r["properties"]?["roleDefinitionId"]) == RoleId(role));
            Assert.DoesNotContain("'Microsoft.Storage/storageAccounts', ", Str(assignment["scope"]));
        }
        // Queues are the host's (created by name at run time, they hold blob names only): the one account-wide role.
        var accountWide = app.Where(r => Str(r["scope"]) == "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]").ToList();
        Assert.Equal([RoleId(QueueDataContributor)], accountWide.Select(r => Str(r["properties"]?["roleDefinitionId"])));
    }

    [Fact]
    public void App_identity_gets_blob_data_contributor_on_each_container_and_table_data_contributor_on_each_table()
    {
        var app = AppAssignments("rbac").ToList();
        var blob = app.Single(r => Str(r["properties"]?["roleDefinitionId"]) == RoleId(BlobDataContributor));
        Assert.Equal("[length(parameters('containers'))]", Str(blob["copy"]?["count"]));
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('storageAccountName'), 'default', parameters('containers')[copyIndex()])]", Str(blob["scope"]));
        var table = app.Single(r => Str(r["properties"]?["roleDefinitionId"]) == RoleId(TableDataContributor));
        Assert.Equal("[length(parameters('tables'))]", Str(table["copy"]?["count"]));
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts/tableServices/tables', parameters('storageAccountName'), 'default', parameters('tables')[copyIndex()])]", Str(table["scope"]));

        // The lists handed to rbac are the ones the storage module creates: the app's (as the code names them), the host's, the package's.
        Assert.Equal("[union(variables('storageContainers'), variables('hostContainers'), createArray(variables('names').deploymentContainer))]", Str(ModuleParameter("rbac", "containers")));
        Assert.Equal("[variables('storageTables')]", Str(ModuleParameter("rbac", "tables")));
        Assert.Equal("[variables('hostContainers')]", Str(ModuleParameter("storage", "hostContainers")));
        Assert.Equal(["azure-webjobs-hosts", "azure-webjobs-secrets"], Main["variables"]!["hostContainers"]!.AsArray().Select(Str));
        // ...and the storage module creates exactly those (its own list, the host's, the package's).
        Assert.Equal("[length(union(parameters('containers'), parameters('hostContainers'), createArray(parameters('deploymentContainerName'))))]",
            Str(ResourceIn("storage", "Microsoft.Storage/storageAccounts/blobServices/containers")["copy"]!["count"]));
    }

    [Fact]
    public void The_data_key_is_usable_by_the_app_alone_and_only_that_key()
    {
        var key = Resources(ModuleTemplate("keyvault")).Single(r => Type(r) == "Microsoft.KeyVault/vaults/keys" && r["condition"] is null && Str(r["name"]).Contains("dataKeyName", StringComparison.Ordinal));
        Assert.Equal("RSA", Str(key["properties"]!["kty"]));
        Assert.True((int)key["properties"]!["keySize"]! >= 3072);
        Assert.Equal(["wrapKey", "unwrapKey"], key["properties"]!["keyOps"]!.AsArray().Select(Str));
        Assert.False((bool)key["properties"]!["attributes"]!["exportable"]!);
        // The app's Crypto User roles are each scoped to one key: the data key here, the link key below.
        var scopes = AppAssignments("keyvault").Where(r => Str(r["properties"]?["roleDefinitionId"]) == RoleId(CryptoUser)).Select(r => Str(r["scope"])).Order().ToList();
        Assert.Equal(["[resourceId('Microsoft.KeyVault/vaults/keys', parameters('name'), 'link-signing')]",
            "[resourceId('Microsoft.KeyVault/vaults/keys', parameters('name'), parameters('dataKeyName'))]"], scopes);
        Assert.Contains("dataKeyName", Str(AppSettings["Keys__KeyName"]));
        Assert.Contains("variables('keyVaultUri')", Str(AppSettings["Keys__VaultUri"]));
    }

    [Fact]
    public void The_link_signing_key_signs_only_and_cannot_be_exported()
    {
        var key = Resources(ModuleTemplate("keyvault")).Single(r => Type(r) == "Microsoft.KeyVault/vaults/keys" && Str(r["name"]).Contains("link-signing", StringComparison.Ordinal));
        Assert.Equal("RSA", Str(key["properties"]!["kty"]));
        Assert.Equal(["sign", "verify"], key["properties"]!["keyOps"]!.AsArray().Select(Str));
        Assert.False((bool)key["properties"]!["attributes"]!["exportable"]!);
    }

    [Theory]
    [InlineData(false, "Microsoft.Storage")]
    [InlineData(true, "Microsoft.Keyvault")]
    public void Customer_managed_key_is_an_option(bool cmk, string keySource)
    {
        Assert.False(Default("storageCustomerManagedKey"));
        Assert.Equal(cmk, Eval(Module("keyvault")["properties"]!["parameters"]!["createStorageKey"]!["value"], "main", ("storageCustomerManagedKey", cmk)));
        var keyName = ModuleValue("storage", "customerManagedKeyName", ("storageCustomerManagedKey", cmk));
        var keyNameValue = cmk ? "storage-cmk" : "";
        if (cmk) Assert.Contains("storageKeyName", Assert.IsType<ArmExpression.Opaque>(keyName).Text);
        else Assert.Equal("", keyName);

        var account = ResourceIn("storage", "Microsoft.Storage/storageAccounts");
        var encryption = account["properties"]!["encryption"]!;
        Assert.Equal(keySource, Eval(encryption["keySource"], "storage", ("customerManagedKeyName", keyNameValue)));
        foreach (var service in new[] { "blob", "file", "table", "queue" })
            Assert.Equal("Account", Str(encryption["services"]![service]!["keyType"]));
        var identity = Eval(account["identity"], "storage", ("customerManagedKeyName", keyNameValue), ("encryptionIdentityId", "/id"));
        if (cmk)
        {
            Assert.Equal("UserAssigned", Str(Assert.IsType<JsonObject>(identity)["type"]));
            var kv = Assert.IsType<JsonObject>(Eval(encryption["keyvaultproperties"], "storage", ("customerManagedKeyName", keyNameValue), ("keyVaultUri", "https://kv/")));
            Assert.Equal("storage-cmk", Str(kv["keyname"]));
            Assert.Equal("/id", Str(Assert.IsType<JsonObject>(Eval(encryption["identity"], "storage", ("customerManagedKeyName", keyNameValue), ("encryptionIdentityId", "/id")))["userAssignedIdentity"]));
        }
        else Assert.Null(identity);

        var storageKey = Resources(ModuleTemplate("keyvault")).Single(r => Type(r) == "Microsoft.KeyVault/vaults/keys" && r["condition"] is not null);
        Assert.Equal("[parameters('createStorageKey')]", Str(storageKey["condition"]));
        var role = Assert.Single(AppAssignments("keyvault"), r => Str(r["properties"]?["roleDefinitionId"]) == RoleId(CryptoServiceEncryptionUser));
        Assert.Equal("[parameters('createStorageKey')]", Str(role["condition"]));
        Assert.Equal("[resourceId('Microsoft.KeyVault/vaults/keys', parameters('name'), parameters('storageKeyName'))]", Str(role["scope"]));
        Assert.Contains("outputs.id.value", Str(ModuleParameter("storage", "encryptionIdentityId")));
        // A customer-managed key needs purge protection on the vault: on by default.
        Assert.True(Default("keyVaultPurgeProtection"));
    }

    [Fact]
    public void Storage_data_plane_reads_writes_and_deletes_go_to_log_analytics()
    {
        var settings = Resources(ModuleTemplate("storage")).Where(r => Type(r) == "Microsoft.Insights/diagnosticSettings").ToList();
        var scopes = settings.Select(s => Str(s["scope"])).Order().ToList();
        Assert.Equal(
            ["[resourceId('Microsoft.Storage/storageAccounts/blobServices', parameters('name'), 'default')]",
             "[resourceId('Microsoft.Storage/storageAccounts/tableServices', parameters('name'), 'default')]"], scopes);
        foreach (var setting in settings)
        {
            Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", Str(setting["properties"]!["workspaceId"]));
            var logs = Assert.IsType<JsonArray>(Eval(setting["properties"]!["logs"], "storage"));
            Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], logs.Where(l => (bool)l!["enabled"]!).Select(l => Str(l!["category"])).Order());
        }
        Assert.Contains("'monitoring'", Str(ModuleParameter("storage", "logAnalyticsWorkspaceId")));
        Assert.Contains("outputs.logAnalyticsId.value", Str(ModuleParameter("storage", "logAnalyticsWorkspaceId")));
    }

    [Fact]
    public void Key_vault_audit_events_go_to_log_analytics()
    {
        var setting = ResourceIn("keyvault", "Microsoft.Insights/diagnosticSettings");
        Assert.Equal("[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]", Str(setting["scope"]));
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", Str(setting["properties"]!["workspaceId"]));
        var audit = Assert.Single(setting["properties"]!["logs"]!.AsArray());
        Assert.Equal("AuditEvent", Str(audit!["category"]));
        Assert.True((bool)audit["enabled"]!);
        Assert.Contains("outputs.logAnalyticsId.value", Str(ModuleParameter("keyvault", "logAnalyticsWorkspaceId")));
    }

    [Fact]
    public void Audit_tables_are_kept_365_days_by_default_and_other_logs_per_parameter()
    {
        Assert.Equal(365, DefaultInt("auditLogRetentionDays"));
        Assert.Equal(30, DefaultInt("logRetentionDays"));
        Assert.Equal("[parameters('auditLogRetentionDays')]", Str(ModuleParameter("monitoring", "auditRetentionInDays")));
        Assert.Equal("[parameters('logRetentionDays')]", Str(ModuleParameter("monitoring", "retentionInDays")));

        var monitoring = ModuleTemplate("monitoring");
        Assert.Equal(["StorageBlobLogs", "StorageTableLogs", "AzureDiagnostics"], monitoring["variables"]!["auditTables"]!.AsArray().Select(Str));
        var tables = ResourceIn("monitoring", "Microsoft.OperationalInsights/workspaces/tables");
        Assert.Equal("[length(variables('auditTables'))]", Str(tables["copy"]!["count"]));
        foreach (var days in new long[] { 365, 2000 })
        {
            Assert.Equal(days, Eval(tables["properties"]!["totalRetentionInDays"], "monitoring", ("auditRetentionInDays", days)));
            Assert.Equal(Math.Min(days, 730), Eval(tables["properties"]!["retentionInDays"], "monitoring", ("auditRetentionInDays", days)));
        }
        Assert.Equal("[parameters('retentionInDays')]", Str(ResourceIn("monitoring", "Microsoft.OperationalInsights/workspaces")["properties"]!["retentionInDays"]));
        Assert.Equal("[parameters('retentionInDays')]", Str(ResourceIn("monitoring", "Microsoft.Insights/components")["properties"]!["RetentionInDays"]));
    }

    private static JsonObject Rule(string name) =>
        ResourceIn("storage", "Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray()
            .Single(r => Str(r!["name"]) == name)!.AsObject();

    [Theory]
    [InlineData("expire-drafts", "drafts/", "draftRetentionDays", 180)]
    [InlineData("expire-report-requests", "report-requests/", "reportRequestRetentionDays", 90)]
    public void Blob_lifecycle_rules_expire_drafts_and_report_requests(string rule, string prefix, string parameter, int days)
    {
        var r = Rule(rule);
        Assert.True((bool)r["enabled"]!);
        Assert.Equal([prefix], r["definition"]!["filters"]!["prefixMatch"]!.AsArray().Select(Str));
        Assert.Equal($"[parameters('{parameter}')]", Str(r["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]));
        Assert.Equal(days, DefaultInt(parameter));
        Assert.Equal($"[parameters('{parameter}')]", Str(ModuleParameter("storage", parameter)));
    }

    [Theory]
    [InlineData("expire-submissions", "submissions/ confidential/", "submissionRetentionDays")] // confidential parts go with their submissions
    [InlineData("expire-reports", "reports/", "reportVersionRetentionDays")]
    public void Submissions_and_reports_are_kept_unless_a_retention_is_set(string rule, string prefixes, string parameter)
    {
        var r = Rule(rule);
        Assert.Equal(0, DefaultInt(parameter));
        Assert.Equal($"[parameters('{parameter}')]", Str(ModuleParameter("storage", parameter)));
        Assert.Equal(prefixes.Split(' '), r["definition"]!["filters"]!["prefixMatch"]!.AsArray().Select(Str));
        Assert.Equal(false, Eval(r["enabled"], "storage", (parameter, 0L)));
        Assert.Equal(true, Eval(r["enabled"], "storage", (parameter, 400L)));
        Assert.Equal(400L, Eval(r["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"], "storage", (parameter, 400L)));
        Assert.Equal(400L, Eval(r["definition"]!["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"], "storage", (parameter, 400L)));
        // The table rows of the same store follow the same setting (the retention timer).
        var setting = parameter == "submissionRetentionDays" ? "Retention__SubmissionDays" : "Retention__ReportVersionDays";
        Assert.Equal($"[string(parameters('{parameter}'))]", Str(AppSettings[setting]));
    }
}
