using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DoraCollector.IntegrationTests.Sources.GitHub.Fake;

/// <summary>
/// A GitHub Enterprise Server lookalike on a loopback port (REST under <c>/api/v3</c>, GraphQL at
/// <c>/api/graphql</c>), speaking GitHub's wire format: pagination with <c>Link</c>, ETags and 304s
/// (free of rate limit), <c>x-ratelimit-*</c> headers with exhaustion until the reset, secondary
/// limits with <c>retry-after</c>, 502s and slow answers on demand, token and GitHub App auth.
/// It counts every request. Times come from the test's clock.
/// </summary>
internal sealed partial class FakeGitHub : IAsyncDisposable
{
    public const string Token = "ghp_fake0123456789token";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Dictionary<string, FakeRateLimit> _limits = new(StringComparer.Ordinal);
    private readonly Queue<Fault> _faults = new();
    private readonly HashSet<string> _installationTokens = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private FakeGitHub(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The <c>Dora:GitHub:ApiUrl</c> to give the collector.</summary>
    public string ApiUrl => new Uri(BaseUrl, "api/v3").ToString();

    public Dictionary<string, FakeRepository> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> Organizations { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int RateLimit { get; set; } = 5000;

    /// <summary>The GitHub App this server knows (its key signs the JWTs it accepts).</summary>
    public RSA AppKey { get; } = RSA.Create(2048);

    public long AppId { get; } = 4242;

    public long InstallationId { get; } = 777;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeGitHub> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var github = new FakeGitHub(app, clock);
        app.Run(github.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        github.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return github;
    }

    public FakeRepository Repository(string fullName)
    {
        if (!Repositories.TryGetValue(fullName, out var repo))
        {
            Repositories[fullName] = repo = new FakeRepository(fullName);
        }

        return repo;
    }

    public FakeRateLimit RateLimitOf(string resource)
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (!_limits.TryGetValue(resource, out var limit) || limit.ResetAt <= now)
            {
                _limits[resource] = limit = new FakeRateLimit(RateLimit, RateLimit, TruncateToSecond(now.AddHours(1)));
            }

            return limit;
        }
    }

    /// <summary>Spends the rest of a resource's rate limit; it comes back at <paramref name="resetAt"/>.</summary>
    public void ExhaustRateLimit(string resource, DateTimeOffset resetAt)
    {
        lock (_lock)
        {
            _limits[resource] = new FakeRateLimit(RateLimit, 0, TruncateToSecond(resetAt));
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        AppKey.Dispose();
    }

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

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var isGraphQL = path == "/api/graphql";
        var resource = isGraphQL ? "graphql" : "core";
        var answer = await AnswerAsync(context, path, isGraphQL, resource);
        _requests.Enqueue(new RecordedRequest(request.Method, path + request.QueryString, answer.Status, isGraphQL ? "graphql" : "rest"));

        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.Charged is { } limit)
        {
            response.Headers["x-ratelimit-limit"] = limit.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-remaining"] = limit.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-used"] = (limit.Limit - limit.Remaining).ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-reset"] = limit.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-resource"] = resource;
        }

        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        if (answer.Body is not null && answer.Status != 304)
        {
            response.ContentType = answer.Body.StartsWith('<') ? "text/html" : "application/json; charset=utf-8";
            await response.WriteAsync(answer.Body);
        }
    }

    private async Task<Answer> AnswerAsync(HttpContext context, string path, bool isGraphQL, string resource)
    {
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

        if (fault?.Status == 502)
        {
            return new Answer(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", null, []);
        }

        if (fault?.Status == 403)
        {
            var headers = fault.RetryAfter is { } seconds ? [("retry-after", seconds.ToString(CultureInfo.InvariantCulture))] : new List<(string, string)>();
            return new Answer(403, """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}""",
                null, headers);
        }

        if (fault?.Status is { } status)
        {
            return new Answer(status, $$"""{"message":"fault {{status}}"}""", null, []);
        }

        var isApp = path.StartsWith("/api/v3/app/", StringComparison.Ordinal) || path.EndsWith("/installation", StringComparison.Ordinal);
        if (!Authorized(context.Request, isApp))
        {
            return new Answer(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""", null, []);
        }

        var limit = RateLimitOf(resource);
        if (limit.Remaining <= 0)
        {
            return isGraphQL
                ? new Answer(200, """{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}""", limit, [])
                : new Answer(403, """{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""", limit, []);
        }

        var (code, body, link) = isGraphQL ? await GraphQLAsync(context.Request) : Rest(context.Request, path);
        var extra = new List<(string, string)>();
        if (link is not null)
        {
            extra.Add(("Link", link));
        }

        if (context.Request.Method == "GET" && code == 200)
        {
            var etag = $"W/\"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))).ToLowerInvariant()[..32]}\"";
            extra.Add(("ETag", etag));
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                // A conditional request that finds nothing new costs nothing.
                return new Answer(304, null, limit, extra);
            }
        }

        lock (_lock)
        {
            limit = _limits[resource] = limit with { Remaining = limit.Remaining - 1 };
        }

        return new Answer(code, body, limit, extra);
    }

    private bool Authorized(HttpRequest request, bool app)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) && !header.StartsWith("token ", StringComparison.Ordinal))
        {
            return false;
        }

        var token = header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        if (app)
        {
            return ValidJwt(token);
        }

        lock (_lock)
        {
            return token == Token || _installationTokens.Contains(token);
        }
    }

    // RS256 over header.claims with the App's key; iss is the App id; not expired.
    private bool ValidJwt(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var valid = AppKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        var root = claims.RootElement;
        return valid && root.GetProperty("iss").ToString() == AppId.ToString(CultureInfo.InvariantCulture)
                     && root.GetProperty("exp").GetInt64() > _clock.GetUtcNow().ToUnixTimeSeconds()
                     && root.GetProperty("iat").GetInt64() <= _clock.GetUtcNow().ToUnixTimeSeconds();
    }

    private async Task<(int, string, string?)> GraphQLAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        try
        {
            var document = GraphQLDocument.Parse(body.RootElement.GetProperty("query").GetString()!);
            var variables = body.RootElement.TryGetProperty("variables", out var v) ? v : (JsonElement?)null;
            var data = new GraphQLExecutor(document, variables).Execute(new QueryNode(this));
            return (200, new JsonObject { ["data"] = data }.ToJsonString(), null);
        }
        catch (GraphQLException e)
        {
            return (200, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = e.Message }) }.ToJsonString(), null);
        }
    }

    private string IssueInstallationToken()
    {
        var token = $"ghs_{Guid.NewGuid():N}";
        lock (_lock)
        {
            _installationTokens.Add(token);
        }

        return token;
    }

    public void RevokeInstallationTokens()
    {
        lock (_lock)
        {
            _installationTokens.Clear();
        }
    }

    public int InstallationTokensIssued { get; private set; }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private sealed record Answer(int Status, string? Body, FakeRateLimit? Charged, List<(string Name, string Value)> Headers);

    private sealed record Fault(int? Status, int? RetryAfter, TimeSpan? Delay, bool GraphQLOnly);
}

internal sealed record FakeRateLimit(int Limit, int Remaining, DateTimeOffset ResetAt);

internal sealed record RecordedRequest(string Method, string PathAndQuery, int Status, string Api);
