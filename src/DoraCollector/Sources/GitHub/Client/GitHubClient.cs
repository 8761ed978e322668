using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// The typed client of the GitHub REST and GraphQL APIs. Every request: authenticates (token, or
/// GitHub App installation token), takes one request from the operator's hourly budget (a 304
/// gives it back), waits while a primary rate limit is exhausted, and is retried with jittered
/// exponential backoff on 5xx, timeouts and secondary rate limits (honouring <c>retry-after</c>).
/// Waiting goes through the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class GitHubClient
{
    public const string Rest = "rest";
    public const string GraphQL = "graphql";

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly GitHubRateLimits _limits;
    private readonly GitHubRequestBudget _budget;
    private readonly GitHubInstallationTokens _tokens;
    private readonly CollectorTelemetry _telemetry;
    private readonly TimeProvider _clock;
    private readonly GitHubOptions _options;
    private readonly ILogger<GitHubClient> _logger;
    private readonly ResiliencePipeline<GitHubResponse> _pipeline;

    public GitHubClient(
        HttpClient http,
        GitHubRateLimits limits,
        GitHubRequestBudget budget,
        GitHubInstallationTokens tokens,
        CollectorTelemetry telemetry,
        TimeProvider clock,
        IOptions<GitHubOptions> options,
        ILogger<GitHubClient> logger)
    {
        (_http, _limits, _budget, _tokens, _telemetry, _clock, _options, _logger) =
            (http, limits, budget, tokens, telemetry, clock, options.Value, logger);
        _pipeline = BuildPipeline();
    }

    /// <summary>A REST GET; any final status is returned (404, 304, ...). With <paramref name="etag"/> the request is conditional.</summary>
    public Task<GitHubResponse> GetAsync(string owner, string pathOrUrl, string? etag, CancellationToken ct) =>
        SendAsync(owner, HttpMethod.Get, Resolve(pathOrUrl), null, etag, Rest, AuthMode.Installation, ct);

    /// <summary>Every page of a REST list, following the <c>Link: rel="next"</c> URLs as given.</summary>
    public async IAsyncEnumerable<GitHubResponse> GetPagesAsync(
        string owner, string pathOrUrl, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Uri? next = Resolve(pathOrUrl);
        while (next is not null)
        {
            var response = await SendAsync(owner, HttpMethod.Get, next, null, null, Rest, AuthMode.Installation, ct);
            if (!response.IsSuccess)
            {
                throw Failure(response, next.PathAndQuery);
            }

            yield return response;
            next = response.Next;
        }
    }

    /// <summary>
    /// A GraphQL query; returns <c>data</c>. Errors fail the call, except with
    /// <paramref name="allowPartial"/> where data came back beside them (an object that does not exist).
    /// </summary>
    public async Task<JsonElement> GraphQLAsync(
        string owner, string query, IReadOnlyDictionary<string, object?> variables, CancellationToken ct, bool allowPartial = false)
    {
        var body = JsonSerializer.Serialize(new { query, variables }, BodyJson);
        var response = await SendAsync(owner, HttpMethod.Post, _options.GraphQLEndpoint(), body, null, GraphQL, AuthMode.Installation, ct);
        if (!response.IsSuccess)
        {
            throw Failure(response, "graphql");
        }

        var root = response.Json();
        var hasData = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object;
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
            && !(allowPartial && hasData))
        {
            var first = errors[0];
            var message = first.TryGetProperty("message", out var m) ? m.GetString() : "unknown error";
            throw new GitHubApiException(HttpStatusCode.OK, $"GraphQL: {message}");
        }

        return hasData ? data : throw new GitHubApiException(HttpStatusCode.OK, "GraphQL answered without data");
    }

    private Uri Resolve(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute
            : new Uri(new Uri(_options.ApiUrl.TrimEnd('/') + "/"), pathOrUrl.TrimStart('/'));

    private static GitHubApiException Failure(GitHubResponse response, string what) =>
        new(response.Status, $"GitHub answered {(int)response.Status} to {what}: {response.Message()}");

    private async Task<GitHubResponse> SendAsync(
        string owner, HttpMethod method, Uri uri, string? body, string? etag, string api, AuthMode auth, CancellationToken ct)
    {
        var response = await _pipeline.ExecuteAsync(
            async token => await AttemptAsync(owner, method, uri, body, etag, api, auth, token), ct);
        if (response.Status == HttpStatusCode.Unauthorized && auth == AuthMode.Installation && _options.AppId is not null)
        {
            // An installation token can be revoked before it expires: take a new one, once.
            _tokens.Invalidate(owner);
            response = await _pipeline.ExecuteAsync(
                async token => await AttemptAsync(owner, method, uri, body, etag, api, auth, token), ct);
        }

        return response;
    }

    private async Task<GitHubResponse> AttemptAsync(
        string owner, HttpMethod method, Uri uri, string? body, string? etag, string api, AuthMode auth, CancellationToken ct)
    {
        var resource = api == GraphQL ? "graphql" : "core";
        await WaitForRateLimitAsync(resource, ct);
        var authorization = await AuthorizationAsync(owner, auth, ct);
        if (!_budget.TryTake())
        {
            var refill = _budget.NextRefill();
            LogBudgetSpent(_options.RequestBudgetPerHour, refill);
            throw new GitHubBudgetExhaustedException(
                $"the budget of {_options.RequestBudgetPerHour} GitHub requests per hour is spent until {refill:O}");
        }

        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = authorization;
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage? message = null;
        string text;
        try
        {
            message = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            text = await message.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            message?.Dispose();
            _telemetry.GitHubRequest(api, "timeout");
            LogTimeout(api, uri.AbsolutePath, _options.RequestTimeout);
            throw new TimeoutException($"GitHub did not answer {uri.AbsolutePath} within {_options.RequestTimeout}");
        }
        catch (HttpRequestException e)
        {
            message?.Dispose();
            _telemetry.GitHubRequest(api, "error");
            LogNetworkError(api, uri.AbsolutePath, e.Message);
            throw;
        }

        using (message)
        {
            return Read(message, text, api, resource);
        }
    }

    private GitHubResponse Read(HttpResponseMessage message, string text, string api, string resource)
    {
        var now = _clock.GetUtcNow();
        var rateLimit = _limits.Observe(message.Headers, resource);
        var (limited, secondary) = GitHubRateLimits.Classify(message.StatusCode, message.Headers, text);
        if (message.StatusCode == HttpStatusCode.OK && api == GraphQL && IsGraphQLRateLimited(text))
        {
            // GraphQL reports an exhausted primary limit as 200 with a RATE_LIMITED error.
            limited = true;
        }

        var response = new GitHubResponse(message.StatusCode, text, message.Headers.ETag?.ToString(), NextLink(message.Headers))
        {
            RetryAfter = GitHubRateLimits.RetryAfter(message.Headers, now),
            RateLimit = rateLimit,
            IsRateLimited = limited,
            IsSecondaryRateLimit = secondary,
        };

        if (response.NotModified)
        {
            _budget.GiveBack();
        }

        var outcome = limited ? "rate_limited"
            : response.NotModified ? "not_modified"
            : response.IsSuccess ? "success"
            : "error";
        _telemetry.GitHubRequest(api, outcome);
        if (limited)
        {
            LogRateLimited(api, (int)message.StatusCode, secondary ? "secondary" : "primary", response.RetryAfter, rateLimit?.ResetAt);
        }

        return response;
    }

    private async Task WaitForRateLimitAsync(string resource, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (_limits.ExhaustedUntil(resource, now) is not { } reset)
        {
            return;
        }

        // GitHub's reset is in whole seconds: wait a second past it.
        var wait = reset - now + TimeSpan.FromSeconds(1);
        if (wait > _options.MaxRateLimitWait)
        {
            throw new GitHubRateLimitedException(reset,
                $"the GitHub {resource} rate limit is exhausted until {reset:O}, later than Dora:GitHub:MaxRateLimitWait allows");
        }

        LogWaitingForReset(resource, reset, wait);
        await Task.Delay(wait, _clock, ct);
    }

    private ResiliencePipeline<GitHubResponse> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<GitHubResponse> { TimeProvider = _clock };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<GitHubResponse>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromMinutes(10),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutException } => true,
                    { Result: { } r } => (int)r.Status >= 500 || r.IsRateLimited,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result switch
                {
                    { RetryAfter: { } after } => after,
                    // Exhausted primary limit: the next attempt waits for the reset before it is sent
                    // (a limit reported without its headers: a minute).
                    { IsRateLimited: true, IsSecondaryRateLimit: false, RateLimit.Remaining: 0 } => TimeSpan.Zero,
                    { IsRateLimited: true, IsSecondaryRateLimit: false } => TimeSpan.FromMinutes(1),
                    // A secondary limit without retry-after: at least a minute, then exponentially longer.
                    { IsSecondaryRateLimit: true } => TimeSpan.FromMinutes(Math.Pow(2, args.AttemptNumber)),
                    _ => (TimeSpan?)null,
                }),
                OnRetry = args =>
                {
                    LogRetrying(args.AttemptNumber + 1, args.RetryDelay,
                        args.Outcome.Exception?.Message ?? $"HTTP {(int)args.Outcome.Result!.Status}");
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private static bool IsGraphQLRateLimited(string body) =>
        body.Contains("\"RATE_LIMITED\"", StringComparison.Ordinal) && body.Contains("\"errors\"", StringComparison.Ordinal);

    /// <summary>The <c>rel="next"</c> URL of a <c>Link</c> header (<c>&lt;url&gt;; rel="next", …</c>).</summary>
    public static Uri? NextLink(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var part in string.Join(',', values).Split(','))
        {
            var segments = part.Split(';', StringSplitOptions.TrimEntries);
            if (segments.Length > 1 && segments[0].StartsWith('<') && segments[0].EndsWith('>')
                && segments.Skip(1).Any(s => s.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\"")
                && Uri.TryCreate(segments[0][1..^1], UriKind.Absolute, out var next))
            {
                return next;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning,
        Message = "GitHub {Api} rate limit hit (HTTP {Status}, {Kind}); retry after {RetryAfter}, reset at {ResetAt}")]
    private partial void LogRateLimited(string api, int status, string kind, TimeSpan? retryAfter, DateTimeOffset? resetAt);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information,
        Message = "GitHub {Resource} rate limit exhausted: waiting until {ResetAt} ({Wait})")]
    private partial void LogWaitingForReset(string resource, DateTimeOffset resetAt, TimeSpan wait);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "GitHub request retry {Attempt} in {Delay}: {Reason}")]
    private partial void LogRetrying(int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "GitHub {Api} request {Path} timed out after {Timeout}")]
    private partial void LogTimeout(string api, string path, TimeSpan timeout);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "GitHub {Api} request {Path} failed: {Reason}")]
    private partial void LogNetworkError(string api, string path, string reason);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning,
        Message = "The budget of {Budget} GitHub requests per hour is spent; collection resumes at {RefillAt}")]
    private partial void LogBudgetSpent(int budget, DateTimeOffset? refillAt);
}
