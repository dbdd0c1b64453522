using MimeKit;
using MimeKit.Utils;

namespace Nap.Graph;

/// <summary>
/// One <see cref="OutgoingMail"/> as an RFC 5322 message: multipart/alternative with the plain-text and the HTML
/// rendering, the language on the body. Graph's MIME sendMail and the local outbox send the same bytes.
/// </summary>
public static class MimeMail
{
    /// <param name="from">The sending mailbox; when it is not an address (Graph also takes an object id) the header is
    /// left out and Exchange puts the mailbox in.</param>
    public static MimeMessage Build(OutgoingMail mail, string? from, DateTimeOffset date)
    {
        var message = new MimeMessage();
        if (!string.IsNullOrWhiteSpace(from) && MailboxAddress.TryParse(from, out var sender) && !string.IsNullOrEmpty(sender.Domain))
        {
            message.From.Add(sender);
            // MimeKit's default Message-Id names this machine; the mailbox's domain says nothing about the host.
            message.MessageId = MimeUtils.GenerateMessageId(sender.Domain);
        }
        foreach (var a in mail.To) message.To.Add(new MailboxAddress(a.Name ?? "", a.Email));
        foreach (var a in mail.Cc ?? []) message.Cc.Add(new MailboxAddress(a.Name ?? "", a.Email));
        message.Subject = mail.Subject;
        message.Date = date;
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        message.Body.Headers.Add(HeaderId.ContentLanguage, mail.Language); // a Content-* header belongs to the body entity
        // 7-bit clean (quoted-printable where needed): safe through any relay.
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    /// <summary>The message as RFC 5322 bytes, lines ending in CRLF whatever the platform.</summary>
    public static byte[] Bytes(MimeMessage message)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(format, stream);
        return stream.ToArray();
    }
}
