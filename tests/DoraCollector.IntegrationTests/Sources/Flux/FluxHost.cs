using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Simulator.Flux;
using DoraCollector.Simulator.Sending;
using DoraCollector.Sources.Flux;

namespace DoraCollector.IntegrationTests.Sources.Flux;

/// <summary>The collector on its own database, receiving the notification-controller's events.</summary>
internal sealed class FluxHost(EngineHost engine) : IAsyncDisposable
{
    public const string Secret = "flux-generic-hmac-key-0123456789";
    public const string Token = "flux-generic-bearer-0123456789";

    public EngineHost Engine { get; } = engine;

    public static async Task<FluxHost> StartAsync(DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null, bool bearer = true)
    {
        var all = new Dictionary<string, string?> { ["Dora:Flux:WebhookSecret"] = Secret };
        if (bearer)
        {
            all["Dora:Flux:WebhookToken"] = Token;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new FluxHost(await EngineHost.StartAsync(now, all));
    }

    /// <summary>An event as kustomize-controller or helm-controller emits it through a current notification-controller.</summary>
    public static JsonObject Event(string name, string revision, DateTimeOffset at, string reason = "ReconciliationSucceeded",
        string severity = "info", string kind = "Kustomization", string ns = "flux-system", Dictionary<string, string>? metadata = null) =>
        FluxEvents.Event(name, revision, at, reason, severity, kind, ns, metadata);

    /// <summary>What the generic-hmac Provider sends: the body with <c>X-Signature: sha256=&lt;hex&gt;</c>.</summary>
    public Task<HttpResponseMessage> SignedAsync(string body, string secret = Secret) => SignedToAsync(FluxWebhookEndpoints.Path, body, secret);

    /// <summary>As <see cref="SignedAsync"/>, to <paramref name="address"/> (a Provider address with a query) with more headers.</summary>
    public Task<HttpResponseMessage> SignedToAsync(string address, string body, string secret = Secret, params (string Name, string Value)[] headers) =>
        GitOpsKit.PostAsync(Engine, address, body,
            [("X-Signature", WebhookSignatures.Sha256(secret, body)), ("Gotk-Component", "kustomize-controller"), .. headers]);

    /// <summary>Posts each event signed and settles the pipeline.</summary>
    public async Task DeliverAsync(params JsonObject[] events)
    {
        foreach (var e in events)
        {
            var response = await SignedAsync(e.ToJsonString());
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await Engine.SettleAsync();
    }

    public Task<List<string>> DeploymentsAsync(string? service = null) => GitOpsKit.DeploymentLinesAsync(Engine, service);

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
