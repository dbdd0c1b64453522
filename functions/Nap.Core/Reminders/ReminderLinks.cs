using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Cycles;
using Nap.Graph;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Reminders;

/// <summary>
/// Personal links to the form (<c>{PublicBaseUrl}/api/form#token=…</c>, a fresh signatory token each time), and
/// <c>POST /api/links</c>: a contact who lost the link asks for a new one by address.
/// </summary>
public sealed partial class ReminderLinks(
    SignatoryLinks links,
    NapOptions nap,
    ISignatoryRegistry registry,
    ICycleStore cycles,
    ReminderLedger ledger,
    BackgroundSends background,
    LinkRequestLimits limits,
    RemindersOptions options,
    TimeProvider time,
    ILogger<ReminderLinks> logger)
{
    /// <summary>The token travels in the fragment, which browsers never send to a server or put in a Referer.</summary>
    /// A link names the contact it is sent to, so removing or readdressing that contact revokes it.
    public async Task<string> FormLinkAsync(Signatory signatory, Contact contact, ReportingCycle cycle, DateTimeOffset deadline, CancellationToken cancellationToken = default) =>
        $"{nap.PublicBaseUrl.TrimEnd('/')}/api/form#token={await links.IssueAsync(signatory, contact, cycle, deadline, cancellationToken: cancellationToken).ConfigureAwait(false)}";

    /// <summary>
    /// Sends a fresh link to the address if it belongs to a contact of an active signatory, one email per open cycle.
    /// Known and unknown addresses look the same from outside: the caller always answers 202, this takes at least
    /// <c>Reminders:LinkResponseMilliseconds</c>, and the request does the same work for both (the hourly count, the
    /// look-ups) except the ledger claims for a known address, a few table inserts. The email itself is sent in the
    /// background (<see cref="BackgroundSends"/>); a claimed link that is not sent there, the next sweep sends. An
    /// error after the look-ups (claims) is logged by type and does not change the answer. At most
    /// <c>LinkRequestsPerHour</c> per address (counted by its hash). Nothing about the address is logged.
    /// </summary>
    /// <param name="client">The caller's address (<see cref="LinkRequestLimits.ClientAddress"/>): over its limit, or the instance's, 429.</param>
    public async Task RequestAsync(string? email, string client, CancellationToken cancellationToken = default)
    {
        var address = email?.Trim() ?? "";
        if (!ReminderLedger.LooksLikeEmail(address))
            throw new ProblemException(new Problem(400, Problem.TypeBase + "invalid-email", "An email address is required.", "Send {\"email\": \"name@example.org\"}."));
        limits.Take(client);
        var started = Stopwatch.StartNew();
        try
        {
            await ClaimLinksAsync(address, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Real time, not domain time: this pads the answer, it is not part of the schedule. Timers tick in whole
            // milliseconds and may fire a little early: wait until the stopwatch agrees the time is up.
            var target = TimeSpan.FromMilliseconds(options.LinkResponseMilliseconds);
            for (var rest = target - started.Elapsed; rest > TimeSpan.Zero; rest = target - started.Elapsed)
                await Task.Delay(rest + TimeSpan.FromMilliseconds(1), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ClaimLinksAsync(string address, CancellationToken ct)
    {
        var hash = ReminderLedger.RecipientHash(address);
        var now = time.GetUtcNow();
        var window = now.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var slot = await ledger.TryTakeLinkSlotAsync(hash, window, options.LinkRequestsPerHour, ct).ConfigureAwait(false);
        if (slot is null)
        {
            LogLimited(logger);
            return;
        }
        var matches = (await registry.ListAsync(ct).ConfigureAwait(false))
            .Where(s => s.Active)
            .SelectMany(s => s.Contacts.Where(c => string.Equals(c.Email.Trim(), address, StringComparison.OrdinalIgnoreCase)).Select(c => (Signatory: s, Contact: c)))
            .ToList();
        var today = AmsterdamTime.Today(time);
        var open = (await cycles.ListAsync(ct).ConfigureAwait(false)).Where(c => c.Status == CycleStatus.Open && today >= c.OpensOn).ToList();
        LogRequested(logger, matches.Count, open.Count);
        if (matches.Count == 0 || open.Count == 0) return;

        // Only a known address gets here: nothing from here on may change the answer (no error, no waiting on Graph).
        var jobs = new List<MailJob>();
        try
        {
            foreach (var cycle in open)
                foreach (var (s, c) in matches)
                {
                    var entry = await ledger.TryClaimAsync(new LedgerEntry(cycle.Id, s.Id, Stages.Link(window, slot.Value), hash, c.Role.ToString().ToLowerInvariant(),
                        LedgerStatus.Pending, 0, now, null, null, null), CancellationToken.None).ConfigureAwait(false);
                    if (entry is null) continue;
                    var cycleNow = cycle;
                    jobs.Add(new MailJob(entry, async token =>
                    {
                        var setting = await cycles.FindSettingsAsync(cycleNow.Id, s.Id, token).ConfigureAwait(false);
                        var deadline = cycleNow.DeadlineFor(setting);
                        return ReminderMails.Link(cycleNow, s, c, deadline, await FormLinkAsync(s, c, cycleNow, deadline, token).ConfigureAwait(false)).ToMail([new MailAddress(c.Email, c.Name)]);
                    }));
                }
        }
        catch (Exception ex)
        {
            LogClaimFailed(logger, ex.GetType().Name);
        }
        background.Start(jobs);
    }

    [LoggerMessage(EventId = 4110, EventName = "LinkRequested", Level = LogLevel.Information,
        Message = "Link requested: {Matches} matching contact(s), {OpenCycles} open cycle(s)")]
    private static partial void LogRequested(ILogger logger, int matches, int openCycles);

    [LoggerMessage(EventId = 4111, EventName = "LinkRequestLimited", Level = LogLevel.Warning,
        Message = "Link request refused: hourly limit for the address reached")]
    private static partial void LogLimited(ILogger logger);

    [LoggerMessage(EventId = 4112, EventName = "LinkClaimFailed", Level = LogLevel.Error,
        Message = "Claiming link emails failed with {ExceptionType}; the request was answered as usual, emails claimed before the failure are sent")]
    private static partial void LogClaimFailed(ILogger logger, string exceptionType);
}
