using Nap.Api;
using Nap.Security;

namespace Nap.Audit;

public static class AuditStorageNames
{
    /// <summary>Append-only: the app inserts rows and never updates or deletes one.</summary>
    public const string AuditTable = "Audit";
}

public enum AuditActorKind { Staff, Signatory, Operator }

/// <summary>
/// Who acted, by an identifier that is not personal data on its own: a staff member's Entra object id, a signatory's
/// registry id, or the operator tool's name. Never an email address or a display name.
/// </summary>
public sealed record AuditActor(AuditActorKind Kind, string Id)
{
    public static AuditActor Of(StaffMember staff) => new(AuditActorKind.Staff, staff.ObjectId);
    public static AuditActor Of(SignatoryCaller signatory) => new(AuditActorKind.Signatory, signatory.Id);
    /// <summary>nap-admin, the bootstrapping tool that works on storage directly with the operator's Azure RBAC.</summary>
    public static readonly AuditActor AdminTool = new(AuditActorKind.Operator, "nap-admin");
}

/// <summary>The actions the trail knows. Names are stable: they are what auditors filter on.</summary>
public static class AuditActions
{
    public const string ReminderPause = "reminders.pause";
    public const string ReminderResume = "reminders.resume";
    public const string DeadlineExtension = "deadline.extend";
    /// <summary>A coordinator sent an uncertain or failed message once more (or was refused).</summary>
    public const string ReminderRetry = "reminders.retry";
    public const string DeadlineExtensionRemoved = "deadline.extension-removed";
    public const string ReportRequest = "report.request";
    public const string ReportDownload = "report.download";
    public const string ReportTexts = "report.texts";
    public const string ReviewAccept = "review.accept";
    public const string ReviewReturn = "review.return";
    /// <summary>A review request whose action was neither accept nor return (refused).</summary>
    public const string ReviewInvalid = "review.invalid";
    public const string SubmissionRead = "submission.read";
    /// <summary>A staff member with Nap.Confidential read a version that has confidential parts, those included.</summary>
    public const string SubmissionReadConfidential = "submission.read-confidential";
    /// <summary>A staff member compared two versions (the row names the later one, "to").</summary>
    public const string SubmissionDiff = "submission.diff";
    public const string SubmissionDiffConfidential = "submission.diff-confidential";
    public const string DraftRead = "draft.read";
    public const string AuditRead = "audit.read";
    public const string AuditExport = "audit.export";
    public const string RegistryImport = "registry.import";
    public const string RegistryCreate = "registry.create";
    public const string RegistryUpdate = "registry.update";
    public const string RegistryDeactivate = "registry.deactivate";
    public const string RegistryRevoke = "registry.revoke-links";
    public const string LinkRevoke = "link.revoke";
    public const string CycleImport = "cycle.import";
    public const string CycleOpen = "cycle.open";
    public const string CycleClose = "cycle.close";
    /// <summary>An admin changed a cycle's deadline, offsets or late policy (console or API).</summary>
    public const string CycleEdit = "cycle.edit";
}

/// <summary>What happened, without when (the log stamps the time). Only identifiers and a result: never content.</summary>
public sealed record AuditEvent(AuditActor Actor, string Action, string? CycleId = null, string? SignatoryId = null, int? Version = null, string Result = AuditResults.Ok);

public static class AuditResults
{
    public const string Ok = "ok";
    /// <summary>A refused action, by the problem's status: "refused-404", "refused-422".</summary>
    public static string Refused(Problem problem) => $"refused-{problem.Status}";
}

/// <summary>One row of the trail as it is read back.</summary>
public sealed record AuditEntry(
    string Id, DateTimeOffset At, AuditActorKind ActorKind, string ActorId, string Action, string? CycleId, string? SignatoryId, int? Version, string Result);

/// <summary>Which rows to read: every filter optional; <c>From</c> inclusive, <c>To</c> exclusive.</summary>
public sealed record AuditQuery(string? CycleId = null, string? SignatoryId = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? Continuation);

/// <summary>The audit trail: insert-only writes, filtered reads in pages.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default);

    /// <summary>One page of matching rows; pass the returned continuation to read the next, until it is null.</summary>
    Task<AuditPage> ReadAsync(AuditQuery query, string? continuation, int pageSize, CancellationToken cancellationToken = default);
}

public static class AuditLogExtensions
{
    /// <summary>
    /// Runs an action and records it with its result; a refused action (a problem) is recorded as refused and still
    /// refused. The row is written after the action: a row exists only for what was really attempted.
    /// </summary>
    public static async Task<T> RecordAsync<T>(this IAuditLog log, AuditEvent entry, Func<Task<T>> action, CancellationToken cancellationToken = default)
    {
        T result;
        try
        {
            result = await action().ConfigureAwait(false);
        }
        catch (ProblemException ex)
        {
            await log.AppendAsync(entry with { Result = AuditResults.Refused(ex.Problem) }, cancellationToken).ConfigureAwait(false);
            throw;
        }
        await log.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
