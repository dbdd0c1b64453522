namespace Nap.Graph;

/// <summary>One addressee. Personal data: never logged.</summary>
public sealed record MailAddress(string Email, string? Name = null);

/// <summary>A message the app sends: one HTML and one plain-text rendering of the same content.</summary>
public sealed record OutgoingMail(
    IReadOnlyList<MailAddress> To,
    string Subject,
    string Html,
    string Text,
    string Language,
    IReadOnlyList<MailAddress>? Cc = null);

public enum MailSendOutcome
{
    /// <summary>Graph accepted the message (202).</summary>
    Sent,
    /// <summary>The answer proves the message was not taken (429, 503 with Retry-After, another 4xx, no connection): safe to send again later.</summary>
    NotAccepted,
    /// <summary>It may have been sent (timeout, 504, another 5xx, connection lost): never sent again automatically.</summary>
    Uncertain,
}

/// <summary>What became of one send; <see cref="Reason"/> is a status code or an exception type name, never a message text.</summary>
public sealed record MailSendResult(MailSendOutcome Outcome, int? Status = null, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static readonly MailSendResult Sent = new(MailSendOutcome.Sent, 202);
}

/// <summary>Sends one message. Implementations classify failures instead of throwing them, so the ledger can record them.</summary>
public interface IMailSender
{
    Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

/// <summary>Settings under <c>Mail:</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>Where the local stand-in writes .eml files when Graph is not configured; relative to the working directory.</summary>
    public string OutboxFolder { get; set; } = ".outbox";

    /// <summary>Sender shown in outbox files (Graph sends as <c>Graph:Mailbox</c>).</summary>
    public string OutboxFrom { get; set; } = "nap1325@localhost";
}
