using System.Net;
using Nap.Api;

namespace Nap.Reminders;

/// <summary>
/// The limits of <c>POST /api/links</c> beyond the one per address (<see cref="RemindersOptions.LinkRequestsPerHour"/>,
/// counted in storage and silent, so known and unknown addresses look alike): per client address per clock hour and per
/// instance per clock minute, counted in this instance's memory (nothing stored, nothing logged). Over either, the
/// request is refused with 429 and <c>Retry-After</c> before any look-up: that answer says nothing about the address.
/// </summary>
public sealed class LinkRequestLimits(RemindersOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _clients = new(StringComparer.Ordinal);
    private long _clientWindow = -1;
    private long _instanceWindow = -1;
    private int _instanceCount;

    /// <summary>Counts the request, or throws a 429 problem when the client or the instance is over its limit.</summary>
    public void Take(string client)
    {
        var now = time.GetUtcNow();
        var hour = now.ToUnixTimeSeconds() / 3600;
        var minute = now.ToUnixTimeSeconds() / 60;
        lock (_gate)
        {
            // Fixed windows: a new hour forgets every client (so the map holds at most one hour of addresses).
            if (hour != _clientWindow) { _clients.Clear(); _clientWindow = hour; }
            if (minute != _instanceWindow) { _instanceCount = 0; _instanceWindow = minute; }
            var count = _clients.GetValueOrDefault(client);
            if (count >= options.LinkRequestsPerClientPerHour) throw Refused(now, (hour + 1) * 3600);
            if (_instanceCount >= options.LinkRequestsPerInstancePerMinute) throw Refused(now, (minute + 1) * 60);
            _clients[client] = count + 1;
            _instanceCount++;
        }
    }

    private static ProblemException Refused(DateTimeOffset now, long windowEndsAt)
    {
        var seconds = (int)Math.Max(1, windowEndsAt - now.ToUnixTimeSeconds());
        return new ProblemException(Problem.TooManyRequests("Too many link requests. Try again later.") with { RetryAfterSeconds = seconds });
    }

    /// <summary>
    /// The client's address: the first hop of <c>X-Forwarded-For</c> as Azure's front ends set it (<c>ip:port</c>,
    /// <c>[v6]:port</c> or a bare address), else the connection's address; "unknown" when neither is an IP address.
    /// </summary>
    public static string ClientAddress(string? forwardedFor, IPAddress? connection)
    {
        var first = forwardedFor?.Split(',')[0].Trim();
        if (!string.IsNullOrEmpty(first))
        {
            if (IPAddress.TryParse(first, out var bare)) return bare.ToString();
            if (IPEndPoint.TryParse(first, out var endpoint)) return endpoint.Address.ToString();
        }
        if (connection is not null) return (connection.IsIPv4MappedToIPv6 ? connection.MapToIPv4() : connection).ToString();
        return "unknown";
    }
}
