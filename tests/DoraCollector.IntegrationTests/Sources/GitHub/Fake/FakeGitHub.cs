using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DoraCollector.Simulator.GitHub;
using Microsoft.AspNetCore.Http;

namespace DoraCollector.IntegrationTests.Sources.GitHub.Fake;

/// <summary>
/// The simulator's fake GitHub (<see cref="GitHubServer"/>) with what only tests need around it:
/// every request recorded with the status it got, and faults on demand (502s from a proxy,
/// secondary rate limits, slow answers, a rate limit spent elsewhere).
/// </summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    public const string Token = GitHubServer.DefaultToken;

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<RecordedExchange> _exchanges = new();
    private readonly Queue<Fault> _faults = new();
    private readonly Lock _lock = new();

    private FakeGitHub()
    {
    }

    public GitHubServer Server { get; private set; } = null!;

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>The <c>Dora:GitHub:ApiUrl</c> to give the collector.</summary>
    public string ApiUrl => Server.ApiUrl;

    public Dictionary<string, GitHubRepository> Repositories => Server.Repositories;

    public Dictionary<string, List<string>> Organizations => Server.Organizations;

    public int RateLimit
    {
        get => Server.RateLimit;
        set => Server.RateLimit = value;
    }

    public RSA AppKey => Server.AppKey;

    public long AppId => Server.AppId;

    public long InstallationId => Server.InstallationId;

    public int InstallationTokensIssued => Server.InstallationTokensIssued;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>With <see cref="RecordExchanges"/>: every request with its headers and body, and the body answered.</summary>
    public IReadOnlyList<RecordedExchange> Exchanges => _exchanges.ToArray();

    /// <summary>Whether <see cref="Exchanges"/> keeps whole requests and answers (for the contract tests).</summary>
    public bool RecordExchanges { get; set; }

    public static async Task<FakeGitHub> StartAsync(TimeProvider clock)
    {
        var fake = new FakeGitHub();
        fake.Server = await GitHubServer.StartAsync(clock, intercept: fake.InterceptAsync);
        return fake;
    }

    public GitHubRepository Repository(string fullName) => Server.Repository(fullName);

    public GitHubRateLimit RateLimitOf(string resource) => Server.RateLimitOf(resource);

    /// <summary>Spends the rest of a resource's rate limit; it comes back at <paramref name="resetAt"/>.</summary>
    public void ExhaustRateLimit(string resource, DateTimeOffset resetAt) => Server.SetRateLimit(resource, new GitHubRateLimit(RateLimit, 0, resetAt));

    public void RevokeInstallationTokens() => Server.RevokeInstallationTokens();

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="status"/> (a 502 from a proxy by default).</summary>
    public void FailNext(int count, int status = 502, bool graphQLOnly = false) => Enqueue(count, new Fault(status, null, null, graphQLOnly));

    /// <summary>The next requests hit a secondary rate limit: 403 with the message, and <c>retry-after</c> when given.</summary>
    public void SecondaryLimitNext(int count, int? retryAfterSeconds) => Enqueue(count, new Fault(403, retryAfterSeconds, null, false));

    /// <summary>The next requests are answered only after <paramref name="delay"/> (real time: a slow server).</summary>
    public void DelayNext(int count, TimeSpan delay) => Enqueue(count, new Fault(null, null, delay, false));

    public int Count(Func<RecordedRequest, bool>? where = null) => Requests.Count(where ?? (_ => true));

    /// <summary>Requests that cost rate limit (everything but 304s).</summary>
    public int Costly => Count(r => r.Status != 304);

    public void ClearRequests() => _requests.Clear();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void Enqueue(int count, Fault fault)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    private async Task InterceptAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var isGraphQL = path == "/api/graphql";
        Fault? fault = null;
        lock (_lock)
        {
            if (_faults.Count > 0 && (!_faults.Peek().GraphQLOnly || isGraphQL))
            {
                fault = _faults.Dequeue();
            }
        }

        if (fault?.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        string? requestBody = null;
        var answered = context.Response.Body;
        using var copy = RecordExchanges ? new MemoryStream() : null;
        if (copy is not null)
        {
            request.EnableBuffering();
            requestBody = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
            request.Body.Position = 0;
            context.Response.Body = copy;
        }

        if (fault?.Status is { } status)
        {
            await FailAsync(context.Response, fault, status);
        }
        else
        {
            await next(context);
        }

        if (copy is not null)
        {
            context.Response.Body = answered;
            copy.Position = 0;
            await copy.CopyToAsync(answered, context.RequestAborted);
            _exchanges.Enqueue(new RecordedExchange(
                request.Method,
                path,
                request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                requestBody,
                context.Response.StatusCode,
                Encoding.UTF8.GetString(copy.ToArray())));
        }

        _requests.Enqueue(new RecordedRequest(request.Method, path + request.QueryString, context.Response.StatusCode, isGraphQL ? "graphql" : "rest"));
    }

    private static async Task FailAsync(HttpResponse response, Fault fault, int status)
    {
        response.StatusCode = status;
        switch (status)
        {
            case 502:
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                break;
            case 403:
                if (fault.RetryAfter is { } seconds)
                {
                    response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
                }

                response.ContentType = "application/json; charset=utf-8";
                await response.WriteAsync("""{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}""");
                break;
            default:
                response.ContentType = "application/json; charset=utf-8";
                await response.WriteAsync($$"""{"message":"fault {{status}}"}""");
                break;
        }
    }

    private sealed record Fault(int? Status, int? RetryAfter, TimeSpan? Delay, bool GraphQLOnly);
}

internal sealed record RecordedRequest(string Method, string PathAndQuery, int Status, string Api);

/// <summary>A whole request (path without its query) and the body it was answered with.</summary>
internal sealed record RecordedExchange(
    string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers,
    string? RequestBody, int Status, string ResponseBody);
