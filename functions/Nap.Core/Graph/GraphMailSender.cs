using System.Net;
using System.Net.Sockets;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;

namespace Nap.Graph;

/// <summary>
/// <c>POST /users/{mailbox}/sendMail</c> through the shared <see cref="GraphServiceClient"/>. Graph takes one body per
/// message, so the HTML rendering is sent (Exchange derives the text part when it delivers); the plain-text rendering
/// is what the local outbox writes beside it.
/// </summary>
public sealed class GraphMailSender(GraphServiceClient graph, GraphOptions options) : IMailSender
{
    public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = mail.Html },
                ToRecipients = mail.To.Select(Recipient).ToList(),
                CcRecipients = (mail.Cc ?? []).Select(Recipient).ToList(),
            },
            SaveToSentItems = options.SaveToSentItems,
        };
        try
        {
            await graph.Users[options.Mailbox].SendMail.PostAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return MailSendResult.Sent;
        }
        catch (Exception ex)
        {
            return Classify(ex, cancellationToken);
        }
    }

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
