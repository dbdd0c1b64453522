using System.Globalization;
using Nap.Api;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Reminders;

/// <summary>A ledger row as coordinators see it: no address, only the recipient's role and hash.</summary>
public sealed record LedgerRow(string SignatoryId, string Stage, string Role, string RecipientHash, LedgerStatus Status, int Attempts,
    DateTimeOffset ClaimedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt, string? LastResult);

/// <summary>What coordinators decide per signatory and cycle (pause, extension), recorded with who and when; and the ledger for auditing.</summary>
public sealed class ReminderControl(AccessGuard guard, ICycleStore cycles, ISignatoryRegistry registry, ReminderLedger ledger, TimeProvider time)
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public async Task<CycleSignatorySettings> SetPausedAsync(string cycleId, string signatoryId, bool paused, string? authorization, CancellationToken ct = default)
    {
        var (principal, cycle, current) = await PrepareAsync(cycleId, signatoryId, authorization, ct).ConfigureAwait(false);
        var settings = new CycleSignatorySettings(cycle.Id, signatoryId, current?.ExtendedDeadline, paused, principal.Subject, time.GetUtcNow());
        await cycles.SaveSettingsAsync(settings, ct).ConfigureAwait(false);
        return settings;
    }

    /// <summary>A later deadline (Amsterdam local <c>yyyy-MM-ddTHH:mm</c>) for one signatory; null removes the extension.</summary>
    public async Task<CycleSignatorySettings> SetExtensionAsync(string cycleId, string signatoryId, string? deadline, string? authorization, CancellationToken ct = default)
    {
        var (principal, cycle, current) = await PrepareAsync(cycleId, signatoryId, authorization, ct).ConfigureAwait(false);
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
        var settings = new CycleSignatorySettings(cycle.Id, signatoryId, extended, current?.RemindersPaused ?? false, principal.Subject, time.GetUtcNow());
        await cycles.SaveSettingsAsync(settings, ct).ConfigureAwait(false);
        return settings;
    }

    public async Task<IReadOnlyList<LedgerRow>> ListLedgerAsync(string cycleId, string? authorization, CancellationToken ct = default)
    {
        await guard.RequireCoordinatorAsync(authorization).ConfigureAwait(false);
        var cycle = await RequireCycleAsync(cycleId, ct).ConfigureAwait(false);
        return (await ledger.ListAsync(cycle.Id, ct).ConfigureAwait(false))
            .OrderBy(e => e.ClaimedAt).ThenBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(e => new LedgerRow(e.SignatoryId, e.Stage, e.Role, e.RecipientHash, e.Status, e.Attempts, e.ClaimedAt, e.LastAttemptAt, e.SentAt, e.LastResult))
            .ToList();
    }

    private async Task<(NapPrincipal, ReportingCycle, CycleSignatorySettings?)> PrepareAsync(string cycleId, string signatoryId, string? authorization, CancellationToken ct)
    {
        var principal = await guard.RequireCoordinatorAsync(authorization).ConfigureAwait(false);
        var cycle = await RequireCycleAsync(cycleId, ct).ConfigureAwait(false);
        if (await registry.FindAsync(signatoryId, ct).ConfigureAwait(false) is null)
            throw new ProblemException(Problem.NotFound("There is no such signatory."));
        return (principal, cycle, await cycles.FindSettingsAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false));
    }

    private async Task<ReportingCycle> RequireCycleAsync(string cycleId, CancellationToken ct) =>
        (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, ct).ConfigureAwait(false) : null)
        ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));

    private static ProblemException Invalid(string code, string detail) =>
        new(new Problem(422, Problem.TypeBase + "invalid-extension", "The extension is not valid.", detail, [new FieldError("/deadline", code, detail)]));
}
