using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
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
        string severity = "info", string kind = "Kustomization", string ns = "flux-system", Dictionary<string, string>? metadata = null)
    {
        var helm = kind == "HelmRelease";
        var meta = new JsonObject { ["revision"] = revision };
        if (reason == "ReconciliationSucceeded")
        {
            meta["commit_status"] = "update";
        }

        foreach (var (key, value) in metadata ?? [])
        {
            meta[key] = value;
        }

        return new JsonObject
        {
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = helm ? "helm.toolkit.fluxcd.io/v2" : "kustomize.toolkit.fluxcd.io/v1",
                ["kind"] = kind, ["name"] = name, ["namespace"] = ns, ["uid"] = "2f0c8f7e-3d0a-4c5e-9b1a-2f1d6c7e8a90",
            },
            ["severity"] = severity,
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["reason"] = reason,
            ["message"] = severity == "error"
                ? "Deployment/podinfo/podinfo dry-run failed: spec.template.spec.containers[0].image: Required value"
                : $"Reconciliation finished in {at.Second + 120}.5ms, next run in 10m0s",
            ["metadata"] = meta,
            ["reportingController"] = helm ? "helm-controller" : "kustomize-controller",
            ["reportingInstance"] = helm ? "helm-controller-5b4c7d9f8-x2k4q" : "kustomize-controller-7c7b47f5f-8bhrp",
        };
    }

    /// <summary>What the generic-hmac Provider sends: the body with <c>X-Signature: sha256=&lt;hex&gt;</c>.</summary>
    public Task<HttpResponseMessage> SignedAsync(string body, string secret = Secret) =>
        GitOpsKit.PostAsync(Engine, FluxWebhookEndpoints.Path, body,
            ("X-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)))),
            ("Gotk-Component", "kustomize-controller"));

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
