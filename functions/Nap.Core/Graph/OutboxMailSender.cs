using System.Globalization;
using MimeKit;

namespace Nap.Graph;

/// <summary>
/// The local stand-in when Graph is not configured: every message becomes an .eml file (multipart/alternative with
/// the plain-text and HTML renderings) in <c>Mail:OutboxFolder</c>, so a developer can open what the app would send.
/// </summary>
public sealed class OutboxMailSender(MailOptions options, GraphOptions graph, TimeProvider time) : IMailSender
{
    public string Folder => Path.GetFullPath(options.OutboxFolder);

    public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(string.IsNullOrWhiteSpace(graph.Mailbox) ? options.OutboxFrom : graph.Mailbox));
        foreach (var a in mail.To) message.To.Add(new MailboxAddress(a.Name ?? "", a.Email));
        foreach (var a in mail.Cc ?? []) message.Cc.Add(new MailboxAddress(a.Name ?? "", a.Email));
        message.Subject = mail.Subject;
        message.Date = time.GetUtcNow();
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        message.Body.Headers.Add(HeaderId.ContentLanguage, mail.Language); // a Content-* header belongs to the body entity

        Directory.CreateDirectory(Folder);
        var name = $"{time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.eml";
        await using (var file = File.Create(Path.Combine(Folder, name)))
            await message.WriteToAsync(file, cancellationToken).ConfigureAwait(false);
        return MailSendResult.Sent;
    }
}
