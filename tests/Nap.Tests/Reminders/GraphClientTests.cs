using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Kiota.Abstractions;
using MimeKit;
using Nap.Graph;

namespace Nap.Tests.Reminders;

/// <summary>The shared Graph client and the app's mail sender on it: real SDK, real middleware, WireMock as Graph.</summary>
public sealed class GraphClientTests : IDisposable
{
    private readonly GraphMock _graph = new();

    public void Dispose() => _graph.Dispose();

    private static SendMailPostRequestBody Mail(string to) => new()
    {
        Message = new Message
        {
            Subject = "Test",
            Body = new ItemBody { ContentType = BodyType.Html, Content = "<p>Hi</p>" },
            ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = to } }],
        },
        SaveToSentItems = false,
    };

    [Fact]
    public async Task Sends_to_the_configured_base_url_with_the_credentials_token()
    {
        var client = _graph.Client();

        await client.Users[GraphMock.Mailbox].SendMail.PostAsync(Mail("a@example.org"));

        var request = Assert.Single(_graph.Requests());
        Assert.Equal(GraphMock.Mailbox, request.Mailbox);
        Assert.Equal("Bearer " + _graph.Credential.Token, request.Authorization);
        Assert.Equal(["a@example.org"], request.To);
        Assert.False(request.SaveToSentItems);
        Assert.Contains(_graph.Credential.Scopes, s => s.SequenceEqual(["https://graph.microsoft.com/.default"]));
    }

    [Fact]
    public async Task Retries_429_with_retry_after_inside_one_call()
    {
        _graph.FailFirst(1, 429, retryAfterSeconds: 1);
        var client = _graph.Client();

        await client.Users[GraphMock.Mailbox].SendMail.PostAsync(Mail("a@example.org"));

        Assert.Equal([429, 202], _graph.Requests().Select(r => r.Status));
    }

    [Theory]
    [InlineData(504)]
    [InlineData(503)] // without Retry-After: Graph may have taken the message
    [InlineData(500)]
    public async Task Does_not_retry_answers_that_may_follow_an_accepted_message(int status)
    {
        _graph.AnswerAlways(status);
        var client = _graph.Client();

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => client.Users[GraphMock.Mailbox].SendMail.PostAsync(Mail("a@example.org")));

        Assert.Equal(status, ex.ResponseStatusCode);
        Assert.Single(_graph.Requests());
    }

    [Fact]
    public async Task Retries_503_only_with_retry_after()
    {
        _graph.FailFirst(2, 503, retryAfterSeconds: 1);
        var client = _graph.Client();

        await client.Users[GraphMock.Mailbox].SendMail.PostAsync(Mail("a@example.org"));

        Assert.Equal([503, 503, 202], _graph.Requests().Select(r => r.Status));
    }

    [Fact]
    public async Task Sends_no_token_to_a_host_other_than_the_configured_one()
    {
        // Configured for graph.microsoft.com, so the loopback mock is not an allowed host: no token may leave.
        var client = Nap.Graph.GraphClientBuilder.Create(_graph.Options(o => o.BaseUrl = "https://graph.microsoft.com/v1.0"), _graph.Credential);
        client.RequestAdapter.BaseUrl = _graph.BaseUrl;

        await client.Users[GraphMock.Mailbox].SendMail.PostAsync(Mail("a@example.org"));

        var request = Assert.Single(_graph.Requests());
        Assert.Null(request.Authorization);
        Assert.Equal(0, _graph.Credential.Requests);
    }

    private static OutgoingMail Outgoing(string to = "anna@example.org") => new(
        [new MailAddress(to, "Anna de Vries")], "Herinnering: voortgangsrapportage",
        "<!DOCTYPE html><html lang=\"nl\"><body><p>Beste Anna, coördinatoren vóór 1 juli</p></body></html>",
        "Beste Anna, coördinatoren vóór 1 juli\n", "nl");

    [Fact]
    public async Task The_mail_sender_posts_base64_mime_with_text_and_html_as_text_plain_through_the_sdk_pipeline()
    {
        var sender = new GraphMailSender(_graph.Client(), _graph.Options(o => o.SaveToSentItems = true), new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 6, 0, 0, TimeSpan.Zero)));

        var result = await sender.SendAsync(Outgoing());

        Assert.Equal(MailSendOutcome.Sent, result.Outcome);
        var request = Assert.Single(_graph.Requests());
        Assert.Equal(GraphMock.Mailbox, request.Mailbox);
        Assert.Equal("Bearer " + _graph.Credential.Token, request.Authorization);
        Assert.Equal("text/plain", request.ContentType);
        Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", request.Body);
        var mime = request.Mime!;
        Assert.Equal(GraphMock.Mailbox, Assert.Single(mime.From.Mailboxes).Address);
        Assert.Equal(("anna@example.org", "Anna de Vries"), (Assert.Single(mime.To.Mailboxes).Address, mime.To.Mailboxes.Single().Name));
        Assert.Equal("Herinnering: voortgangsrapportage", mime.Subject);
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 6, 0, 0, TimeSpan.Zero), mime.Date);
        Assert.EndsWith("@ministry.example.nl", mime.MessageId, StringComparison.Ordinal);
        Assert.Equal("multipart/alternative", mime.Body!.ContentType.MimeType);
        Assert.Equal("nl", mime.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal("Beste Anna, coördinatoren vóór 1 juli", mime.TextBody?.Trim());
        Assert.Contains("<p>Beste Anna, coördinatoren vóór 1 juli</p>", mime.HtmlBody, StringComparison.Ordinal);
        // 7-bit clean, lines ending in CRLF.
        var raw = Convert.FromBase64String(request.Body);
        Assert.All(raw, b => Assert.True(b < 128));
        Assert.DoesNotContain("\n", System.Text.Encoding.ASCII.GetString(raw).Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_mime_send_is_retried_inside_the_call_with_the_same_body()
    {
        _graph.FailFirst(1, 429, retryAfterSeconds: 1);
        var sender = new GraphMailSender(_graph.Client(), _graph.Options());

        var result = await sender.SendAsync(Outgoing());

        Assert.Equal(MailSendOutcome.Sent, result.Outcome);
        var requests = _graph.Requests();
        Assert.Equal([429, 202], requests.Select(r => r.Status));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal("Bearer " + _graph.Credential.Token, requests[1].Authorization);
    }

    [Fact]
    public async Task Throttled_on_every_retry_of_the_client_is_not_accepted()
    {
        _graph.AnswerAlways(429, retryAfterSeconds: 1);
        var sender = new GraphMailSender(_graph.Client(o => o.MaxRetries = 2), _graph.Options(o => o.MaxRetries = 2));

        var result = await sender.SendAsync(Outgoing());

        Assert.Equal((MailSendOutcome.NotAccepted, 429, "429"), (result.Outcome, result.Status, result.Reason));
        Assert.Equal(TimeSpan.FromSeconds(1), result.RetryAfter);
        Assert.Equal([429, 429, 429], _graph.Requests().Select(r => r.Status));
    }

    [Fact]
    public async Task With_sent_items_switched_off_the_html_goes_as_json_with_save_to_sent_items_false()
    {
        var options = _graph.Options(o => o.SaveToSentItems = false);
        var sender = new GraphMailSender(_graph.Client(), options);

        Assert.Equal(MailSendOutcome.Sent, (await sender.SendAsync(Outgoing())).Outcome);

        var request = Assert.Single(_graph.Requests());
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.False(request.SaveToSentItems);
        Assert.Equal("html", request.JsonBodyType, ignoreCase: true);
        Assert.Equal(["anna@example.org"], request.To);
        Assert.Equal("Bearer " + _graph.Credential.Token, request.Authorization);
    }

    [Fact]
    public async Task A_mailbox_given_by_object_id_is_in_the_url_and_exchange_fills_in_the_sender()
    {
        const string objectId = "6f1c2a3b-1111-2222-3333-444455556666";
        var sender = new GraphMailSender(_graph.Client(), _graph.Options(o => (o.Mailbox, o.SaveToSentItems) = (objectId, true)));

        Assert.Equal(MailSendOutcome.Sent, (await sender.SendAsync(Outgoing())).Outcome);

        var request = Assert.Single(_graph.Requests());
        Assert.Equal(objectId, request.Mailbox);
        Assert.Empty(request.Mime!.From);
    }
}
