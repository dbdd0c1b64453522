using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Graph;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Verification;

public sealed record CodeSent(DateTimeOffset ExpiresAt, string ExpiresAtLocal, int MaxAttempts);

public sealed record VerifiedSession(string SessionToken, DateTimeOffset ExpiresAt, string ExpiresAtLocal);

/// <summary>
/// A link alone reads back everything but the confidential parts; with a verified session it reads them too. The
/// session comes from a one-time code emailed to the contact the link was sent to (the link's <c>contact</c> claim):
/// 6 digits, <see cref="VerificationOptions.CodeMinutes"/> valid, locked after <see cref="VerificationOptions.MaxAttempts"/>
/// wrong tries, at most <see cref="VerificationOptions.MaxCodesPerWindow"/> codes per window. Only salted hashes of
/// codes and session tokens are stored; neither is ever logged. A session is a row (not a signed token) so it needs no
/// further signing key, stays bound to the one link that asked (a revoked link ends it with the link) and can expire
/// or be removed server-side.
/// </summary>
public sealed partial class VerificationService(
    IVerificationStore store,
    IMailSender mail,
    VerificationOptions options,
    TimeProvider time,
    ILogger<VerificationService> logger)
{
    /// <summary>The request header that carries the session token (the link stays in <c>Authorization</c>).</summary>
    public const string SessionHeader = "X-Nap-Session";

    [GeneratedRegex(@"^[0-9]{6}$")]
    private static partial Regex CodeFormat();

    public async Task<CodeSent> SendCodeAsync(string cycleId, SignatoryCaller caller, CancellationToken ct = default)
    {
        caller.RequireCycle(cycleId);
        var contact = caller.Signatory.Contacts.FirstOrDefault(c => ReminderLedger.RecipientHash(c.Email) == caller.Link.ContactHash)
            ?? throw new ProblemException(new Problem(403, Problem.TypeBase + "unknown-contact", "This link's contact is not registered any more.",
                "Ask the coordinators for a new link."));
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(options.RequestWindowMinutes);
        var existing = await store.FindCodeAsync(cycleId, caller.Id, caller.Link.ContactHash, ct).ConfigureAwait(false);
        var (start, count) = existing is not null && now - existing.WindowStart < window ? (existing.WindowStart, existing.WindowCount) : (now, 0);
        if (count >= options.MaxCodesPerWindow)
            throw new ProblemException(Problem.TooManyRequests($"At most {options.MaxCodesPerWindow} codes per {options.RequestWindowMinutes} minutes.")
                with { RetryAfterSeconds = (int)Math.Ceiling((start + window - now).TotalSeconds) });

        var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = now.AddMinutes(options.CodeMinutes);
        var row = new VerificationCode(cycleId, caller.Id, caller.Link.ContactHash, caller.Link.LinkId, Hash(salt, code), salt, expires, 0, false,
            start, count + 1, existing?.ETag ?? default);
        if (!await store.TryWriteCodeAsync(row, ct).ConfigureAwait(false))
            throw new ProblemException(Problem.TooManyRequests("A code was asked for at the same moment; try again in a few seconds.") with { RetryAfterSeconds = 5 });

        var result = await mail.SendAsync(CodeMail(caller.Signatory, contact, code, expires), ct).ConfigureAwait(false);
        LogCodeSent(logger, cycleId, caller.Id, result.Outcome.ToString());
        if (result.Outcome == MailSendOutcome.NotAccepted)
            throw new ProblemException(new Problem(503, Problem.TypeBase + "code-not-sent", "The code could not be sent.", "Try again in a minute.")
                { RetryAfterSeconds = 60 });
        return new CodeSent(expires, AmsterdamTime.Format(expires), options.MaxAttempts);
    }

    public async Task<VerifiedSession> ConfirmAsync(string cycleId, SignatoryCaller caller, string? code, CancellationToken ct = default)
    {
        caller.RequireCycle(cycleId);
        if (code is null || !CodeFormat().IsMatch(code))
            throw new ProblemException(Problem.Validation([new FieldError("/code", "invalid-value", "Send the 6 digits of the code.")]));
        // Concurrent tries are serialised by the row's ETag: five wrong tries lock it, however fast they come.
        for (var round = 0; round < 5; round++)
        {
            var row = await store.FindCodeAsync(cycleId, caller.Id, caller.Link.ContactHash, ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (row is null || row.LinkId != caller.Link.LinkId || row.CodeHash.Length == 0)
                throw new ProblemException(Problem.Conflict("no-code", "There is no code to check.", "Ask for a code first."));
            if (row.Locked)
                throw new ProblemException(Problem.Conflict("code-locked", "This code is locked after too many wrong tries.", "Ask for a new code."));
            if (now >= row.ExpiresAt)
                throw new ProblemException(Problem.Conflict("code-expired", "This code has expired.", "Ask for a new code."));
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(row.Salt, code)), Encoding.ASCII.GetBytes(row.CodeHash)))
            {
                // Used once: the row keeps the rate-limit window but no code.
                if (!await store.TryWriteCodeAsync(row with { CodeHash = "", Salt = "" }, ct).ConfigureAwait(false)) continue;
                var token = Base64Url(RandomNumberGenerator.GetBytes(32));
                var expires = now.AddHours(options.SessionHours);
                await store.AddSessionAsync(new VerificationSession(cycleId, SessionHash(token), caller.Id, caller.Link.ContactHash, caller.Link.LinkId, expires), ct)
                    .ConfigureAwait(false);
                LogVerified(logger, cycleId, caller.Id);
                return new VerifiedSession(token, expires, AmsterdamTime.Format(expires));
            }
            var attempts = row.Attempts + 1;
            var locked = attempts >= options.MaxAttempts;
            if (!await store.TryWriteCodeAsync(row with { Attempts = attempts, Locked = locked }, ct).ConfigureAwait(false)) continue;
            LogWrongCode(logger, cycleId, caller.Id, attempts, locked);
            if (locked)
                throw new ProblemException(Problem.Conflict("code-locked", "This code is locked after too many wrong tries.", "Ask for a new code."));
            var left = options.MaxAttempts - attempts;
            throw new ProblemException(Problem.Validation([new FieldError("/code", "wrong-code", $"That is not the code; {left} {(left == 1 ? "try" : "tries")} left.") { Max = left }]));
        }
        throw new ProblemException(Problem.TooManyRequests("Too many tries at the same moment.") with { RetryAfterSeconds = 5 });
    }

    /// <summary>True when <paramref name="sessionToken"/> is a live session of this very link.</summary>
    public async Task<bool> IsVerifiedAsync(string cycleId, SignatoryCaller caller, string? sessionToken, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sessionToken) || sessionToken.Length > 100 || caller.Link.CycleId != cycleId) return false;
        var session = await store.FindSessionAsync(cycleId, SessionHash(sessionToken), ct).ConfigureAwait(false);
        return session is not null && session.SignatoryId == caller.Id && session.ContactHash == caller.Link.ContactHash
               && session.LinkId == caller.Link.LinkId && session.ExpiresAt > time.GetUtcNow();
    }

    /// <summary>
    /// For a read-back (a version, the draft): withholds the confidential parts in place unless the session is verified.
    /// True when something was withheld. Content without confidential parts needs no session (no lookup either).
    /// </summary>
    public async Task<bool> WithholdUnlessVerifiedAsync(JsonNode? content, string cycleId, SignatoryCaller caller, string? sessionToken, CancellationToken ct = default)
    {
        if (!ConfidentialContent.Has(content)) return false;
        if (await IsVerifiedAsync(cycleId, caller, sessionToken, ct).ConfigureAwait(false)) return false;
        return ConfidentialContent.Withhold(content);
    }

    private static string Hash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));

    private static string SessionHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("nap1325-session|" + token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The code in the body only (not the subject, which lock screens show), with what to do if it was not asked for.</summary>
    public static OutgoingMail CodeMail(Signatory signatory, Contact contact, string code, DateTimeOffset expires)
    {
        var lang = ReminderMails.Language(signatory.Language);
        var nl = lang == "nl";
        var until = AmsterdamTime.FormatForPeople(expires, lang);
        return new MailDraft(lang,
            nl ? "Uw code voor de voortgangsrapportage NAP 1325-IV" : "Your code for the NAP 1325-IV progress report",
            nl ? $"Beste {contact.Name}," : $"Dear {contact.Name},",
            [nl ? $"Code: {code}" : $"Code: {code}",
             nl ? $"Met deze code ziet u de vertrouwelijke onderdelen van de rapportage van {signatory.Name} in het formulier. De code werkt tot {until} en één keer."
                : $"With this code the form shows the confidential parts of the report of {signatory.Name}. The code works once, until {until}.",
             nl ? "Heeft u niet om een code gevraagd? Dan heeft iemand anders uw persoonlijke link. Geef de code aan niemand en meld het de coördinatoren."
                : "Did you not ask for a code? Then someone else has your personal link. Do not give the code to anyone and tell the coordinators."],
            [], null).ToMail([new MailAddress(contact.Email, contact.Name)]);
    }

    [LoggerMessage(EventId = 4600, EventName = "VerificationCodeSent", Level = LogLevel.Information,
        Message = "VerificationCodeSent: cycle {CycleId}, signatory {SignatoryId}, mail {Outcome}")]
    private static partial void LogCodeSent(ILogger logger, string cycleId, string signatoryId, string outcome);

    [LoggerMessage(EventId = 4601, EventName = "VerificationSucceeded", Level = LogLevel.Information,
        Message = "VerificationSucceeded: cycle {CycleId}, signatory {SignatoryId}")]
    private static partial void LogVerified(ILogger logger, string cycleId, string signatoryId);

    [LoggerMessage(EventId = 4602, EventName = "VerificationWrongCode", Level = LogLevel.Warning,
        Message = "VerificationWrongCode: cycle {CycleId}, signatory {SignatoryId}, wrong try {Attempts}, locked {Locked}")]
    private static partial void LogWrongCode(ILogger logger, string cycleId, string signatoryId, int attempts, bool locked);
}
