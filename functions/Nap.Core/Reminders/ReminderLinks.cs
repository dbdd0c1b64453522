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
    TokenService tokens,
    NapOptions nap,
    ISignatoryRegistry registry,
    ICycleStore cycles,
    ReminderLedger ledger,
    ReminderSender sender,
    RemindersOptions options,
    TimeProvider time,
    ILogger<ReminderLinks> logger)
{
    /// <summary>The token travels in the fragment, which browsers never send to a server or put in a Referer.</summary>
    public string FormLink(string signatoryId, string cycleId) =>
        $"{nap.PublicBaseUrl.TrimEnd('/')}/api/form#token={tokens.IssueForSignatory(signatoryId, cycleId)}";

    /// <summary>
    /// Sends a fresh link to the address if it belongs to a contact of an active signatory, one email per open cycle.
    /// Known and unknown addresses look the same from outside: the caller always answers 202, and this takes at
    /// least <c>Reminders:LinkResponseMilliseconds</c>. At most <c>LinkRequestsPerHour</c> per address (by hash).
    /// </summary>
    public async Task RequestAsync(string? email, CancellationToken cancellationToken = default)
    {
        var address = email?.Trim() ?? "";
        if (!ReminderLedger.LooksLikeEmail(address))
            throw new ProblemException(new Problem(400, Problem.TypeBase + "invalid-email", "An email address is required.", "Send {\"email\": \"name@example.org\"}."));
        var started = Stopwatch.StartNew();
        try
        {
            await SendLinksAsync(address, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Real time, not domain time: this pads the answer, it is not part of the schedule.
            var rest = TimeSpan.FromMilliseconds(options.LinkResponseMilliseconds) - started.Elapsed;
            if (rest > TimeSpan.Zero) await Task.Delay(rest, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SendLinksAsync(string address, CancellationToken ct)
    {
        var hash = ReminderLedger.RecipientHash(address);
        var now = time.GetUtcNow();
        var window = now.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var slot = await ledger.TryTakeLinkSlotAsync(hash, window, options.LinkRequestsPerHour, ct).ConfigureAwait(false);
        if (slot is null)
        {
            LogLimited(logger, hash);
            return;
        }
        var matches = (await registry.ListAsync(ct).ConfigureAwait(false))
            .Where(s => s.Active)
            .SelectMany(s => s.Contacts.Where(c => string.Equals(c.Email.Trim(), address, StringComparison.OrdinalIgnoreCase)).Select(c => (Signatory: s, Contact: c)))
            .ToList();
        var today = AmsterdamTime.Today(time);
        var open = (await cycles.ListAsync(ct).ConfigureAwait(false)).Where(c => c.Status == CycleStatus.Open && today >= c.OpensOn).ToList();
        LogRequested(logger, hash, matches.Count, open.Count);
        if (matches.Count == 0 || open.Count == 0) return;

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(options.ImmediateSendWaitSeconds), time);
        foreach (var cycle in open)
            foreach (var (s, c) in matches)
            {
                var entry = await ledger.TryClaimAsync(new LedgerEntry(cycle.Id, s.Id, Stages.Link(window, slot.Value), hash, c.Role.ToString().ToLowerInvariant(),
                    LedgerStatus.Pending, 0, now, null, null, null), ct).ConfigureAwait(false);
                if (entry is null) continue;
                var cycleNow = cycle;
                await sender.SendAsync(new MailJob(entry, async token =>
                {
                    var setting = await cycles.FindSettingsAsync(cycleNow.Id, s.Id, token).ConfigureAwait(false);
                    return ReminderMails.Link(cycleNow, s, c, cycleNow.DeadlineFor(setting), FormLink(s.Id, cycleNow.Id)).ToMail([new MailAddress(c.Email, c.Name)]);
                }), wait.Token, ct).ConfigureAwait(false);
            }
    }

    [LoggerMessage(EventId = 4110, EventName = "LinkRequested", Level = LogLevel.Information,
        Message = "Link requested for recipient {RecipientHash}: {Matches} matching contact(s), {OpenCycles} open cycle(s)")]
    private static partial void LogRequested(ILogger logger, string recipientHash, int matches, int openCycles);

    [LoggerMessage(EventId = 4111, EventName = "LinkRequestLimited", Level = LogLevel.Warning,
        Message = "Link request for recipient {RecipientHash} refused: hourly limit reached")]
    private static partial void LogLimited(ILogger logger, string recipientHash);
}
