using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Cycles;
using Nap.Graph;
using Nap.Security;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reminders;

/// <summary>What one sweep did, for the log event and the caller.</summary>
public sealed record SweepSummary(int Cycles, int Due, int Sent, int NotAccepted, int Failed, int Uncertain, int LeftPending, int Superseded, TimeSpan Elapsed);

/// <summary>
/// The daily run over every open cycle: for each active signatory without a submission, or whose latest version was
/// returned for revision (<see cref="IOpenRevisions"/>; its revision deadline is then its deadline), and not paused, the most
/// recent due stage to its primary and secondary contacts (overdue notices also to the director), receipts the
/// submission hook could not send, then a digest per cycle stage to the coordinators. Every message is claimed in
/// the ledger before it is sent, so re-runs and overlapping runs send nothing twice.
/// </summary>
public sealed partial class ReminderSweep(
    ICycleStore cycles,
    ISignatoryRegistry registry,
    ISubmissionIndex index,
    CycleStatusService status,
    ReminderLedger ledger,
    ReminderSender sender,
    ReminderLinks links,
    RemindersOptions options,
    NapOptions nap,
    TimeProvider time,
    ILogger<ReminderSweep> logger,
    IEnumerable<ILeftoverMail> leftovers,
    IOpenRevisions? revisions = null)
{
    private static readonly IReadOnlyDictionary<string, OpenRevision> NoRevisions = new Dictionary<string, OpenRevision>();

    public async Task<SweepSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.SweepBudgetSeconds), time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        var tally = new Tally();
        var today = AmsterdamTime.Today(time);
        var open = (await cycles.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => c.Status == CycleStatus.Open && today >= c.OpensOn).ToList();
        var signatories = (await registry.ListAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.Active).ToList();

        var jobs = new List<MailJob>();
        foreach (var cycle in open)
            jobs.AddRange(await PlanCycleAsync(cycle, signatories, today, tally, cancellationToken).ConfigureAwait(false));
        await RunAsync(jobs, tally, wait.Token, cancellationToken).ConfigureAwait(false);

        // Digests after the signatories' messages, so they report this run's failures too.
        var digests = new List<MailJob>();
        foreach (var cycle in open)
            digests.AddRange(await PlanDigestAsync(cycle, today, tally, cancellationToken).ConfigureAwait(false));
        await RunAsync(digests, tally, wait.Token, cancellationToken).ConfigureAwait(false);

        var summary = new SweepSummary(open.Count, jobs.Count + digests.Count, tally.Sent, tally.NotAccepted, tally.Failed, tally.Uncertain,
            tally.LeftPending, tally.Superseded, stopwatch.Elapsed);
        LogCompleted(logger, summary.Cycles, summary.Due, summary.Sent, summary.NotAccepted, summary.Failed, summary.Uncertain, summary.LeftPending,
            summary.Superseded, (long)summary.Elapsed.TotalMilliseconds);
        return summary;
    }

    private async Task RunAsync(IReadOnlyList<MailJob> jobs, Tally tally, CancellationToken waitToken, CancellationToken sendToken)
    {
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentSends, CancellationToken = sendToken },
            async (job, _) => tally.Add(await sender.SendAsync(job, waitToken, sendToken).ConfigureAwait(false))).ConfigureAwait(false);
    }

    private async Task<List<MailJob>> PlanCycleAsync(ReportingCycle cycle, IReadOnlyList<Signatory> signatories, DateOnly today, Tally tally, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var latest = (await index.ListLatestAsync(cycle.Id, ct).ConfigureAwait(false)).ToDictionary(v => v.Receipt.SignatoryId);
        var settings = (await cycles.ListSettingsAsync(cycle.Id, ct).ConfigureAwait(false)).ToDictionary(s => s.SignatoryId);
        var plan = new Plan(cycle.Id, (await ledger.ListAsync(cycle.Id, ct).ConfigureAwait(false)).ToDictionary(e => e.RowKey), now, tally);
        var byId = signatories.ToDictionary(s => s.Id);
        var returned = revisions is null ? NoRevisions : await revisions.ListAsync(cycle.Id, ct).ConfigureAwait(false);
        var receipts = plan.Entries.Values.Where(e => Stages.ReceiptVersion(e.Stage) is not null).ToLookup(e => (e.SignatoryId, e.RecipientHash));
        var receiptWindow = TimeSpan.FromMinutes(options.ReceiptWindowMinutes);

        foreach (var s in signatories)
        {
            var setting = settings.GetValueOrDefault(s.Id);
            var deadline = cycle.DeadlineFor(setting);
            // Returned and not sent again: not done; the revision deadline is its deadline.
            var revision = latest.TryGetValue(s.Id, out var submitted) && returned.TryGetValue(s.Id, out var r) && r.Version == submitted.Receipt.Version ? r : null;
            if (submitted is not null)
            {
                // The hook sends receipts at once; this catches the ones it could not (crash, no slot).
                if (submitted.Receipt.ReceivedAt >= now.AddDays(-options.ReceiptCatchUpDays))
                {
                    var receipt = submitted.Receipt;
                    foreach (var c in s.ContactsIn(ContactRole.Primary, ContactRole.Secondary))
                    {
                        // Never claimed by the hook: not sent inside another receipt's window either; a later sweep sends it.
                        var hash = ReminderLedger.RecipientHash(c.Email);
                        if (!plan.Entries.ContainsKey(ReminderLedger.RowKey(s.Id, Stages.Receipt(receipt.Version), hash))
                            && ReceiptNotifier.Due(receipts[(s.Id, hash)], now, receiptWindow).Due > now) continue;
                        await WantAsync(plan, s.Id, Stages.Receipt(receipt.Version), c.Email, Role(c),
                            _ => Task.FromResult(ReminderMails.Receipt(receipt, s, c).ToMail([new MailAddress(c.Email, c.Name)])), ct).ConfigureAwait(false);
                    }
                }
                if (revision is null) continue;
                deadline = revision.RevisionDeadlineUtc ?? deadline;
            }
            if (setting?.RemindersPaused == true) continue;
            var stage = ReminderSchedule.MostRecentDue(cycle, ReminderSchedule.LocalDate(deadline), today);
            if (stage is null || (revision is not null && (stage.Kind == StageKind.Invitation || stage.Date <= ReminderSchedule.LocalDate(revision.ReturnedAt)))) continue;
            var roles = stage.Kind == StageKind.Overdue
                ? new[] { ContactRole.Primary, ContactRole.Secondary, ContactRole.Director }
                : [ContactRole.Primary, ContactRole.Secondary];
            foreach (var c in s.ContactsIn(roles))
                await WantAsync(plan, s.Id, stage.Id, c.Email, Role(c), async token =>
                    ReminderMails.Stage(stage, cycle, s, c, deadline, AmsterdamTime.Today(time), await links.FormLinkAsync(s, c, cycle, deadline, token).ConfigureAwait(false), revision is not null).ToMail([new MailAddress(c.Email, c.Name)]), ct).ConfigureAwait(false);
        }

        foreach (var e in plan.Entries.Values.Where(e => !plan.Wanted.Contains(e.RowKey) && e.SignatoryId != ReminderLedger.CoordinatorsId).ToList())
        {
            if (e.Status == LedgerStatus.Sending && IsStale(e, now))
            {
                if (await sender.MarkStaleAsync(e, ct).ConfigureAwait(false)) tally.Uncertain++;
                continue;
            }
            if (!IsOpen(e) || NotYetDue(e, now)) continue;
            // Left over from earlier runs: a receipt of an earlier version or a link is still worth sending;
            // another feature's message (a return email) when that feature still wants it; a schedule stage that is no
            // longer the due one (submitted, paused, later stage, extension) is not.
            var job = ReminderSchedule.IsScheduleStageId(e.Stage) ? null : await LeftoverJobAsync(cycle, e, byId, ct).ConfigureAwait(false);
            if (job is not null) plan.Jobs.Add(job);
            else if (await ledger.TryUpdateAsync(e with { Status = LedgerStatus.Superseded }, ct).ConfigureAwait(false) is not null) tally.Superseded++;
        }
        return plan.Jobs;
    }

    private async Task<MailJob?> LeftoverJobAsync(ReportingCycle cycle, LedgerEntry e, Dictionary<string, Signatory> signatories, CancellationToken ct)
    {
        if (!signatories.TryGetValue(e.SignatoryId, out var s)) return null;
        var c = s.Contacts.FirstOrDefault(c => ReminderLedger.RecipientHash(c.Email) == e.RecipientHash);
        if (c is null) return null;
        var to = new MailAddress(c.Email, c.Name);
        if (Stages.ReceiptVersion(e.Stage) is { } version)
        {
            var v = await index.GetVersionAsync(cycle.Id, s.Id, version, ct).ConfigureAwait(false);
            return v is null ? null : new MailJob(e, _ => Task.FromResult(ReminderMails.Receipt(v.Receipt, s, c).ToMail([to])));
        }
        if (Stages.IsLink(e.Stage))
            return new MailJob(e, async token =>
            {
                var setting = await cycles.FindSettingsAsync(cycle.Id, s.Id, token).ConfigureAwait(false);
                var deadline = cycle.DeadlineFor(setting);
                return ReminderMails.Link(cycle, s, c, deadline, await links.FormLinkAsync(s, c, cycle, deadline, token).ConfigureAwait(false)).ToMail([to]);
            });
        foreach (var other in leftovers)
            if (await other.JobAsync(cycle, e, s, c, ct).ConfigureAwait(false) is { } job) return job;
        return null;
    }

    /// <summary>
    /// The job that sends an existing entry's message again (a deliberate retry, <see cref="ReminderRetry"/>), composed
    /// as the sweep composes it; null when it can no longer be written (signatory inactive, contact or version gone).
    /// </summary>
    public async Task<MailJob?> JobForAsync(ReportingCycle cycle, LedgerEntry e, CancellationToken ct)
    {
        if (e.SignatoryId == ReminderLedger.CoordinatorsId)
        {
            var address = options.CoordinatorAddresses.FirstOrDefault(a => ReminderLedger.RecipientHash(a) == e.RecipientHash);
            var stage = address is null ? null : ReminderSchedule.Stages(cycle, ReminderSchedule.LocalDate(cycle.DeadlineUtc)).FirstOrDefault(st => Stages.Digest(st) == e.Stage);
            return stage is null ? null : new MailJob(e, token => DigestMailAsync(stage, cycle, address!, token));
        }
        var signatories = (await registry.ListAsync(ct).ConfigureAwait(false)).Where(s => s.Active).ToDictionary(s => s.Id);
        if (!ReminderSchedule.IsScheduleStageId(e.Stage)) return await LeftoverJobAsync(cycle, e, signatories, ct).ConfigureAwait(false);
        if (!signatories.TryGetValue(e.SignatoryId, out var signatory)) return null;
        var contact = signatory.Contacts.FirstOrDefault(c => ReminderLedger.RecipientHash(c.Email) == e.RecipientHash);
        if (contact is null) return null;
        var deadline = cycle.DeadlineFor(await cycles.FindSettingsAsync(cycle.Id, signatory.Id, ct).ConfigureAwait(false));
        // A stage id names its deadline's date; the invitation is of the deadline that applies now.
        var scheduled = ReminderSchedule.Stages(cycle, ReminderSchedule.LocalDate(deadline)).FirstOrDefault(st => st.Id == e.Stage)
            ?? (DateOnly.TryParseExact(e.Stage[^8..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? ReminderSchedule.Stages(cycle, date).FirstOrDefault(st => st.Id == e.Stage)
                : null);
        if (scheduled is null) return null;
        return new MailJob(e, async token =>
            ReminderMails.Stage(scheduled, cycle, signatory, contact, deadline, AmsterdamTime.Today(time),
                await links.FormLinkAsync(signatory, contact, cycle, deadline, token).ConfigureAwait(false)).ToMail([new MailAddress(contact.Email, contact.Name)]));
    }

    private async Task<OutgoingMail> DigestMailAsync(ReminderStage stage, ReportingCycle cycle, string address, CancellationToken token)
    {
        var report = await status.GetStatusAsync(cycle.Id, token).ConfigureAwait(false);
        var settings = await cycles.ListSettingsAsync(cycle.Id, token).ConfigureAwait(false);
        var problems = (await ledger.ListAsync(cycle.Id, token).ConfigureAwait(false))
            .Where(e => e.Status is LedgerStatus.Failed or LedgerStatus.Uncertain or LedgerStatus.NotAccepted)
            .OrderBy(e => e.SignatoryId, StringComparer.Ordinal).ThenBy(e => e.Stage, StringComparer.Ordinal)
            .Select(e => new ReminderMails.ProblemSend(e.SignatoryId, e.Role, e.Stage, e.Status, e.LastResult)).ToList();
        var statusUrl = $"{nap.PublicBaseUrl.TrimEnd('/')}/api/cycles/{cycle.Id}/status";
        return ReminderMails.Digest(stage, cycle, report, settings, problems, statusUrl, options.CoordinatorLanguage).ToMail([new MailAddress(address)]);
    }

    private async Task<List<MailJob>> PlanDigestAsync(ReportingCycle cycle, DateOnly today, Tally tally, CancellationToken ct)
    {
        var coordinators = options.CoordinatorAddresses;
        var stage = ReminderSchedule.MostRecentDue(cycle, ReminderSchedule.LocalDate(cycle.DeadlineUtc), today);
        if (coordinators.Count == 0 || stage is null) return [];
        var now = time.GetUtcNow();
        var entries = await ledger.ListAsync(cycle.Id, ct).ConfigureAwait(false);
        var plan = new Plan(cycle.Id, entries.ToDictionary(e => e.RowKey), now, tally);
        var stageId = Stages.Digest(stage);
        foreach (var address in coordinators)
            await WantAsync(plan, ReminderLedger.CoordinatorsId, stageId, address, "coordinator", token => DigestMailAsync(stage, cycle, address, token), ct).ConfigureAwait(false);
        foreach (var e in plan.Entries.Values.Where(e => e.SignatoryId == ReminderLedger.CoordinatorsId && !plan.Wanted.Contains(e.RowKey)))
        {
            if (e.Status == LedgerStatus.Sending && IsStale(e, now))
            {
                if (await sender.MarkStaleAsync(e, ct).ConfigureAwait(false)) tally.Uncertain++;
            }
            else if (IsOpen(e) && await ledger.TryUpdateAsync(e with { Status = LedgerStatus.Superseded }, ct).ConfigureAwait(false) is not null)
            {
                tally.Superseded++;
            }
        }
        return plan.Jobs;
    }

    /// <summary>Makes sure the message is claimed, and queues it when it still has to go out.</summary>
    private async Task WantAsync(Plan plan, string signatoryId, string stage, string email, string role,
        Func<CancellationToken, Task<OutgoingMail>> compose, CancellationToken ct)
    {
        var hash = ReminderLedger.RecipientHash(email);
        var key = ReminderLedger.RowKey(signatoryId, stage, hash);
        if (!plan.Wanted.Add(key)) return;
        if (!plan.Entries.TryGetValue(key, out var entry))
        {
            var claimed = await ledger.TryClaimAsync(new LedgerEntry(plan.CycleId, signatoryId, stage, hash, role, LedgerStatus.Pending, 0, plan.Now, null, null, null), ct)
                .ConfigureAwait(false);
            if (claimed is not null)
            {
                plan.Jobs.Add(new MailJob(claimed, compose));
                return;
            }
            // Another run claimed it between our read and our insert: go by what it recorded.
            entry = await ledger.FindAsync(plan.CycleId, key, ct).ConfigureAwait(false);
            if (entry is null) return;
        }
        if (entry.Status == LedgerStatus.Sending && IsStale(entry, plan.Now))
        {
            if (await sender.MarkStaleAsync(entry, ct).ConfigureAwait(false)) plan.Tally.Uncertain++;
        }
        else if (IsOpen(entry) && !NotYetDue(entry, plan.Now)) plan.Jobs.Add(new MailJob(entry, compose));
    }

    private bool IsOpen(LedgerEntry e) => e.Status == LedgerStatus.Pending || (e.Status == LedgerStatus.NotAccepted && e.Attempts < options.MaxSendAttempts);

    /// <summary>A receipt waiting for the end of its window (its ClaimedAt): the process that claimed it sends it then, else a later sweep.</summary>
    private static bool NotYetDue(LedgerEntry e, DateTimeOffset now) => e.Status == LedgerStatus.Pending && e.ClaimedAt > now;

    private bool IsStale(LedgerEntry e, DateTimeOffset now) => now - (e.LastAttemptAt ?? e.ClaimedAt) > TimeSpan.FromMinutes(options.StaleSendingMinutes);

    private static string Role(Contact c) => c.Role.ToString().ToLowerInvariant();

    private sealed class Plan(string cycleId, Dictionary<string, LedgerEntry> entries, DateTimeOffset now, Tally tally)
    {
        public Tally Tally { get; } = tally;
        public string CycleId { get; } = cycleId;
        public Dictionary<string, LedgerEntry> Entries { get; } = entries;
        public DateTimeOffset Now { get; } = now;
        public HashSet<string> Wanted { get; } = new(StringComparer.Ordinal);
        public List<MailJob> Jobs { get; } = [];
    }

    private sealed class Tally
    {
        private int _sent, _notAccepted, _failed, _uncertain, _leftPending;
        public int Sent => _sent;
        public int NotAccepted => _notAccepted;
        public int Failed => _failed;
        public int Uncertain { get => _uncertain; set => _uncertain = value; }
        public int LeftPending => _leftPending;
        public int Superseded { get; set; }

        public void Add(JobOutcome outcome)
        {
            switch (outcome)
            {
                case JobOutcome.Sent: Interlocked.Increment(ref _sent); break;
                case JobOutcome.NotAccepted: Interlocked.Increment(ref _notAccepted); break;
                case JobOutcome.Failed: Interlocked.Increment(ref _failed); break;
                case JobOutcome.Uncertain: Interlocked.Increment(ref _uncertain); break;
                case JobOutcome.LeftPending: Interlocked.Increment(ref _leftPending); break;
            }
        }
    }

    [LoggerMessage(EventId = 4100, EventName = "ReminderSweepCompleted", Level = LogLevel.Information,
        Message = "ReminderSweepCompleted: {Cycles} open cycle(s), {Due} message(s) due, {Sent} sent, {NotAccepted} not accepted (tried again next run), {Failed} failed, {Uncertain} uncertain, {LeftPending} left pending, {Superseded} superseded, in {ElapsedMs} ms")]
    private static partial void LogCompleted(ILogger logger, int cycles, int due, int sent, int notAccepted, int failed, int uncertain, int leftPending, int superseded, long elapsedMs);
}

/// <summary>Stage ids beside the schedule's: receipts per version, fresh links per request slot, digests per cycle stage.</summary>
public static class Stages
{
    public static string Receipt(int version) => $"receipt-v{version.ToString(CultureInfo.InvariantCulture)}";

    public static int? ReceiptVersion(string stage) =>
        stage.StartsWith("receipt-v", StringComparison.Ordinal) && int.TryParse(stage.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static string Link(string window, int slot) => $"link-{window}-{slot.ToString(CultureInfo.InvariantCulture)}";

    public static bool IsLink(string stage) => stage.StartsWith("link-", StringComparison.Ordinal);

    public static string Digest(ReminderStage stage) => "digest-" + stage.Id;
}
