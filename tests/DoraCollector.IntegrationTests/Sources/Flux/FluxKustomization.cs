using System.Text.Json.Nodes;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.Flux;

/// <summary>
/// A Kustomization (kustomize.toolkit.fluxcd.io/v1) as the API server returns it, with the
/// five-entry <c>status.history</c> of kustomize-controller, newest first, and the fields that move
/// at every reconcile (lastReconciled, totalReconciliations, lastHandledReconcileAt, inventory).
/// </summary>
internal sealed class FluxKustomization(string name, string @namespace = "flux-system")
{
    private readonly List<JsonObject> _history = [];
    private readonly JsonObject _labels = new() { ["kustomize.toolkit.fluxcd.io/name"] = "flux-system" };
    private readonly JsonObject _annotations = new() { ["kustomize.toolkit.fluxcd.io/reconcile"] = "enabled" };
    private JsonObject _ready = Condition("Ready", "Unknown", "Progressing", DateTimeOffset.UnixEpoch);
    private string? _applied;
    private string? _attempted;
    private int _reconciles;
    private string[] _inventory = ["apps_podinfo_apps_Deployment"];
    private string _path = $"./apps/{name}";

    public FluxKustomization Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public FluxKustomization Annotate(string key, string value)
    {
        _annotations[key] = value;
        return this;
    }

    /// <summary>The folder of its source it applies (<c>spec.path</c>); <c>./apps/&lt;name&gt;</c> unless set.</summary>
    public FluxKustomization Path(string path)
    {
        _path = path;
        return this;
    }

    /// <summary>The objects it applied, as <c>status.inventory.entries[].id</c> names them (<c>shop_checkout_apps_Deployment</c>).</summary>
    public FluxKustomization Inventory(params string[] ids)
    {
        _inventory = ids;
        return this;
    }

    /// <summary>Revision <paramref name="revision"/> (<c>main@sha1:…</c>) was applied at <paramref name="at"/> and is Ready.</summary>
    public FluxKustomization Applied(string revision, DateTimeOffset at)
    {
        _history.Insert(0, new JsonObject
        {
            ["digest"] = $"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(revision)))}",
            ["firstReconciled"] = Time(at),
            ["lastReconciled"] = Time(at),
            ["lastReconciledDuration"] = "2.818583s",
            ["lastReconciledStatus"] = "ReconciliationSucceeded",
            ["totalReconciliations"] = 1,
            ["metadata"] = new JsonObject { ["revision"] = revision },
        });
        if (_history.Count > 5)
        {
            _history.RemoveAt(5);
        }

        (_applied, _attempted) = (revision, revision);
        _ready = Condition("Ready", "True", "ReconciliationSucceeded", at, $"Applied revision: {revision}");
        return this;
    }

    /// <summary>Applying <paramref name="revision"/> failed at <paramref name="at"/>.</summary>
    public FluxKustomization Failing(string revision, DateTimeOffset at)
    {
        _attempted = revision;
        _ready = Condition("Ready", "False", "HealthCheckFailed", at, "health check failed after 5m0s: timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']");
        return this;
    }

    /// <summary>Another periodic reconcile of what is applied: only counters and times move.</summary>
    public FluxKustomization Reconciled(DateTimeOffset at)
    {
        _reconciles++;
        if (_history.Count > 0)
        {
            _history[0]["lastReconciled"] = Time(at);
            _history[0]["totalReconciliations"] = 1 + _reconciles;
        }

        return this;
    }

    public JsonObject ToJson() => new()
    {
        ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
        ["kind"] = "Kustomization",
        ["metadata"] = new JsonObject
        {
            ["name"] = name, ["namespace"] = @namespace, ["generation"] = 3, ["uid"] = "7d0cdc51-ddcf-4743-b223-83ca5c699632",
            ["finalizers"] = new JsonArray("finalizers.fluxcd.io"),
            ["labels"] = _labels.DeepClone(),
            ["annotations"] = _annotations.DeepClone(),
        },
        ["spec"] = new JsonObject
        {
            ["interval"] = "10m0s", ["path"] = _path, ["prune"] = true,
            ["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = "flux-system" },
        },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(_ready.DeepClone(), Condition("Healthy", "True", "Succeeded", DateTimeOffset.UnixEpoch.AddSeconds(_reconciles))),
            ["history"] = new JsonArray(_history.Select(h => h.DeepClone()).ToArray()),
            ["inventory"] = new JsonObject
            {
                ["entries"] = new JsonArray(_inventory.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["v"] = "v1" }).ToArray()),
            },
            ["lastAppliedRevision"] = _applied,
            ["lastAttemptedRevision"] = _attempted,
            ["lastHandledReconcileAt"] = $"2026-03-10T0{_reconciles % 10}:00:00Z",
            ["observedGeneration"] = 3,
        },
    };

    private static JsonObject Condition(string type, string status, string reason, DateTimeOffset at, string message = "") => new()
    {
        ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message,
        ["lastTransitionTime"] = Time(at), ["observedGeneration"] = 3,
    };
}
