using System.Text.Json.Nodes;
using AccessToken = Azure.Core.AccessToken;
using TokenCredential = Azure.Core.TokenCredential;
using TokenRequestContext = Azure.Core.TokenRequestContext;
using Microsoft.Graph;
using Nap.Graph;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Nap.Tests.Reminders;

/// <summary>A token credential that hands out a fixed token and counts requests: the Authorization header must carry it.</summary>
public sealed class FakeTokenCredential(string token = "fake-graph-token") : TokenCredential
{
    private int _requests;
    public string Token { get; } = token;
    public int Requests => _requests;
    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        lock (Scopes) Scopes.Add(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>One sendMail request as Graph received it.</summary>
public sealed record SentMail(string Mailbox, string? Authorization, JsonObject Body, int Status, DateTimeOffset At)
{
    // The SDK writes action parameters as Graph documents them: "Message", "SaveToSentItems".
    public JsonObject Message => Body["Message"]!.AsObject();
    public string Subject => (string)Message["subject"]!;
    public string Html => (string)Message["body"]!["content"]!;
    public string ContentType => (string)Message["body"]!["contentType"]!;
    public IReadOnlyList<string> To => Message["toRecipients"]?.AsArray().Select(r => (string)r!["emailAddress"]!["address"]!).ToList() ?? [];
    public IReadOnlyList<string> Cc => Message["ccRecipients"]?.AsArray().Select(r => (string)r!["emailAddress"]!["address"]!).ToList() ?? [];
    public bool? SaveToSentItems => (bool?)Body["SaveToSentItems"];
}

/// <summary>
/// Microsoft Graph played by WireMock.Net on loopback. Requests reach it through the app's real
/// <see cref="GraphServiceClient"/> (built by <see cref="GraphClientBuilder"/>) with a fake credential.
/// </summary>
public sealed class GraphMock : IDisposable
{
    public const string Mailbox = "nap1325@ministry.example.nl";

    public GraphMock(int? port = null)
    {
        Server = port is { } p ? WireMockServer.Start(p) : WireMockServer.Start();
        AcceptAll();
    }

    public WireMockServer Server { get; }
    public FakeTokenCredential Credential { get; } = new();
    public string BaseUrl => Server.Url!.TrimEnd('/') + "/v1.0";
    public int Port => Server.Ports[0];

    public GraphOptions Options(Action<GraphOptions>? change = null)
    {
        var o = new GraphOptions { BaseUrl = BaseUrl, Mailbox = Mailbox, TenantId = "00000000-0000-0000-0000-000000000001", MaxRetryWaitSeconds = 5 };
        change?.Invoke(o);
        return o;
    }

    public GraphServiceClient Client(Action<GraphOptions>? change = null) => GraphClientBuilder.Create(Options(change), Credential);

    private const string SendMailPath = "/v1.0/users/*/sendMail";

    public void AcceptAll()
    {
        Server.Reset();
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
    }

    /// <summary>The first <paramref name="times"/> requests get <paramref name="status"/> (with Retry-After when given), then 202.</summary>
    public void FailFirst(int times, int status, int? retryAfterSeconds = null)
    {
        Server.Reset();
        for (var i = 0; i < times; i++)
        {
            var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"code":"ErrorExceededMessageLimit","message":"Try again later."}}""");
            if (retryAfterSeconds is { } s) response = response.WithHeader("Retry-After", s.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var given = Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).InScenario("fail-first");
            if (i > 0) given = given.WhenStateIs($"s{i}");
            given.WillSetStateTo($"s{i + 1}").RespondWith(response);
        }
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost())
            .InScenario("fail-first").WhenStateIs($"s{times}")
            .RespondWith(Response.Create().WithStatusCode(202));
    }

    public void AnswerAlways(int status, int? retryAfterSeconds = null)
    {
        Server.Reset();
        var response = Response.Create().WithStatusCode(status);
        if (retryAfterSeconds is { } s) response = response.WithHeader("Retry-After", s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).RespondWith(response);
    }

    /// <summary>Every sendMail request received, in order, with the answer given.</summary>
    public IReadOnlyList<SentMail> Requests() => Server.LogEntries
        .Where(e => e.RequestMessage.Path.EndsWith("/sendMail", StringComparison.Ordinal))
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => new SentMail(
            Uri.UnescapeDataString(e.RequestMessage.Path.Split('/')[3]),
            e.RequestMessage.Headers!.TryGetValue("Authorization", out var a) ? a.FirstOrDefault() : null,
            JsonNode.Parse(e.RequestMessage.Body!)!.AsObject(),
            e.ResponseMessage.StatusCode is int code ? code : int.Parse(e.ResponseMessage.StatusCode!.ToString()!, System.Globalization.CultureInfo.InvariantCulture),
            new DateTimeOffset(DateTime.SpecifyKind(e.RequestMessage.DateTime, DateTimeKind.Utc))))
        .ToList();

    /// <summary>The emails Graph accepted (answered 202).</summary>
    public IReadOnlyList<SentMail> Accepted() => Requests().Where(r => r.Status == 202).ToList();

    public void Dispose() => Server.Stop();
}
