namespace Nap.Reports;

/// <summary>Settings under <c>Reports:</c> (app settings <c>Reports__…</c>).</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>
    /// A draft is compiled once no submission has arrived for this long: a burst becomes one compilation, and the
    /// table commit that follows each stored body (the body is written first) has landed by then.
    /// </summary>
    public int CoalesceSeconds { get; set; } = 5;

    /// <summary>Under a steady stream of submissions a draft is still compiled at least this often.</summary>
    public int MaxDelaySeconds { get; set; } = 60;

    /// <summary>
    /// How long the compiling instance holds the cycle's lease without renewing it (it renews while it waits and while it
    /// compiles); after a crash the next event or the recovery timer takes over after this.
    /// </summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>
    /// Six-field UTC cron of the timer that compiles drafts left dirty without a live compiler (a crashed instance, a
    /// failed compilation); read by the timer trigger as <c>%Reports:RecoverySchedule%</c>.
    /// </summary>
    public string RecoverySchedule { get; set; } = "0 */10 * * * *";

    /// <summary>How many submission bodies are downloaded at once while compiling.</summary>
    public int DownloadConcurrency { get; set; } = 16;

    public TimeSpan Coalesce => TimeSpan.FromSeconds(Math.Max(0, CoalesceSeconds));
    public TimeSpan MaxDelay => TimeSpan.FromSeconds(Math.Max(CoalesceSeconds, MaxDelaySeconds));
    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(10, LeaseSeconds));
}

/// <summary>
/// Where compiled reports are published (<c>SharePoint:</c>, app settings <c>SharePoint__…</c>). With a site id and a
/// Microsoft Graph client, the files go to that site's drive; otherwise they are copied to <see cref="LocalFolder"/>.
/// </summary>
public sealed class SharePointOptions
{
    public const string Section = "SharePoint";

    /// <summary>The site the app may write to (app-only, Sites.Selected), e.g. <c>contoso.sharepoint.com,{guid},{guid}</c>.</summary>
    public string? SiteId { get; set; }

    /// <summary>The document library; empty means the site's default library.</summary>
    public string? DriveId { get; set; }

    /// <summary>Folder inside the library; each cycle gets its own subfolder.</summary>
    public string Folder { get; set; } = "NAP1325 rapportages";

    /// <summary>Where files go when no tenant is configured; relative to the working directory.</summary>
    public string LocalFolder { get; set; } = ".published";

    public bool TenantConfigured => !string.IsNullOrWhiteSpace(SiteId);
}
