namespace Nap;

/// <summary>Application settings under <c>Nap:</c> (app setting <c>Nap__…</c>).</summary>
public sealed class NapOptions
{
    public const string Section = "Nap";

    /// <summary>The results framework file; relative paths are resolved against the app's folder.</summary>
    public string FrameworkFile { get; set; } = "data/framework.sample.json";

    /// <summary>Largest accepted request body (default 1 MB).</summary>
    public long MaxBodyBytes { get; set; } = 1_000_000;

    /// <summary>How long the signatory registry and the cycles are cached (0 = always read).</summary>
    public int RegistryCacheSeconds { get; set; } = 15;

    /// <summary>How long an instance trusts its snapshot of the latest versions before reloading it (stale is safe, only slower).</summary>
    public int LatestSnapshotSeconds { get; set; } = 60;

    /// <summary>Public base URL of the app, for links in emails and the API description.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:7071";

    /// <summary>New versions one signatory may store per cycle in an hour (retries of a stored one do not count); over it 429.</summary>
    public int SubmissionsPerSignatoryPerHour { get; set; } = 30;

    public TimeSpan RegistryCacheDuration => TimeSpan.FromSeconds(RegistryCacheSeconds);
}
