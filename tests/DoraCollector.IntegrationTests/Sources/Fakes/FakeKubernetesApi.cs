using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Net;
using DoraCollector.Simulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DoraCollector.IntegrationTests.Sources.Fakes;

/// <summary>
/// The parts of a Kubernetes API server an informer uses, in the wire format of
/// api-concepts.md: list (<c>limit</c>/<c>continue</c> pages, the list's
/// <c>metadata.resourceVersion</c>, equality <c>labelSelector</c>) and watch (one JSON event per
/// line from a resource version, bookmarks, 410 Gone as a status code for a compacted version or
/// as an <c>ERROR</c> event), for namespaced resources at
/// <c>/apis/{group}/{version}[/namespaces/{ns}]/{plural}</c>, and get of one object at
/// <c>/apis/{group}/{version}/namespaces/{ns}/{plural}/{name}</c> (404 when there is none), behind a bearer token or, when
/// started with a client CA, a client certificate it signed (the user is the certificate's CN).
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    public const string Token = "kubernetes-service-account-token-0123456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Collection, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<(long Version, string Collection, string Type, JsonObject Object)> _events = [];
    private WebApplication _app = null!;
    private long _version = 100;
    private long _compactedBelow;
    private int _goneEvents;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _closeWatches = new();

    public Uri Url { get; private set; } = null!;

    /// <summary>The token the server accepts (a rotated token changes it).</summary>
    public string ExpectedToken { get; set; } = Token;

    /// <summary>Continue tokens are refused with 410, as after about five minutes.</summary>
    public bool ExpireContinueTokens { get; set; }

    /// <summary><c>LIST path?query</c>, <c>WATCH path?query</c> and <c>GET path</c> of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The user a client certificate must name (its CN) when the server takes client certificates.</summary>
    public const string CertificateUser = "dora-collector";

    public static async Task<FakeKubernetesApi> StartAsync(X509Certificate2? certificate = null)
    {
        var fake = new FakeKubernetesApi();
        (fake._app, fake.Url) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", fake.HandleAsync), certificate);
        return fake;
    }

    /// <summary>Over HTTPS, also taking client certificates signed by <paramref name="clientAuthority"/>, as an API server's <c>--client-ca-file</c>.</summary>
    public static async Task<FakeKubernetesApi> StartAsync(X509Certificate2 certificate, X509Certificate2 clientAuthority)
    {
        var fake = new FakeKubernetesApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = (client, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(clientAuthority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(client);
            };
        })));
        fake._app = builder.Build();
        fake._app.Map("/{**path}", fake.HandleAsync);
        await fake._app.StartAsync();
        fake.Url = new Uri(fake._app.Urls.Single().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Creates or replaces an object of a collection (<c>argoproj.io/v1alpha1/applications</c>) at a new resource version.</summary>
    public void Put(string collection, JsonObject obj)
    {
        lock (_gate)
        {
            var copy = (JsonObject)obj.DeepClone();
            var metadata = copy["metadata"]!.AsObject();
            metadata["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            var key = (collection, (string?)metadata["namespace"] ?? "", (string)metadata["name"]!);
            var type = _objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            _objects[key] = copy;
            _events.Add((_version, collection, type, copy));
            Signal();
        }
    }

    /// <summary>
    /// Other resources changed and etcd compacted its history: every version handed out so far
    /// is too old to watch from (410), and a new list carries a newer one.
    /// </summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedBelow = ++_version;
        }
    }

    /// <summary>The next watch request gets an <c>ERROR</c> event with a 410 Status instead of events.</summary>
    public void SendGoneEventOnNextWatch() => Interlocked.Increment(ref _goneEvents);

    /// <summary>Ends every open watch stream, as the server does at <c>timeoutSeconds</c>.</summary>
    public void CloseWatches()
    {
        var old = Interlocked.Exchange(ref _closeWatches, new CancellationTokenSource());
        old.Cancel();
    }

    private async Task HandleAsync(HttpContext context, string path)
    {
        var request = context.Request;
        var query = request.Query;
        var watch = query["watch"] is var w && (w == "1" || w == "true");
        var one = ParseObject(path);
        Requests.Enqueue($"{(watch ? "WATCH" : one is null ? "LIST" : "GET")} /{path}{request.QueryString}");
        var byCertificate = context.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, false) == CertificateUser;
        if (!byCertificate && request.Headers.Authorization.ToString() != $"Bearer {ExpectedToken}")
        {
            await StatusAsync(context.Response, 401, "Unauthorized", "Unauthorized");
            return;
        }

        if (one is { } wanted)
        {
            await GetAsync(context, wanted);
            return;
        }

        if (Parse(path) is not { } target)
        {
            await StatusAsync(context.Response, 404, "NotFound", $"the server could not find the requested resource ({path})");
            return;
        }

        var selector = ParseSelector(query["labelSelector"]);
        if (watch)
        {
            await WatchAsync(context, target, selector, long.Parse(query["resourceVersion"]!, CultureInfo.InvariantCulture),
                int.Parse(query["timeoutSeconds"].FirstOrDefault() ?? "300", CultureInfo.InvariantCulture));
        }
        else
        {
            await ListAsync(context, target, selector, int.Parse(query["limit"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture),
                query["continue"].FirstOrDefault());
        }
    }

    private async Task ListAsync(HttpContext context, (string Collection, string? Namespace) target, Dictionary<string, string> selector, int limit, string? next)
    {
        if (next is not null && ExpireContinueTokens)
        {
            await StatusAsync(context.Response, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
            return;
        }

        JsonObject[] items;
        long version;
        lock (_gate)
        {
            version = _version;
            items = _objects.Where(o => o.Key.Collection == target.Collection && (target.Namespace is null || o.Key.Namespace == target.Namespace))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value).Where(o => Matches(o, selector)).Select(o => (JsonObject)o.DeepClone()).ToArray();
        }

        var offset = next is null ? 0 : int.Parse(next.Split(':')[0], CultureInfo.InvariantCulture);
        if (next is not null)
        {
            version = long.Parse(next.Split(':')[1], CultureInfo.InvariantCulture);
        }

        var page = limit > 0 ? items.Skip(offset).Take(limit).ToArray() : items;
        var more = limit > 0 && offset + limit < items.Length;
        var body = new JsonObject
        {
            ["kind"] = "List",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture),
                ["continue"] = more ? $"{offset + limit}:{version}" : null,
            },
            ["items"] = new JsonArray(page.Select(i => (JsonNode)i).ToArray()),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private async Task GetAsync(HttpContext context, (string Collection, string Namespace, string Name) key)
    {
        JsonObject? found;
        lock (_gate)
        {
            found = _objects.TryGetValue(key, out var stored) ? (JsonObject)stored.DeepClone() : null;
        }

        if (found is null)
        {
            await StatusAsync(context.Response, 404, "NotFound", $"{key.Collection} \"{key.Name}\" not found");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(found.ToJsonString());
    }

    private async Task WatchAsync(
        HttpContext context, (string Collection, string? Namespace) target, Dictionary<string, string> selector, long from, int timeoutSeconds)
    {
        if (from < Interlocked.Read(ref _compactedBelow))
        {
            await StatusAsync(context.Response, 410, "Expired", $"too old resource version: {from} ({_compactedBelow})");
            return;
        }

        var response = context.Response;
        response.ContentType = "application/json";
        await response.StartAsync();
        if (Interlocked.Decrement(ref _goneEvents) >= 0)
        {
            await LineAsync(response, new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = new JsonObject
                {
                    ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Expired", ["code"] = 410,
                    ["message"] = $"too old resource version: {from}",
                },
            });
            return;
        }

        Interlocked.Exchange(ref _goneEvents, 0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _closeWatches.Token);
        stop.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var position = from;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Task changed;
                List<(long Version, string Type, JsonObject Object)> pending;
                lock (_gate)
                {
                    changed = _changed.Task;
                    pending = _events.Where(e => e.Version > position && e.Collection == target.Collection
                                                 && (target.Namespace is null || (string?)e.Object["metadata"]!["namespace"] == target.Namespace)
                                                 && Matches(e.Object, selector))
                        .Select(e => (e.Version, e.Type, (JsonObject)e.Object.DeepClone())).ToList();
                    position = Math.Max(position, _version);
                }

                foreach (var e in pending)
                {
                    await LineAsync(response, new JsonObject { ["type"] = e.Type, ["object"] = e.Object });
                }

                // A bookmark carries only the version the watch has reached.
                await LineAsync(response, new JsonObject
                {
                    ["type"] = "BOOKMARK",
                    ["object"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["resourceVersion"] = position.ToString(CultureInfo.InvariantCulture) },
                    },
                });
                await changed.WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ends: timeout, closed by the test, or the client went away.
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private static async Task LineAsync(HttpResponse response, JsonObject line)
    {
        await response.WriteAsync(line.ToJsonString() + "\n");
        await response.Body.FlushAsync();
    }

    private static Task StatusAsync(HttpResponse response, int code, string reason, string message)
    {
        response.StatusCode = code;
        response.ContentType = "application/json";
        return response.WriteAsync(new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = reason, ["code"] = code,
        }.ToJsonString());
    }

    // apis/{group}/{version}/{plural} or apis/{group}/{version}/namespaces/{ns}/{plural}
    private static (string Collection, string? Namespace)? Parse(string path)
    {
        var s = path.Trim('/').Split('/');
        return s switch
        {
            ["apis", var g, var v, var plural] => ($"{g}/{v}/{plural}", null),
            ["apis", var g, var v, "namespaces", var ns, var plural] => ($"{g}/{v}/{plural}", ns),
            _ => null,
        };
    }

    // apis/{group}/{version}/namespaces/{ns}/{plural}/{name}
    private static (string Collection, string Namespace, string Name)? ParseObject(string path) =>
        path.Trim('/').Split('/') is ["apis", var g, var v, "namespaces", var ns, var plural, var name] ? ($"{g}/{v}/{plural}", ns, name) : null;

    private static Dictionary<string, string> ParseSelector(string? selector) =>
        (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(term => term.Split('=', 2))
        .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    private static bool Matches(JsonObject obj, Dictionary<string, string> selector) =>
        selector.All(s => (string?)obj["metadata"]?["labels"]?[s.Key] == s.Value);

    public async ValueTask DisposeAsync()
    {
        CloseWatches();
        await _app.DisposeAsync();
    }
}
