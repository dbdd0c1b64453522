namespace Nap.Reminders;

/// <summary>Settings under <c>Reminders:</c> (app settings <c>Reminders__…</c>).</summary>
public sealed class RemindersOptions
{
    public const string Section = "Reminders";

    /// <summary>Six-field UTC cron of the sweep; read by the timer trigger as <c>%Reminders:Schedule%</c>.</summary>
    public string Schedule { get; set; } = "0 0 6 * * *";

    /// <summary>Exchange Online's limit for one mailbox is 30 messages a minute.</summary>
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>Exchange Online allows 4 concurrent requests per mailbox.</summary>
    public int MaxConcurrentSends { get; set; } = 4;

    /// <summary>A sweep stops starting sends after this long (the host's functionTimeout is 10 minutes); the rest stays claimed-pending for the next run.</summary>
    public int SweepBudgetSeconds { get; set; } = 480;

    /// <summary>Sends refused with proof (429, 503 with Retry-After, …) are tried again on later runs up to this many attempts, then reported as failed.</summary>
    public int MaxSendAttempts { get; set; } = 5;

    /// <summary>A send still marked as in progress after this long was cut off (crash, timeout): it is recorded as uncertain, never repeated.</summary>
    public int StaleSendingMinutes { get; set; } = 15;

    /// <summary>Coordinators' addresses for the digest, separated by commas or semicolons.</summary>
    public string Coordinators { get; set; } = "";

    /// <summary>Language of the coordinators' digest (nl or en).</summary>
    public string CoordinatorLanguage { get; set; } = "nl";

    /// <summary>Fresh-link emails per address per clock hour (POST /api/links).</summary>
    public int LinkRequestsPerHour { get; set; } = 3;

    /// <summary>POST /api/links requests per client address (X-Forwarded-For's first hop) per clock hour, per instance; over it 429.</summary>
    public int LinkRequestsPerClientPerHour { get; set; } = 20;

    /// <summary>POST /api/links requests per instance per clock minute, all clients together; over it 429.</summary>
    public int LinkRequestsPerInstancePerMinute { get; set; } = 120;

    /// <summary>POST /api/links answers no sooner than this, so the answer time does not tell whether an address is known.</summary>
    public int LinkResponseMilliseconds { get; set; } = 1000;

    /// <summary>The sweep sends a receipt that the submission hook could not send, for submissions this recent.</summary>
    public int ReceiptCatchUpDays { get; set; } = 7;

    /// <summary>
    /// Receipts per contact are coalesced to one per this many minutes: the first goes at once, later versions within
    /// the window wait for its end and only the latest of them is sent. 0 sends every receipt at once.
    /// </summary>
    public int ReceiptWindowMinutes { get; set; } = 10;

    /// <summary>How long a receipt or link email waits for a sending slot before it is left to the next sweep.</summary>
    public int ImmediateSendWaitSeconds { get; set; } = 20;

    public IReadOnlyList<string> CoordinatorAddresses =>
        Coordinators.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (MessagesPerMinute < 1) p.Add("Reminders__MessagesPerMinute must be at least 1");
        if (MaxConcurrentSends < 1) p.Add("Reminders__MaxConcurrentSends must be at least 1");
        if (SweepBudgetSeconds < 10) p.Add("Reminders__SweepBudgetSeconds must be at least 10");
        if (MaxSendAttempts < 1) p.Add("Reminders__MaxSendAttempts must be at least 1");
        if (ReceiptWindowMinutes < 0) p.Add("Reminders__ReceiptWindowMinutes must be 0 or more");
        if (LinkRequestsPerClientPerHour < 1) p.Add("Reminders__LinkRequestsPerClientPerHour must be at least 1");
        if (LinkRequestsPerInstancePerMinute < 1) p.Add("Reminders__LinkRequestsPerInstancePerMinute must be at least 1");
        if (CoordinatorLanguage is not ("nl" or "en")) p.Add("Reminders__CoordinatorLanguage must be nl or en");
        if (CoordinatorAddresses.Any(a => !ReminderLedger.LooksLikeEmail(a))) p.Add("Reminders__Coordinators must be email addresses separated by commas");
        return p;
    }
}
