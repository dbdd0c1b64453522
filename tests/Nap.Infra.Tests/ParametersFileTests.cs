using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Nap.Infra.Tests;

/// <summary>infra/main.parameters.json (azd substitutes ${VAR} and ${VAR=default}) against the parameters of main.bicep.</summary>
public sealed class ParametersFileTests
{
    private static readonly Regex Substitution = new(@"^\$\{(?<name>[A-Z0-9_]+)(=(?<default>.*))?\}$");

    private static JsonObject FileParameters() =>
        JsonNode.Parse(File.ReadAllText(Repo.Path("infra", "main.parameters.json")))!["parameters"]!.AsObject();

    private static JsonObject TemplateParameters() => CompiledTemplate.Main["parameters"]!.AsObject();

    [Fact]
    public void Every_entry_names_a_parameter_of_main_bicep()
    {
        var unknown = FileParameters().Select(p => p.Key).Except(TemplateParameters().Select(p => p.Key)).ToList();
        Assert.True(unknown.Count == 0, "main.parameters.json sets unknown parameters: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_parameter_of_main_bicep_is_fed_from_the_azd_environment()
    {
        var fed = FileParameters().Select(p => p.Key).ToHashSet();
        var notFed = TemplateParameters().Select(p => p.Key)
            .Where(name => name != "allowedOrigins") // an array: set it in main.parameters.json directly when needed
            .Except(fed).ToList();
        Assert.True(notFed.Count == 0, "main.bicep parameters without an azd environment variable in main.parameters.json: " + string.Join(", ", notFed));
    }

    [Fact]
    public void Defaults_in_the_parameters_file_match_the_bicep_defaults()
    {
        // An unset variable without '=default' becomes "", which would override a non-empty Bicep default.
        foreach (var (name, entry) in FileParameters())
        {
            var value = CompiledTemplate.Str(entry!["value"]);
            var match = Substitution.Match(value);
            Assert.True(match.Success, $"{name}: '{value}' is not a single ${{VAR}} or ${{VAR=default}}");
            var parameter = TemplateParameters()[name]!;
            var bicepDefault = parameter["defaultValue"] switch
            {
                null => null,
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                var other => CompiledTemplate.Str(other),
            };
            if (match.Groups["default"].Success)
                Assert.True(bicepDefault == match.Groups["default"].Value, $"{name}: parameters file default '{match.Groups["default"].Value}' differs from main.bicep default '{bicepDefault}'");
            else
                Assert.True(bicepDefault is null or "", $"{name}: main.bicep default '{bicepDefault}' would be overridden by an empty ${{{match.Groups["name"].Value}}}; add '={bicepDefault}'");
        }
    }

    [Fact]
    public void Azd_standard_variables_feed_name_location_and_principal()
    {
        var file = FileParameters();
        Assert.Equal("${AZURE_ENV_NAME}", CompiledTemplate.Str(file["environmentName"]!["value"]));
        Assert.Equal("${AZURE_LOCATION}", CompiledTemplate.Str(file["location"]!["value"]));
        Assert.Equal("${AZURE_PRINCIPAL_ID}", CompiledTemplate.Str(file["principalId"]!["value"]));
    }
}
