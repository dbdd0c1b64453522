using Nap.Api;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Cycles;

public sealed record SignatoryStatus(
    string SignatoryId,
    string Name,
    SignatoryKind Kind,
    bool Submitted,
    int? Version,
    DateTimeOffset? ReceivedAt,
    string? ReceivedAtLocal,
    bool Late,
    bool Overdue,
    string Deadline,
    bool RemindersPaused)
{
    /// <summary>Where its submission stands in review (null before any submission).</summary>
    public Reviews.ReviewState? Review { get; init; }

    /// <summary>Its extended deadline, Amsterdam local <c>yyyy-MM-ddTHH:mm</c>; null without an extension.</summary>
    public string? Extension { get; init; }

    /// <summary>When the last reminder or overdue notice to it was sent (to any of its contacts); null before any.</summary>
    public DateTimeOffset? LastReminderSentUtc { get; init; }

    /// <summary><see cref="LastReminderSentUtc"/> in Amsterdam time (ISO 8601 with offset).</summary>
    public string? LastReminderSent => LastReminderSentUtc is { } at ? AmsterdamTime.Format(at) : null;
}

public sealed record KindCompletion(SignatoryKind Kind, int Expected, int Submitted, decimal Percent);

public sealed record CycleStatusReport(
    string CycleId,
    string Deadline,
    int Expected,
    int Submitted,
    int Late,
    int Missing,
    decimal CompletionPercent,
    IReadOnlyList<KindCompletion> ByKind,
    IReadOnlyList<SignatoryStatus> Signatories)
{
    /// <summary>Signatories per review state, every state listed (0 included).</summary>
    public IReadOnlyDictionary<Reviews.ReviewState, int> ByReviewState { get; init; } = new Dictionary<Reviews.ReviewState, int>();
}

/// <summary>Where a cycle stands: every active signatory, submitted or not, and completion per kind.</summary>
public sealed class CycleStatusService(ICycleStore cycles, ISignatoryRegistry registry, ISubmissionIndex index, TimeProvider time,
    Reviews.IReviewStore? reviews = null, Reminders.ReminderLedger? ledger = null)
{
    public async Task<IReadOnlyList<ReportingCycle>> ListCyclesAsync(CancellationToken cancellationToken = default) =>
        await cycles.ListAsync(cancellationToken).ConfigureAwait(false);

    public async Task<CycleStatusReport> GetStatusAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var cycle = (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false) : null)
            ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));
        var signatories = (await registry.ListAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.Active).ToList();
        var latest = (await index.ListLatestAsync(cycle.Id, cancellationToken).ConfigureAwait(false)).ToDictionary(v => v.Receipt.SignatoryId);
        var settings = (await cycles.ListSettingsAsync(cycle.Id, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.SignatoryId);
        var reviewed = reviews is null ? new Dictionary<string, Reviews.StoredReview>() : await reviews.ListAsync(cycle.Id, cancellationToken).ConfigureAwait(false);
        // Schedule stages only (invitation, reminders, overdue notices): receipts and fresh links are not reminders.
        var lastReminders = ledger is null ? new Dictionary<string, DateTimeOffset>() : (await ledger.ListAsync(cycle.Id, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Status == Reminders.LedgerStatus.Sent && e.SentAt is not null && Reminders.ReminderSchedule.IsScheduleStageId(e.Stage))
            .GroupBy(e => e.SignatoryId).ToDictionary(g => g.Key, g => g.Max(e => e.SentAt!.Value));
        var now = time.GetUtcNow();

        var rows = signatories.Select(s =>
        {
            var v = latest.GetValueOrDefault(s.Id)?.Receipt;
            var setting = settings.GetValueOrDefault(s.Id);
            var deadline = cycle.DeadlineFor(setting);
            return new SignatoryStatus(s.Id, s.Name, s.Kind, v is not null, v?.Version, v?.ReceivedAt, v?.ReceivedAtLocal,
                v?.Late ?? false, v is null && now > deadline, AmsterdamTime.Format(deadline), setting?.RemindersPaused ?? false)
            {
                Review = Reviews.ReviewService.Effective(reviewed.GetValueOrDefault(s.Id), v?.Version).State,
                Extension = setting?.ExtendedDeadline?.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                LastReminderSentUtc = lastReminders.TryGetValue(s.Id, out var sent) ? sent : null,
            };
        }).ToList();

        static decimal Percent(int part, int whole) => whole == 0 ? 0 : Math.Round(100m * part / whole, 1);
        var byKind = rows.GroupBy(r => r.Kind).OrderBy(g => g.Key)
            .Select(g => new KindCompletion(g.Key, g.Count(), g.Count(r => r.Submitted), Percent(g.Count(r => r.Submitted), g.Count()))).ToList();
        var submitted = rows.Count(r => r.Submitted);
        return new CycleStatusReport(cycle.Id, AmsterdamTime.Format(cycle.DeadlineUtc), rows.Count, submitted, rows.Count(r => r.Late),
            rows.Count - submitted, Percent(submitted, rows.Count), byKind, rows)
        {
            ByReviewState = Enum.GetValues<Reviews.ReviewState>().ToDictionary(state => state, state => rows.Count(r => r.Review == state)),
        };
    }
}
