namespace Nap.Api;

/// <summary>A configuration data file (framework, registry, cycles) that cannot be used. Names the file and every problem.</summary>
public sealed class ConfigurationFileException(string file, IReadOnlyList<string> problems)
    : Exception($"Configuration file '{file}' is not valid:{Environment.NewLine}  - " + string.Join(Environment.NewLine + "  - ", problems))
{
    public string File { get; } = file;
    public IReadOnlyList<string> Problems { get; } = problems;
}
