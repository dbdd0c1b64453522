using System.Security.Cryptography;
using System.Text;
using Nap.Api;
using Nap.Audit;
using Nap.Security;

namespace Nap.Cycles;

/// <summary>
/// The body of <c>POST /api/cycles</c> and <c>PUT /api/cycles/{id}</c>: <see cref="CycleFile"/>'s wire form, every field
/// optional so that each missing or malformed one is reported by its pointer. An edit keeps what it leaves out.
/// </summary>
public sealed record CycleRequest(
    string? Id,
    string? PeriodStart,
    string? PeriodEnd,
    string? OpensOn,
    string? Deadline,
    List<int>? ReminderOffsetsDays,
    List<int>? OverdueOffsetsDays,
    bool? AcceptLate,
    string? ReportVersions = null);

/// <summary>A cycle as an admin edits it: the cycle and the ETag to send back in If-Match.</summary>
public sealed record EditableCycle(ReportingCycle Cycle, string ETag);

/// <summary>
/// Open, edit and close cycles (Nap.Admin). The rules are <see cref="ReportingCycle.FieldProblems"/> and the formats
/// <see cref="CycleFile"/>'s, as for nap-admin's cycle files; every change is conditional on storage's ETag and audited.
/// </summary>
public sealed class CycleAdministration(ICycleStore cycles, IAuditLog audit)
{
    public async Task<EditableCycle> GetAsync(string id, CancellationToken ct = default) =>
        await cycles.FindStoredAsync(id, ct).ConfigureAwait(false) is { } found
            ? new EditableCycle(found.Cycle, HttpETag(found.ETag))
            : throw new ProblemException(Problem.NotFound($"There is no cycle '{(ReportingCycle.IsValidId(id) ? id : "")}'."));

