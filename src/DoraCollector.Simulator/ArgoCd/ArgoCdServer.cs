using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using DoraCollector.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DoraCollector.Simulator.ArgoCd;

/// <summary>
/// The Argo CD API server's <c>GET /api/v1/applications</c> in its wire format
/// (<c>v1alpha1ApplicationList</c>), behind a bearer token. Serves whatever Applications it was
/// last given, in full (a real server would cut them to the requested <c>fields</c>).
/// </summary>
internal sealed class ArgoCdServer : IAsyncDisposable
{
    public const string DefaultToken = "argocd-account-token-0123456789";

    private readonly Lock _gate = new();
    private WebApplication _app = null!;
    private JsonObject[] _applications = [];
    private int _version = 1000;

    private ArgoCdServer(string token) => Token = token;

    public string Token { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>The query string of every list request.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    public static async Task<ArgoCdServer> StartAsync(string token = DefaultToken, int port = 0, CancellationToken ct = default)
    {
        var server = new ArgoCdServer(token);
        (server._app, server.Url) = await LoopbackServer.StartAsync(app => app.MapGet("/api/v1/applications", server.List), port: port, ct: ct);
        return server;
    }

    /// <summary>From now on the server lists these Applications.</summary>
    public void Serve(params JsonObject[] applications)
    {
        var copies = applications.Select(a => (JsonObject)a.DeepClone()).ToArray();
        lock (_gate)
        {
            _applications = copies;
            _version++;
        }
    }

    private IResult List(HttpRequest request)
    {
        if (Queries.Count < 10_000)
        {
            Queries.Enqueue(request.QueryString.Value ?? "");
        }

        if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Results.Json(new { error = "invalid session: token is invalid", code = 16, message = "invalid session" }, statusCode: 401);
        }

        string body;
        lock (_gate)
        {
            body = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture) },
                ["items"] = _applications.Length == 0 ? null : new JsonArray(_applications.Select(a => (JsonNode)a.DeepClone()).ToArray()),
            }.ToJsonString();
        }

        return Results.Content(body, "application/json");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
