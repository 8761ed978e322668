using System.Net;
using System.Text.Json;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// One answer from GitHub, read in full: the status, the body, the validator to send back as
/// <c>If-None-Match</c> and the next page from the <c>Link</c> header.
/// </summary>
internal sealed record GitHubResponse(HttpStatusCode Status, string Body, string? ETag, Uri? Next)
{
    /// <summary>Seconds the <c>retry-after</c> header asks to wait (secondary rate limits, 429).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The primary rate limit as this answer reported it.</summary>
    public RateLimitState? RateLimit { get; init; }

    public bool NotModified => Status == HttpStatusCode.NotModified;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>A 403 or 429 (or a GraphQL <c>RATE_LIMITED</c> error) that says a rate limit was hit.</summary>
    public bool IsRateLimited { get; init; }

    /// <summary>A secondary rate limit: back off even without a <c>retry-after</c>.</summary>
    public bool IsSecondaryRateLimit { get; init; }

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>GitHub's <c>message</c> from an error body, without anything else of it.</summary>
    public string Message()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()!
                : $"HTTP {(int)Status}";
        }
        catch (JsonException)
        {
            return $"HTTP {(int)Status}";
        }
    }
}

/// <summary>A primary rate limit: what is left of it and when it resets (<c>x-ratelimit-*</c>).</summary>
internal sealed record RateLimitState(string Resource, long Limit, long Remaining, DateTimeOffset ResetAt);

/// <summary>GitHub answered with an error that retrying does not fix (404, 422, ...) or kept failing.</summary>
internal sealed class GitHubApiException(HttpStatusCode? status, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>The operator's request budget for this hour is spent; the pass stops and the next resumes.</summary>
internal sealed class GitHubBudgetExhaustedException(string message) : Exception(message);

/// <summary>The primary rate limit is exhausted and resets later than the collector is willing to wait.</summary>
internal sealed class GitHubRateLimitedException(DateTimeOffset resetAt, string message) : Exception(message)
{
    public DateTimeOffset ResetAt { get; } = resetAt;
}
