using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Nap.Infra.Tests;

/// <summary>azure.yaml and host.json against their published JSON schemas, kept in schemas/.</summary>
public sealed class SchemaTests
{
    private static EvaluationResults Validate(string schemaFile, JsonNode instance)
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schema = JsonSchema.FromText(File.ReadAllText(Repo.Path("schemas", schemaFile)), options);
        using var document = JsonDocument.Parse(instance.ToJsonString());
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    private static JsonNode AzureYaml() => MiniYaml.Parse(File.ReadAllText(Repo.Path("azure.yaml")));

    private static JsonNode HostJson() => JsonNode.Parse(File.ReadAllText(Repo.Path("functions", "Nap.Functions", "host.json")))!;

    [Fact]
    public void Azure_yaml_is_valid()
    {
        var results = Validate("azure.yaml.json", AzureYaml());
        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void Azure_yaml_deploys_the_function_app_and_runs_the_hooks()
    {
        var yaml = AzureYaml();
        var api = yaml["services"]!["api"]!;
        Assert.Equal("function", (string?)api["host"]);
        Assert.Equal("dotnet", (string?)api["language"]);
        var project = (string)api["project"]!;
        Assert.True(File.Exists(Path.Combine(Repo.Root, project, "Nap.Functions.csproj")), $"service project {project} has no Nap.Functions.csproj");
        Assert.Equal("infra", (string?)yaml["infra"]?["path"]);

        foreach (var (hook, script) in new[] { ("postdeploy", "infra/hooks/postdeploy.sh"), ("postprovision", "infra/hooks/entra-app.sh") })
        {
            var run = (string?)yaml["hooks"]?[hook]?["run"];
            Assert.Equal("./" + script, run);
            var path = Repo.Path(script.Split('/'));
            Assert.True(File.Exists(path), $"{hook} hook script {script} is missing");
            if (!OperatingSystem.IsWindows())
                Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
        }
    }

    [Fact]
    public void Azure_yaml_schema_rejects_a_broken_file()
    {
        var broken = AzureYaml();
        broken["hooks"]!["postdeploy"]!["runn"] = "./typo.sh";
        Assert.False(Validate("azure.yaml.json", broken).IsValid, "an unknown hook property must fail validation");

        var noProject = AzureYaml();
        noProject["services"]!["api"]!.AsObject().Remove("project");
        Assert.False(Validate("azure.yaml.json", noProject).IsValid, "a function service without project must fail validation");

        var badName = AzureYaml();
        badName["name"] = "Not Valid";
        Assert.False(Validate("azure.yaml.json", badName).IsValid, "an upper-case name must fail validation");
    }

    [Fact]
    public void Host_json_is_valid()
    {
        var results = Validate("host.json.schema.json", HostJson());
        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void Host_json_schema_rejects_a_broken_file()
    {
        var wrongVersion = HostJson();
        wrongVersion["version"] = "3.0";
        Assert.False(Validate("host.json.schema.json", wrongVersion).IsValid, "version 3.0 must fail validation");

        var typo = HostJson();
        typo["functionTimout"] = "00:05:00";
        Assert.False(Validate("host.json.schema.json", typo).IsValid, "an unknown top-level property must fail validation");

        var badLevel = HostJson();
        badLevel["logging"]!["logLevel"]!["default"] = "Verbose";
        Assert.False(Validate("host.json.schema.json", badLevel).IsValid, "an unknown log level must fail validation");
    }

    [Fact]
    public void Mini_yaml_reads_the_subset_and_rejects_the_rest()
    {
        var node = MiniYaml.Parse("# c\na: 1\nb:\n  c: 'x # y'\n  d: true # note\n  e:\n    - p\n    - \"q\"\nf:\n");
        Assert.Equal("""{"a":1,"b":{"c":"x # y","d":true,"e":["p","q"]},"f":null}""", node.ToJsonString());
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: [1, 2]\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a:\n  b: 1\n c: 2\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: |\n  text\n"));
    }
}
