using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Nap.Graph;

/// <summary>
/// <c>POST /users/{mailbox}/sendMail</c> through the shared <see cref="GraphServiceClient"/>'s request adapter, so the
/// SDK middleware (authentication for the Graph host only, the narrowed retry handler, …) handles every call.
/// <para>
/// By default (<c>Graph:SaveToSentItems=false</c>: no copy of a personal link stays in Sent Items) the message goes as
/// the JSON body with saveToSentItems=false; it carries one rendering, the HTML, and Exchange derives the text part.
/// With <c>Graph:SaveToSentItems=true</c> it goes as MIME (<see cref="MimeMail"/>: multipart/alternative with our
/// plain-text and HTML renderings): the body is the base64 of the RFC 5322 bytes with <c>Content-Type: text/plain</c>,
/// as Graph documents for sendMail. A MIME sendMail has no saveToSentItems parameter: Exchange always keeps a copy.
/// </para>
/// </summary>
public sealed class GraphMailSender(GraphServiceClient graph, GraphOptions options, TimeProvider? time = null) : IMailSender
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        try
        {
            if (options.SaveToSentItems)
                await graph.RequestAdapter.SendNoContentAsync(MimeRequest(mail), ErrorMapping, cancellationToken).ConfigureAwait(false);
            else
                await graph.Users[options.Mailbox].SendMail.PostAsync(JsonBody(mail), cancellationToken: cancellationToken).ConfigureAwait(false);
            return MailSendResult.Sent;
        }
        catch (Exception ex)
        {
            return Classify(ex, cancellationToken);
        }
    }

    /// <summary>The SDK's own sendMail request (URL, path parameters, options) with the base64 MIME as its text/plain body.</summary>
    private RequestInformation MimeRequest(OutgoingMail mail)
    {
        var message = MimeMail.Build(mail, options.Mailbox, (time ?? TimeProvider.System).GetUtcNow());
        var base64 = Convert.ToBase64String(MimeMail.Bytes(message));
        var request = graph.Users[options.Mailbox].SendMail.ToPostRequestInformation(new SendMailPostRequestBody());
        request.Headers.Remove("Content-Type");
        request.SetStreamContent(new MemoryStream(Encoding.ASCII.GetBytes(base64)), "text/plain");
        return request;
    }

    private static SendMailPostRequestBody JsonBody(OutgoingMail mail) => new()
    {
        Message = new Message
        {
            Subject = mail.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = mail.Html },
            ToRecipients = mail.To.Select(Recipient).ToList(),
            CcRecipients = (mail.Cc ?? []).Select(Recipient).ToList(),
        },
        SaveToSentItems = false,
    };

    private static Recipient Recipient(MailAddress a) =>
        new() { EmailAddress = new EmailAddress { Address = a.Email, Name = string.IsNullOrWhiteSpace(a.Name) ? null : a.Name } };

    /// <summary>Only an answer or error that proves Graph never took the message may lead to sending it again.</summary>
    public static MailSendResult Classify(Exception ex, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case ApiException api when api.ResponseStatusCode > 0:
            {
                var status = api.ResponseStatusCode;
                var retryAfter = RetryAfter(api);
                var notAccepted = GraphClientBuilder.ProvesNotAccepted((HttpStatusCode)status, retryAfter is not null)
                                  || status is >= 400 and < 500;
                return new MailSendResult(notAccepted ? MailSendOutcome.NotAccepted : MailSendOutcome.Uncertain, status, status.ToString(System.Globalization.CultureInfo.InvariantCulture), retryAfter);
            }
            case AggregateException agg when agg.InnerExceptions.LastOrDefault() is ApiException last:
                // The retry handler gave up: its last answer decides.
                return Classify(last, cancellationToken);
            case Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException:
                return new MailSendResult(MailSendOutcome.NotAccepted, null, ex.GetType().Name);
            case HttpRequestException http when NeverConnected(http):
                return new MailSendResult(MailSendOutcome.NotAccepted, null, $"{ex.GetType().Name}:{http.HttpRequestError}");
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return new MailSendResult(MailSendOutcome.Uncertain, null, "Cancelled");
            case OperationCanceledException:
                return new MailSendResult(MailSendOutcome.Uncertain, null, "Timeout");
            default:
                return new MailSendResult(MailSendOutcome.Uncertain, null, ex.GetType().Name);
        }
    }

    /// <summary>Refused or unresolvable before a byte of the request left: nothing can have been sent.</summary>
    private static bool NeverConnected(HttpRequestException http) =>
        http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError
        || http.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable };

    private static TimeSpan? RetryAfter(ApiException api)
    {
        var header = api.ResponseHeaders.FirstOrDefault(h => h.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        return int.TryParse(header, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s)
            : header is not null ? TimeSpan.Zero : null;
    }
}
