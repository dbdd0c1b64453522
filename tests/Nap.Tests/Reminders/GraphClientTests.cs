using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;

namespace Nap.Tests.Reminders;

/// <summary>The shared Graph client: real SDK, real middleware, WireMock as Graph.</summary>
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
}
