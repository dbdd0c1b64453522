using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Nap.Infra.Tests.CompiledTemplate;

namespace Nap.Infra.Tests;

/// <summary>
/// docs/privacy/: the data inventories (English and Dutch) name every container, table, Key Vault item, audit log table
/// and app setting that exists in the code or in infra/; the form's privacy statements state the retention defaults
/// infra/ really deploys.
/// </summary>
public sealed class PrivacyInventoryTests
{
    public static readonly TheoryData<string> Inventories = new() { "data-inventory.en.md", "gegevensinventaris.nl.md" };

    private static string Inventory(string file) => File.ReadAllText(Repo.Path("docs", "privacy", file));

    /// <summary>Names are written as code: `name`.</summary>
    private static bool Names(string text, string name) => text.Contains('`' + name + '`', StringComparison.Ordinal);

    private static IEnumerable<string> StorageNameConstants() =>
        typeof(Nap.Storage.StorageNames).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsAbstract: true, IsSealed: true } && t.Name.EndsWith("StorageNames", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && (f.Name.EndsWith("Table", StringComparison.Ordinal) || f.Name.EndsWith("Container", StringComparison.Ordinal)))
            .Select(f => (string)f.GetRawConstantValue()!);

    private static IEnumerable<string> Variable(JsonObject template, string name) => template["variables"]![name]!.AsArray().Select(Str);

    private static string Normalize(string setting) => Regex.Replace(setting, "__[0-9]+__", "__N__");

    /// <summary>Everything the inventory must name, with where it comes from.</summary>
    public static IReadOnlyList<(string Name, string Source)> Stores()
    {
        var names = new List<(string, string)>();
        names.AddRange(StorageNameConstants().Select(n => (n, "a *StorageNames constant in Nap.Core")));
        foreach (var variable in new[] { "storageTables", "storageContainers", "hostContainers" })
            names.AddRange(Variable(Main, variable).Select(n => (n, $"main.bicep {variable}")));
        // The deployment package container: app-package-{token}.
        Assert.StartsWith("[format('app-package-{0}'", Str(Main["variables"]!["names"]!["deploymentContainer"]));
        names.Add(("app-package-{token}", "main.bicep names.deploymentContainer"));
        // Key Vault: the module's keys (the link key has a fixed name: Tokens__LinkKeyName).
        var keyVault = ModuleTemplate("keyvault");
        names.Add((Str(AppSettings["Tokens__LinkKeyName"]), "main.bicep Tokens__LinkKeyName"));
        foreach (var parameter in new[] { "dataKeyName", "storageKeyName" })
            names.Add((Str(keyVault["parameters"]![parameter]!["defaultValue"]), $"keyvault.bicep {parameter}"));
        names.AddRange(Variable(ModuleTemplate("monitoring"), "auditTables").Select(n => (n, "monitoring.bicep auditTables")));
        return names.Distinct().ToList();
    }

    public static IReadOnlyList<(string Name, string Source)> Settings()
    {
        var local = JsonNode.Parse(File.ReadAllText(Repo.Path("local.settings.sample.json")))!["Values"]!.AsObject().Select(p => (Normalize(p.Key), "local.settings.sample.json"));
        var infra = AppSettings.Select(p => (Normalize(p.Key), "main.bicep app settings"));
        return local.Concat(infra).DistinctBy(s => s.Item1).ToList();
    }

    [Theory]
    [MemberData(nameof(Inventories))]
    public void The_inventory_names_every_container_table_key_vault_item_and_audit_log_table(string file)
    {
        var text = Inventory(file);
        var stores = Stores();
        Assert.True(stores.Count >= 20, $"only {stores.Count} stores found: the scan is broken");
        var missing = stores.Where(s => !Names(text, s.Name)).Select(s => $"{s.Name} ({s.Source})").ToList();
        Assert.True(missing.Count == 0, $"docs/privacy/{file} does not name (as `name`): " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Inventories))]
    public void The_inventory_names_every_app_setting(string file)
    {
        var text = Inventory(file);
        var settings = Settings();
        Assert.Contains(settings, s => s.Name == "Tokens__LinkKeyName");
        var missing = settings.Where(s => !Names(text, s.Name)).Select(s => $"{s.Name} ({s.Source})").ToList();
        Assert.True(missing.Count == 0, $"docs/privacy/{file} does not name (as `name`): " + string.Join(", ", missing));
    }

    [Fact]
    public void The_check_would_catch_an_unnamed_store()
    {
        var text = Inventory("data-inventory.en.md");
        Assert.False(Names(text, "submissions-archive"));
        Assert.False(Names(text, "Submission")); // a prefix of `Submissions` is not a mention
        Assert.True(Names(text, "submissions"));
    }

    private static int Default(string parameter, JsonObject? template = null) => (int)(template ?? Main)["parameters"]![parameter]!["defaultValue"]!;

    public static TheoryData<string, string> Statements() => new() { { "privacy-en.html", "days" }, { "privacy-nl.html", "dagen" } };

    [Theory]
    [MemberData(nameof(Statements))]
    public void The_privacy_statement_states_the_retention_the_defaults_deploy(string file, string days)
    {
        var html = File.ReadAllText(Repo.Path("functions", "Nap.Functions", "Form", "wwwroot", file));
        var expected = new Dictionary<string, int>
        {
            ["draftRetentionDays"] = Default("draftRetentionDays"),
            ["softDeleteRetentionDays"] = Default("softDeleteRetentionDays", ModuleTemplate("storage")),
            ["reminderLedgerRetentionDays"] = Default("reminderLedgerRetentionDays"),
            ["linkRequestRetentionDays"] = Default("linkRequestRetentionDays"),
            ["logRetentionDays"] = Default("logRetentionDays"),
            ["auditLogRetentionDays"] = Default("auditLogRetentionDays"),
        };
        foreach (var (parameter, value) in expected)
            Assert.True(Regex.IsMatch(html, $@"\b{value} {days}\b"), $"{file} does not state '{value} {days}' ({parameter})");
        // Submissions are not deleted by default: the statement says they are kept until the round is archived.
        Assert.Equal(0, Default("submissionRetentionDays"));
        Assert.Contains(file.EndsWith("en.html", StringComparison.Ordinal) ? "until the coordinators archive" : "tot de coördinatoren de rapportageronde archiveren", html);
        // "Not reachable from the internet" is only true because private networking is the default.
        Assert.True((bool)Main["parameters"]!["privateNetworking"]!["defaultValue"]!);
        Assert.Contains(file.EndsWith("en.html", StringComparison.Ordinal) ? "not reachable from the internet" : "niet bereikbaar via internet", html);
    }
}
