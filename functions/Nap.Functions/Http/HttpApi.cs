using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Storage;

namespace Nap.Functions.Http;

/// <summary>What every HTTP function shares: reading a bounded body, and turning problems into RFC 9457 answers.</summary>
public static partial class HttpApi
{
    /// <summary>
    /// Runs a function body. A <see cref="ProblemException"/> becomes its problem; storage that is unavailable for now
    /// (<see cref="StorageFailure.IsTransient"/>) a 503 with <c>Retry-After</c>; anything else, a bug, a bare 500. The log
    /// names only the exception type and storage status: messages of storage errors can quote the entity, i.e. report content.
    /// </summary>
    public static async Task<IActionResult> Run(ILogger logger, string function, Func<Task<IActionResult>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ProblemException ex)
        {
            return new ProblemResult(ex.Problem);
        }
        catch (Exception ex) when (StorageFailure.IsTransient(ex))
        {
            LogUnavailable(logger, function, ex.GetType().FullName ?? "unknown", StorageFailure.Status(ex));
            return new ProblemResult(Problem.StorageUnavailable());
        }
        catch (OperationCanceledException)
        {
            return new ProblemResult(new Problem(499, Problem.TypeBase + "cancelled", "The request was cancelled."));
        }
        catch (Exception ex)
        {
            LogFailure(logger, function, ex.GetType().FullName ?? "unknown", (ex as Azure.RequestFailedException)?.Status ?? 0, ex.StackTrace ?? "");
            return new ProblemResult(Problem.Internal());
        }
    }

    /// <summary>The request body, refused with 413 above <paramref name="limit"/> bytes before it is read whole.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw new ProblemException(Problem.TooLarge(limit));
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit) throw new ProblemException(Problem.TooLarge(limit));
        }
        return buffer.WrittenMemory;
    }

    public static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} answered 503: storage unavailable ({ExceptionType}, storage status {Status})")]
    private static partial void LogUnavailable(ILogger logger, string function, string exceptionType, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} failed with {ExceptionType} (storage status {Status}) {StackTrace}")]
    private static partial void LogFailure(ILogger logger, string function, string exceptionType, int status, string stackTrace);
}
