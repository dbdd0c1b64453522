using System.Globalization;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Reminders;

/// <summary>A ledger row as coordinators see it: no address, only the recipient's role and hash. <see cref="Id"/> names it in <c>…/reminders/{id}/retry</c>.</summary>
public sealed record LedgerRow(string Id, string SignatoryId, string Stage, string Role, string RecipientHash, LedgerStatus Status, int Attempts,
    DateTimeOffset ClaimedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt, string? LastResult)
{
    /// <summary>The last deliberate retry: when and by whom (object id).</summary>
    public DateTimeOffset? RetriedAt { get; init; }
    public string? RetriedBy { get; init; }

    public static LedgerRow Of(LedgerEntry e) =>
        new(e.Id, e.SignatoryId, e.Stage, e.Role, e.RecipientHash, e.Status, e.Attempts, e.ClaimedAt, e.LastAttemptAt, e.SentAt, e.LastResult)
        {
            RetriedAt = e.RetriedAt,
            RetriedBy = e.RetriedBy,
        };
}

/// <summary>
/// What coordinators decide per signatory and cycle (pause, extension), recorded with who (the staff member's object id)
/// and when, and written to the audit trail; and the ledger for auditing. The caller's role is checked by the function.
/// </summary>
public sealed class ReminderControl(ICycleStore cycles, ISignatoryRegistry registry, ReminderLedger ledger, IAuditLog audit, TimeProvider time)
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public Task<CycleSignatorySettings> SetPausedAsync(string cycleId, string signatoryId, bool paused, StaffMember staff, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(staff), paused ? AuditActions.ReminderPause : AuditActions.ReminderResume, AuditedCycle(cycleId), AuditedSignatory(signatoryId)), async () =>
        {
            var (cycle, current) = await PrepareAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
            var settings = new CycleSignatorySettings(cycle.Id, signatoryId, current?.ExtendedDeadline, paused, staff.ObjectId, time.GetUtcNow());
            await cycles.SaveSettingsAsync(settings, ct).ConfigureAwait(false);
            return settings;
        }, ct);

    /// <summary>A later deadline (Amsterdam local <c>yyyy-MM-ddTHH:mm</c>) for one signatory; null removes the extension.</summary>
    public Task<CycleSignatorySettings> SetExtensionAsync(string cycleId, string signatoryId, string? deadline, StaffMember staff, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(staff), deadline is null ? AuditActions.DeadlineExtensionRemoved : AuditActions.DeadlineExtension,
            AuditedCycle(cycleId), AuditedSignatory(signatoryId)), () => ExtendAsync(cycleId, signatoryId, deadline, staff, ct), ct);

    private async Task<CycleSignatorySettings> ExtendAsync(string cycleId, string signatoryId, string? deadline, StaffMember staff, CancellationToken ct)
    {
        var (cycle, current) = await PrepareAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        DateTime? extended = null;
        if (deadline is not null)
        {
            if (!DateTime.TryParseExact(deadline, LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                throw Invalid("format", "The deadline must be Amsterdam local time yyyy-MM-ddTHH:mm.");
            if (d <= cycle.Deadline)
                throw Invalid("not-later", $"An extension must be later than the cycle's deadline ({cycle.Deadline.ToString(LocalFormat, CultureInfo.InvariantCulture)}).");
            if (d > cycle.Deadline.AddDays(366))
                throw Invalid("too-late", "An extension may be at most a year after the cycle's deadline.");
            extended = d;
        }
        var settings = new CycleSignatorySettings(cycle.Id, signatoryId, extended, current?.RemindersPaused ?? false, staff.ObjectId, time.GetUtcNow());
        await cycles.SaveSettingsAsync(settings, ct).ConfigureAwait(false);
        return settings;
    }

    public async Task<IReadOnlyList<LedgerRow>> ListLedgerAsync(string cycleId, CancellationToken ct = default)
    {
        var cycle = await RequireCycleAsync(cycleId, ct).ConfigureAwait(false);
        return (await ledger.ListAsync(cycle.Id, ct).ConfigureAwait(false))
            .OrderBy(e => e.ClaimedAt).ThenBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(LedgerRow.Of)
            .ToList();
    }

    private async Task<(ReportingCycle, CycleSignatorySettings?)> PrepareAsync(string cycleId, string signatoryId, CancellationToken ct)
    {
        var cycle = await RequireCycleAsync(cycleId, ct).ConfigureAwait(false);
        if (await registry.FindAsync(signatoryId, ct).ConfigureAwait(false) is null)
            throw new ProblemException(Problem.NotFound("There is no such signatory."));
        return (cycle, await cycles.FindSettingsAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false));
    }

    // Ids from the URL go into the trail only when well-formed: a refused request must not write arbitrary text.
    private static string? AuditedCycle(string cycleId) => ReportingCycle.IsValidId(cycleId) ? cycleId : null;
    private static string? AuditedSignatory(string signatoryId) => SignatoryImport.IsValidId(signatoryId) ? signatoryId : null;

    private async Task<ReportingCycle> RequireCycleAsync(string cycleId, CancellationToken ct) =>
        (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, ct).ConfigureAwait(false) : null)
        ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));

    private static ProblemException Invalid(string code, string detail) =>
        new(new Problem(422, Problem.TypeBase + "invalid-extension", "The extension is not valid.", detail, [new FieldError("/deadline", code, detail)]));
}
