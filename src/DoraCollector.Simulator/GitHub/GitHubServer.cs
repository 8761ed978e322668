using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DoraCollector.Simulator.GitHub.GraphQL;
using DoraCollector.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DoraCollector.Simulator.GitHub;

/// <summary>
/// A GitHub Enterprise Server lookalike on a loopback port (REST under <c>/api/v3</c>, GraphQL at
/// <c>/api/graphql</c>), speaking GitHub's wire format: pagination with <c>Link</c>, ETags and 304s
/// (free of rate limit), <c>x-ratelimit-*</c> headers with exhaustion until the reset, token and
/// GitHub App auth. Times come from the given clock. Requests are answered under <see cref="Gate"/>;
/// whoever changes the repositories while it serves takes the same lock. An
/// <c>intercept</c> middleware sees every request first (to record requests or inject faults).
/// </summary>
internal sealed partial class GitHubServer : IAsyncDisposable
{
    public const string DefaultToken = "ghp_fake0123456789token";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, GitHubRateLimit> _limits = new(StringComparer.Ordinal);
    private readonly HashSet<string> _installationTokens = new(StringComparer.Ordinal);
    private readonly Lazy<RSA> _appKey = new(() => RSA.Create(2048));

    private GitHubServer(WebApplication app, TimeProvider clock, string token)
    {
        _app = app;
        _clock = clock;
        Token = token;
    }

    /// <summary>Held while a request is answered; take it to change the repositories of a running server.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The personal access token the server accepts.</summary>
    public string Token { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The <c>Dora:GitHub:ApiUrl</c> to give the collector.</summary>
    public string ApiUrl => new Uri(BaseUrl, "api/v3").ToString();

    public Dictionary<string, GitHubRepository> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<string>> Organizations { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests per hour of each resource (<c>core</c>, <c>graphql</c>).</summary>
    public int RateLimit { get; set; } = 5000;

    /// <summary>The GitHub App this server knows (its key signs the JWTs it accepts).</summary>
    public RSA AppKey => _appKey.Value;

    public long AppId { get; } = 4242;

    public long InstallationId { get; } = 777;

    public int InstallationTokensIssued { get; private set; }

    /// <param name="intercept">Middleware that sees each request before the server answers it.</param>
    public static async Task<GitHubServer> StartAsync(
        TimeProvider clock, string token = DefaultToken, int port = 0, Func<HttpContext, RequestDelegate, Task>? intercept = null,
        CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var github = new GitHubServer(app, clock, token);
        if (intercept is not null)
        {
            app.Use(intercept);
        }

        app.Run(github.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        github.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return github;
    }

    public GitHubRepository Repository(string fullName)
    {
        lock (Gate)
        {
            if (!Repositories.TryGetValue(fullName, out var repo))
            {
                Repositories[fullName] = repo = new GitHubRepository(fullName);
            }

            return repo;
        }
    }

    public GitHubRateLimit RateLimitOf(string resource)
    {
        lock (Gate)
        {
            var now = _clock.GetUtcNow();
            if (!_limits.TryGetValue(resource, out var limit) || limit.ResetAt <= now)
            {
                _limits[resource] = limit = new GitHubRateLimit(RateLimit, RateLimit, TruncateToSecond(now.AddHours(1)));
            }

            return limit;
        }
    }

    /// <summary>Sets what is left of a resource's rate limit until its reset (another client of the token spent it, say).</summary>
    public void SetRateLimit(string resource, GitHubRateLimit limit)
    {
        lock (Gate)
        {
            _limits[resource] = limit with { ResetAt = TruncateToSecond(limit.ResetAt) };
        }
    }

    public void RevokeInstallationTokens()
    {
        lock (Gate)
        {
            _installationTokens.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (_appKey.IsValueCreated)
        {
            _appKey.Value.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var isGraphQL = path == "/api/graphql";
        var resource = isGraphQL ? "graphql" : "core";
        JsonDocument? query = null;
        if (isGraphQL)
        {
            try
            {
                query = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException e)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { message = $"Problems parsing JSON: {e.Message}" }, context.RequestAborted);
                return;
            }
        }

        Answer answer;
        using (query)
        {
            lock (Gate)
            {
                answer = Respond(context, path, query, resource);
            }
        }

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
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    private Answer Respond(HttpContext context, string path, JsonDocument? query, string resource)
    {
        var isApp = path.StartsWith("/api/v3/app/", StringComparison.Ordinal) || path.EndsWith("/installation", StringComparison.Ordinal);
        if (!Authorized(context.Request, isApp))
        {
            return new Answer(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""", null, []);
        }

        var limit = RateLimitOf(resource);
        if (limit.Remaining <= 0)
        {
            return query is not null
                ? new Answer(200, """{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}""", limit, [])
                : new Answer(403, """{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""", limit, []);
        }

        var (code, body, link) = query is not null ? GraphQL(query.RootElement) : Rest(context.Request, path);
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

        limit = _limits[resource] = limit with { Remaining = limit.Remaining - 1 };
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
        return app ? ValidJwt(token) : token == Token || _installationTokens.Contains(token);
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
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        return valid && root.GetProperty("iss").ToString() == AppId.ToString(CultureInfo.InvariantCulture)
                     && root.GetProperty("exp").GetInt64() > now
                     && root.GetProperty("iat").GetInt64() <= now;
    }

    private (int, string, string?) GraphQL(JsonElement body)
    {
        try
        {
            var document = GraphQLDocument.Parse(body.GetProperty("query").GetString()!);
            var variables = body.TryGetProperty("variables", out var v) ? v : (JsonElement?)null;
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
        var token = $"ghs_{Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()}";
        _installationTokens.Add(token);
        InstallationTokensIssued++;
        return token;
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private sealed record Answer(int Status, string? Body, GitHubRateLimit? Charged, List<(string Name, string Value)> Headers);
}

/// <summary>A resource's rate limit: requests per hour, left, and when it is reset.</summary>
internal sealed record GitHubRateLimit(int Limit, int Remaining, DateTimeOffset ResetAt);
