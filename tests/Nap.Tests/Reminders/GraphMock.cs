using System.Text.Json.Nodes;
using MimeKit;
using AccessToken = Azure.Core.AccessToken;
using TokenCredential = Azure.Core.TokenCredential;
using TokenRequestContext = Azure.Core.TokenRequestContext;
using Microsoft.Graph;
using Nap.Graph;
using WireMock;
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

/// <summary>
/// One sendMail request as Graph received it: the app's MIME form (text/plain, base64 of an RFC 5322 message) or the
/// JSON form (the SDK's own PostAsync; the app's fallback when Sent Items is switched off).
/// </summary>
public sealed class SentMail
{
    public SentMail(string mailbox, string? authorization, string? contentType, string body, int status, DateTimeOffset at)
    {
        (Mailbox, Authorization, ContentType, Body, Status, At) = (mailbox, authorization, contentType, body, status, at);
        if (IsMime) Mime = MimeMessage.Load(new MemoryStream(Convert.FromBase64String(body)));
        else Json = JsonNode.Parse(body)!.AsObject();
    }

    public string Mailbox { get; }
    public string? Authorization { get; }
    /// <summary>The request's Content-Type header.</summary>
    public string? ContentType { get; }
    public string Body { get; }
    public int Status { get; }
    public DateTimeOffset At { get; }
    public bool IsMime => ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true;
    public MimeMessage? Mime { get; }
    public JsonObject? Json { get; }

    // The SDK writes action parameters as Graph documents them: "Message", "SaveToSentItems".
    private JsonObject Message => Json!["Message"]!.AsObject();
    public string Subject => Mime?.Subject ?? (string)Message["subject"]!;
    public string Html => Mime is { } m ? m.HtmlBody ?? "" : (string)Message["body"]!["content"]!;
    public string? Text => Mime?.TextBody;
    /// <summary>JSON form only: the body's contentType ("html").</summary>
    public string? JsonBodyType => Json is null ? null : (string)Message["body"]!["contentType"]!;
    public IReadOnlyList<string> To => Mime is { } m ? m.To.Mailboxes.Select(a => a.Address).ToList()
        : Message["toRecipients"]?.AsArray().Select(r => (string)r!["emailAddress"]!["address"]!).ToList() ?? [];
    public IReadOnlyList<string> Cc => Mime is { } m ? m.Cc.Mailboxes.Select(a => a.Address).ToList()
        : Message["ccRecipients"]?.AsArray().Select(r => (string)r!["emailAddress"]!["address"]!).ToList() ?? [];
    public bool? SaveToSentItems => Json is null ? null : (bool?)Json["SaveToSentItems"];
}

/// <summary>Graph's answers held back: see <see cref="GraphMock.Hold"/>.</summary>
public sealed class GraphHold
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received, _answered;
    /// <summary>sendMail requests that arrived.</summary>
    public int Received => Volatile.Read(ref _received);
    /// <summary>sendMail requests answered so far.</summary>
    public int Answered => Volatile.Read(ref _answered);
    public void Release() => _released.TrySetResult();

    internal async Task<IResponseMessage> AnswerAsync(TimeSpan longest)
    {
        Interlocked.Increment(ref _received);
        await Task.WhenAny(_released.Task, Task.Delay(longest));
        Interlocked.Increment(ref _answered);
        return new ResponseMessage { StatusCode = 202 };
    }
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

    // WireMock picks the matching mapping with the lowest priority number: answers for particular messages go first.
    private const int CatchAllPriority = 100;

    public void AcceptAll()
    {
        Server.Reset();
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).AtPriority(CatchAllPriority).RespondWith(Response.Create().WithStatusCode(202));
    }

    /// <summary>The first <paramref name="times"/> requests get <paramref name="status"/> (with Retry-After when given), then 202. Counted atomically: concurrent senders race for them.</summary>
    public void FailFirst(int times, int status, int? retryAfterSeconds = null)
    {
        Server.Reset();
        var count = 0;
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).AtPriority(CatchAllPriority).RespondWith(Response.Create().WithCallback(_ =>
        {
            if (Interlocked.Increment(ref count) > times) return new WireMock.ResponseMessage { StatusCode = 202 };
            var headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") };
            if (retryAfterSeconds is { } s) headers["Retry-After"] = new(s.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new WireMock.ResponseMessage
            {
                StatusCode = status,
                Headers = headers,
                BodyData = new WireMock.Util.BodyData
                {
                    DetectedBodyType = WireMock.Types.BodyType.String,
                    BodyAsString = """{"error":{"code":"ErrorExceededMessageLimit","message":"Try again later."}}""",
                },
            };
        }));
    }

    public void AnswerAlways(int status, int? retryAfterSeconds = null)
    {
        Server.Reset();
        var response = Response.Create().WithStatusCode(status);
        if (retryAfterSeconds is { } s) response = response.WithHeader("Retry-After", s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).RespondWith(response);
    }

    /// <summary>Messages whose body (MIME decoded) contains <paramref name="text"/> (e.g. one recipient's address) always get <paramref name="status"/>; others 202.</summary>
    public void AnswerFor(string text, int status, int? retryAfterSeconds = null)
    {
        var response = Response.Create().WithStatusCode(status);
        if (retryAfterSeconds is { } s) response = response.WithHeader("Retry-After", s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost().WithBody((string? body) => Readable(body).Contains(text, StringComparison.OrdinalIgnoreCase)))
            .AtPriority(1).RespondWith(response);
    }

    /// <summary>
    /// Every sendMail answer waits until <see cref="GraphHold.Release"/> is called or <paramref name="longest"/> has
    /// passed, then is 202: a Graph that takes its time. Nothing else decides when it answers.
    /// </summary>
    public GraphHold Hold(TimeSpan longest)
    {
        Server.Reset();
        var hold = new GraphHold();
        Server.Given(Request.Create().WithPath(SendMailPath).UsingPost()).AtPriority(CatchAllPriority)
            .RespondWith(Response.Create().WithCallback(_ => hold.AnswerAsync(longest)));
        return hold;
    }

    /// <summary>The request body as text: the MIME message decoded from base64, or the JSON as it came.</summary>
    public static string Readable(string? body)
    {
        if (string.IsNullOrEmpty(body)) return "";
        var bytes = new byte[body.Length];
        return Convert.TryFromBase64String(body, bytes, out var n) ? System.Text.Encoding.ASCII.GetString(bytes, 0, n) : body;
    }

    /// <summary>Every sendMail request received, in order, with the answer given.</summary>
    public IReadOnlyList<SentMail> Requests() => Server.LogEntries
        .Where(e => e.RequestMessage.Path.EndsWith("/sendMail", StringComparison.Ordinal))
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => new SentMail(
            Uri.UnescapeDataString(e.RequestMessage.Path.Split('/')[3]),
            Header(e.RequestMessage, "Authorization"),
            Header(e.RequestMessage, "Content-Type"),
            e.RequestMessage.Body!,
            e.ResponseMessage.StatusCode is int code ? code : int.Parse(e.ResponseMessage.StatusCode!.ToString()!, System.Globalization.CultureInfo.InvariantCulture),
            new DateTimeOffset(DateTime.SpecifyKind(e.RequestMessage.DateTime, DateTimeKind.Utc))))
        .ToList();

    private static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>The emails Graph accepted (answered 202).</summary>
    public IReadOnlyList<SentMail> Accepted() => Requests().Where(r => r.Status == 202).ToList();

    public void Dispose() => Server.Stop();
}
