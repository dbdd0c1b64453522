using Nap.Reports;
using Nap.Storage;

namespace Nap.Retention;

/// <summary>
/// One retention rule, as data: rows of <paramref name="Table"/> (in <paramref name="Partition"/> when given) whose
/// <paramref name="TimestampProperty"/> is more than <paramref name="Days"/> days in the past are deleted. The property
/// is a DateTimeOffset column the app writes, or <c>Timestamp</c> (the table service's last-modified time). A row
/// without that property is never deleted by the rule, and <paramref name="Days"/> 0 or less switches the rule off.
/// </summary>
public sealed record RetentionRule(string Name, string Table, int Days, string TimestampProperty, string? Partition = null)
{
    public const string ServiceTimestamp = "Timestamp";
    public bool Enabled => Days > 0;
}

/// <summary>
/// Settings <c>Retention__*</c>: the sweep's UTC schedule and the days of each table store. Blob stores (drafts, report
/// requests, submissions, report files) expire by the storage lifecycle rules in infra/modules/storage.bicep, with the
/// same days. The full list with reasons is docs/privacy/data-inventory.en.md.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";
    public const string LinkRequestsPartition = "_link-requests";

    /// <summary>NCRONTAB, UTC, six fields: daily at 03:30.</summary>
    public string Schedule { get; set; } = "0 30 3 * * *";

    /// <summary>After the claim: longer than a reporting cycle with its extensions, so nobody is reminded twice.</summary>
    public int ReminderLedgerDays { get; set; } = 548;

    /// <summary>The link-request rate limit counts per hour; two days is plenty to keep it honest.</summary>
    public int LinkRequestDays { get; set; } = 2;

    /// <summary>0: submissions are kept until the coordinators archive the cycle (the ministry's archive rules).</summary>
    public int SubmissionDays { get; set; }

    /// <summary>0: report versions are kept until the coordinators archive the cycle.</summary>
    public int ReportVersionDays { get; set; }

    /// <summary>Two years; the trail is kept at least one year whatever the setting says (BIO: logging kept a year).</summary>
    public int AuditDays { get; set; } = 730;

    public const int MinimumAuditDays = 365;

    /// <summary>
    /// Every table rule, from the settings. A new table gets a line here (and a row in the data inventory).
    /// </summary>
    public IReadOnlyList<RetentionRule> Rules() =>
    [
        // Ledger rows carry ClaimedAt; the link-request counters in the same table do not, so this rule never takes them.
        new("reminder-ledger", StorageNames.ReminderLedgerTable, ReminderLedgerDays, "ClaimedAt"),
        new("link-requests", StorageNames.ReminderLedgerTable, LinkRequestDays, RetentionRule.ServiceTimestamp, LinkRequestsPartition),
        // Version, latest and idempotency rows all carry ReceivedAt.
        new("submissions", StorageNames.SubmissionsTable, SubmissionDays, "ReceivedAt"),
        // Contact rows are written with their version and never updated; they go with the submissions.
        new("submission-contacts", StorageNames.SubmissionContactsTable, SubmissionDays, RetentionRule.ServiceTimestamp),
        // Version rows carry CreatedAt; the version counter and the draft schedule rows do not and stay.
        new("report-versions", ReportStorageNames.VersionsTable, ReportVersionDays, "CreatedAt"),
        // Audit rows are inserted once with At and never updated.
        new("audit", Nap.Audit.AuditStorageNames.AuditTable, Math.Max(AuditDays, MinimumAuditDays), "At"),
    ];
}
