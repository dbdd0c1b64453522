using Nap.Functions.Http;

namespace Nap.Functions.StaffConsole;

/// <summary>
/// The coordinators' console (StaffConsole/wwwroot): plain ES modules, one per panel, embedded in the function app and
/// served like the form's files, with the same strict CSP. All data comes from the documented staff API.
/// </summary>
public static class ConsoleAssets
{
    public const string ResourcePrefix = "Nap.Functions.StaffConsole.wwwroot.";

    public static EmbeddedAssets Files { get; } = new(ResourcePrefix, EmbeddedAssets.StrictContentSecurityPolicy);
}
