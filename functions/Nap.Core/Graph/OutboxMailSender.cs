using System.Globalization;

namespace Nap.Graph;

/// <summary>
/// The local stand-in when Graph is not configured: every message becomes an .eml file (multipart/alternative with
/// the plain-text and HTML renderings, the same MIME that Graph is sent) in <c>Mail:OutboxFolder</c>, so a developer
/// can open what the app would send.
/// </summary>
public sealed class OutboxMailSender(MailOptions options, GraphOptions graph, TimeProvider time) : IMailSender
{
    public string Folder => Path.GetFullPath(options.OutboxFolder);

    public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var message = MimeMail.Build(mail, string.IsNullOrWhiteSpace(graph.Mailbox) ? options.OutboxFrom : graph.Mailbox, time.GetUtcNow());
        Directory.CreateDirectory(Folder);
        var name = $"{time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.eml";
        await using (var file = File.Create(Path.Combine(Folder, name)))
            await message.WriteToAsync(file, cancellationToken).ConfigureAwait(false);
        return MailSendResult.Sent;
    }
}
