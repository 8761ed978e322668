using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DoraCollector.IntegrationTests.Sources.Fakes;

/// <summary>
/// The Argo CD API server's <c>GET /api/v1/applications</c> in its wire format
/// (<c>v1alpha1ApplicationList</c>), behind a bearer token. Serves whatever Applications the
/// test gives it, in full (a real server would cut them to the requested <c>fields</c>).
/// </summary>
internal sealed class FakeArgoCdApi : IAsyncDisposable
{
    public const string Token = "argocd-account-token-0123456789";

    private readonly Lock _gate = new();
    private WebApplication _app = null!;
    private JsonObject[] _applications = [];
    private int _version = 1000;

    public Uri Url { get; private set; } = null!;

    /// <summary>The query string of every list request.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    public static async Task<FakeArgoCdApi> StartAsync()
    {
        var fake = new FakeArgoCdApi();
        (fake._app, fake.Url) = await LoopbackServer.StartAsync(app => app.MapGet("/api/v1/applications", fake.List));
        return fake;
    }

    /// <summary>From now on the server lists these Applications.</summary>
    public void Serve(params JsonObject[] applications)
    {
        lock (_gate)
        {
            _applications = applications.Select(a => (JsonObject)a.DeepClone()).ToArray();
            _version++;
        }
    }

    private IResult List(HttpRequest request)
    {
        Queries.Enqueue(request.QueryString.Value ?? "");
        if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Results.Json(new { error = "invalid session: token is invalid", code = 16, message = "invalid session" }, statusCode: 401);
        }

        lock (_gate)
        {
            var items = new JsonArray(_applications.Select(a => (JsonNode)a.DeepClone()).ToArray());
            var body = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = _applications.Length == 0 ? null : items,
            };
            return Results.Content(body.ToJsonString(), "application/json");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
