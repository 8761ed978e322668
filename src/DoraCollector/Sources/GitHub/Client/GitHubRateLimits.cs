using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using DoraCollector.Hosting;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// What GitHub last said about each primary rate limit (REST <c>core</c>, <c>graphql</c>), shared
/// by every request of this replica, so a request waits for the reset instead of being refused.
/// </summary>
internal sealed class GitHubRateLimits(CollectorTelemetry telemetry)
{
    private readonly ConcurrentDictionary<string, RateLimitState> _states = new(StringComparer.Ordinal);

    public RateLimitState? this[string resource] => _states.TryGetValue(resource, out var state) ? state : null;

    /// <summary>
    /// Reads <c>x-ratelimit-limit</c>, <c>-remaining</c>, <c>-reset</c> (Unix seconds) and
    /// <c>-resource</c>; a 304 carries them too but costs nothing, so its numbers are current.
    /// </summary>
    public RateLimitState? Observe(HttpResponseHeaders headers, string defaultResource)
    {
        if (!TryLong(headers, "x-ratelimit-remaining", out var remaining) || !TryLong(headers, "x-ratelimit-reset", out var reset))
        {
            return null;
        }

        var resource = headers.TryGetValues("x-ratelimit-resource", out var values) ? values.First() : defaultResource;
        var limit = TryLong(headers, "x-ratelimit-limit", out var l) ? l : 0;
        var state = new RateLimitState(resource, limit, remaining, DateTimeOffset.FromUnixTimeSeconds(reset));
        _states[resource] = state;
        telemetry.GitHubRateLimit(resource, remaining);
        return state;
    }

    /// <summary>When the limit of <paramref name="resource"/> is spent: the instant it resets; else null.</summary>
    public DateTimeOffset? ExhaustedUntil(string resource, DateTimeOffset now) =>
        _states.TryGetValue(resource, out var state) && state.Remaining <= 0 && state.ResetAt > now ? state.ResetAt : null;

    /// <summary>
    /// Whether a 403 or 429 is a rate limit (GitHub also answers 403 for missing permissions):
    /// remaining 0, a <c>retry-after</c>, or a message that names a rate limit.
    /// </summary>
    public static (bool Limited, bool Secondary) Classify(HttpStatusCode status, HttpResponseHeaders headers, string body)
    {
        if (status is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return (false, false);
        }

        var secondary = body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
                        || body.Contains("abuse", StringComparison.OrdinalIgnoreCase);
        var primary = TryLong(headers, "x-ratelimit-remaining", out var remaining) && remaining == 0;
        var limited = status == HttpStatusCode.TooManyRequests || primary || secondary || headers.RetryAfter is not null
                      || body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);
        return (limited, limited && !primary);
    }

    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) =>
        headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };

    private static bool TryLong(HttpResponseHeaders headers, string name, out long value)
    {
        value = 0;
        return headers.TryGetValues(name, out var values)
               && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