    public Task<EditableCycle> OpenAsync(CycleRequest request, StaffMember admin, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.CycleOpen, ReportingCycle.IsValidId(request.Id) ? request.Id : null), async () =>
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(request.Id)) errors.Add(new("/id", "required", "The cycle id is required."));
            var cycle = Build(request, null, errors);
            if (!await cycles.AddAsync(cycle, ct).ConfigureAwait(false))
                throw new ProblemException(Problem.Conflict("cycle-exists", "That cycle exists.", $"Cycle {cycle.Id} exists already; edit it with PUT /api/cycles/{cycle.Id}."));
            return await GetAsync(cycle.Id, ct).ConfigureAwait(false);
        }, ct);

    public Task<EditableCycle> EditAsync(string id, CycleRequest request, string? ifMatch, StaffMember admin, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.CycleEdit, ReportingCycle.IsValidId(id) ? id : null), async () =>
        {
            if (string.IsNullOrWhiteSpace(ifMatch)) throw new ProblemException(PreconditionRequired());
            var stored = await cycles.FindStoredAsync(id, ct).ConfigureAwait(false)
                ?? throw new ProblemException(Problem.NotFound($"There is no cycle '{(ReportingCycle.IsValidId(id) ? id : "")}'."));
            if (ifMatch.Trim() != HttpETag(stored.ETag)) throw new ProblemException(Stale());
            var errors = new List<FieldError>();
            if (request.Id is not null && request.Id != id) errors.Add(new("/id", "read-only", "A cycle's id cannot change."));
            var cycle = Build(request, stored.Cycle, errors);
            if (!await cycles.ReplaceAsync(cycle, stored.ETag, ct).ConfigureAwait(false)) throw new ProblemException(Stale());
            return await GetAsync(id, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>Closes an open cycle (no more submissions); If-Match is optional here, checked when sent. Closing twice is no change.</summary>
    public Task<EditableCycle> CloseAsync(string id, string? ifMatch, StaffMember admin, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(AuditActor.Of(admin), AuditActions.CycleClose, ReportingCycle.IsValidId(id) ? id : null), async () =>
        {
            var stored = await cycles.FindStoredAsync(id, ct).ConfigureAwait(false)
                ?? throw new ProblemException(Problem.NotFound($"There is no cycle '{(ReportingCycle.IsValidId(id) ? id : "")}'."));
            if (!string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*" && ifMatch.Trim() != HttpETag(stored.ETag)) throw new ProblemException(Stale());
            if (stored.Cycle.Status == CycleStatus.Open &&
                !await cycles.ReplaceAsync(stored.Cycle with { Status = CycleStatus.Closed }, stored.ETag, ct).ConfigureAwait(false))
                throw new ProblemException(Stale());
            return await GetAsync(id, ct).ConfigureAwait(false);
        }, ct);

    /// <summary>The request over <paramref name="current"/> (or nothing), every problem at once; 422 when there is one.</summary>
    private static ReportingCycle Build(CycleRequest r, ReportingCycle? current, List<FieldError> errors)
    {
        DateOnly Date(string? value, string pointer, DateOnly? keep)
        {
            if (value is null && keep is { } k) return k;
            if (CycleFile.TryParseDate(value, out var d)) return d;
            errors.Add(new(pointer, value is null ? "required" : "invalid-date", "Give a date as yyyy-MM-dd."));
            return default;
        }
        var deadline = current?.Deadline ?? default;
        if (r.Deadline is not null || current is null)
        {
            if (CycleFile.TryParseDeadline(r.Deadline, out var d)) deadline = d;
            else errors.Add(new("/deadline", r.Deadline is null ? "required" : "invalid-date-time", "Give the deadline as Amsterdam time yyyy-MM-ddTHH:mm."));
        }
        var reportVersions = current?.ReportVersions ?? ReportVersionPolicy.Accepted;
        switch (r.ReportVersions)
        {
            case null: break;
            case "accepted": reportVersions = ReportVersionPolicy.Accepted; break;
            case "latest": reportVersions = ReportVersionPolicy.Latest; break;
            default: errors.Add(new("/reportVersions", "invalid-value", "Give accepted or latest.")); break;
        }
        var cycle = new ReportingCycle(
            current?.Id ?? r.Id?.Trim() ?? "",
            Date(r.PeriodStart, "/periodStart", current?.PeriodStart),
            Date(r.PeriodEnd, "/periodEnd", current?.PeriodEnd),
            Date(r.OpensOn, "/opensOn", current?.OpensOn),
            deadline,
            r.ReminderOffsetsDays ?? current?.ReminderOffsetsDays ?? ReportingCycle.DefaultReminderOffsets,
            r.OverdueOffsetsDays ?? current?.OverdueOffsetsDays ?? ReportingCycle.DefaultOverdueOffsets,
            r.AcceptLate ?? current?.AcceptLate ?? true,
            current?.Status ?? CycleStatus.Open,
            reportVersions);
        // The cycle's own rules only where the fields they compare parsed: a missing date is reported once.
        var pointers = errors.Select(e => e.Pointer).ToHashSet();
        foreach (var p in cycle.FieldProblems())
        {
            var bad = p.Pointer switch
            {
                "/id" => pointers.Contains("/id"),
                "/periodEnd" => pointers.Contains("/periodStart") || pointers.Contains("/periodEnd"),
                "/deadline" => pointers.Contains("/opensOn") || pointers.Contains("/deadline"),
                _ => false,
            };
            if (!bad) errors.Add(p);
        }
        if (errors.Count > 0) throw new ProblemException(Problem.Validation(errors) with { Title = "The cycle has errors." });
        return cycle;
    }

    /// <summary>Storage's ETag, not shown as is: a short strong HTTP ETag derived from it.</summary>
    public static string HttpETag(string storageETag) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(storageETag)))[..20] + "\"";

    private static Problem PreconditionRequired() =>
        new(428, Problem.TypeBase + "if-match-required", "Send If-Match.", "Load the cycle (GET /api/cycles/{id}) and send its ETag in If-Match.");

    private static Problem Stale() =>
        new(412, Problem.TypeBase + "stale-cycle", "Someone changed this cycle meanwhile.", "Load the cycle again (GET) and send its ETag in If-Match.");
}
