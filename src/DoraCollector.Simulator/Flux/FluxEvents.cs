using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DoraCollector.Simulator.Flux;

/// <summary>
/// Events as kustomize-controller and helm-controller emit them through a current
/// notification-controller (the body a <c>generic</c> or <c>generic-hmac</c> Provider posts).
/// </summary>
internal static class FluxEvents
{
    public const string Succeeded = "ReconciliationSucceeded";

    /// <param name="metadata">What the Alert's <c>eventMetadata</c> (or the object's event annotations) add.</param>
    public static JsonObject Event(string name, string revision, DateTimeOffset at, string reason = Succeeded,
        string severity = "info", string kind = "Kustomization", string ns = "flux-system", IReadOnlyDictionary<string, string>? metadata = null,
        string? message = null)
    {
        var helm = kind == "HelmRelease";
        var meta = new JsonObject { ["revision"] = revision };
        if (reason == Succeeded)
        {
            meta["commit_status"] = "update";
        }

        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            meta[key] = value;
        }

        return new JsonObject
        {
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = helm ? "helm.toolkit.fluxcd.io/v2" : "kustomize.toolkit.fluxcd.io/v1",
                ["kind"] = kind, ["name"] = name, ["namespace"] = ns, ["uid"] = Uid(kind, ns, name),
            },
            ["severity"] = severity,
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["reason"] = reason,
            ["message"] = message ?? (severity == "error"
                ? $"Deployment/{ns}/{name} dry-run failed: spec.template.spec.containers[0].image: Required value"
                : $"Reconciliation finished in {(at.Second + 120).ToString(CultureInfo.InvariantCulture)}.5ms, next run in 10m0s"),
            ["metadata"] = meta,
            ["reportingController"] = helm ? "helm-controller" : "kustomize-controller",
            ["reportingInstance"] = helm ? "helm-controller-5b4c7d9f8-x2k4q" : "kustomize-controller-7c7b47f5f-8bhrp",
        };
    }

    /// <summary>A Git revision as kustomize-controller reports it: <c>main@sha1:&lt;sha&gt;</c>.</summary>
    public static string Revision(string branch, string sha) => $"{branch}@sha1:{sha}";

    private static string Uid(string kind, string ns, string name)
    {
        var hex = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}/{ns}/{name}"))).ToLowerInvariant();
        return $"{hex[..8]}-{hex[8..12]}-4{hex[13..16]}-9{hex[17..20]}-{hex[20..32]}";
    }
}
