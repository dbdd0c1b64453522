using System.Net.Sockets;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;

namespace Nap.Storage;

/// <summary>
/// Settings under <c>Storage:</c> (app settings <c>Storage__…</c>): how long one storage operation may take, its
/// retries included, before the caller hears that storage is unavailable.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The time budget of one storage operation on a request path (default 30 s): three tries of a quarter of it each,
    /// with backoff between them. The first operation of a request that meets an outage ends the request with 503, so a
    /// submission answers within about this long instead of hanging through the SDK's default 100 s tries.
    /// </summary>
    public int RequestBudgetSeconds { get; set; } = 30;

    public const int MaxRetries = 2;

    public TimeSpan Budget => TimeSpan.FromSeconds(Math.Clamp(RequestBudgetSeconds, 2, 600));

    /// <summary>Per try: a quarter of the budget; three tries and two backoffs (1/30 and 2/30 of it, ±20 % jitter) stay inside it.</summary>
    public TimeSpan NetworkTimeout => Budget / 4;

    public static StorageOptions From(IConfiguration configuration)
    {
        var options = new StorageOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    public T Apply<T>(T options) where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = Budget / 30;
        options.Retry.MaxDelay = Budget / 10;
        options.Retry.NetworkTimeout = NetworkTimeout;
        options.AddPolicy(new TimeoutIsUnavailablePolicy(), HttpPipelinePosition.PerCall);
        options.AddPolicy(new PermanentDeletePolicy(), HttpPipelinePosition.PerCall);
        return options;
    }
}

/// <summary>
/// A storage call whose last try ran out of its network timeout surfaces from the SDK as an
/// <see cref="OperationCanceledException"/>, which would read as "the caller cancelled". Outside the retries, where the
/// caller's own token is back on the message, this tells the two apart.
/// </summary>
internal sealed class TimeoutIsUnavailablePolicy : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!message.CancellationToken.IsCancellationRequested)
        {
            throw new StorageTimeoutException(ex);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (OperationCanceledException ex) when (!message.CancellationToken.IsCancellationRequested)
        {
            throw new StorageTimeoutException(ex);
        }
    }
}

/// <summary>Storage did not answer within the per-try network timeout (<see cref="StorageOptions.NetworkTimeout"/>).</summary>
public sealed class StorageTimeoutException(Exception inner) : TimeoutException("Storage did not answer within the network timeout.", inner);

/// <summary>Which failures mean "storage is unavailable for now, try again" rather than "a bug".</summary>
public static class StorageFailure
{
    /// <summary>
    /// Timeouts (<see cref="StorageTimeoutException"/>), refused or broken connections (the SDK reports them as a
    /// <see cref="RequestFailedException"/> with status 0), and 408/429/5xx answers after the SDK's own retries, also
    /// inside the <see cref="AggregateException"/> the SDK throws after its last retry. A caller's cancellation is not
    /// one, nor is anything that does not come from the storage SDK.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or (>= 500 and not 501 and not 505),
        StorageTimeoutException => true,
        // A body read that broke off (downloads stream outside the pipeline).
        IOException { InnerException: SocketException } => true,
        // Inside the SDK's aggregate a cancellation is a try that ran out of its network timeout.
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(e => e is OperationCanceledException || IsTransient(e)),
        _ => false,
    };

    /// <summary>The storage status to log: the HTTP status of the last answer, 0 when none came.</summary>
    public static int Status(Exception exception) => exception switch
    {
        RequestFailedException r => r.Status,
        AggregateException a => a.InnerExceptions.Select(Status).LastOrDefault(),
        _ => 0,
    };
}
