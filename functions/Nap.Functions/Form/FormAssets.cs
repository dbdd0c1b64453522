using Nap.Functions.Http;

namespace Nap.Functions.Form;

/// <summary>The form's HTML, CSS and JS (Form/wwwroot), embedded in the function app: no build step, no CDN.</summary>
public static class FormAssets
{
    public const string ResourcePrefix = "Nap.Functions.Form.wwwroot.";

    public const string ContentSecurityPolicy = EmbeddedAssets.StrictContentSecurityPolicy;

    public static EmbeddedAssets Files { get; } = new(ResourcePrefix, ContentSecurityPolicy);
}
