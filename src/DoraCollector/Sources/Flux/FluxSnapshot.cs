using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// What the inbox keeps of a Kustomization read from the Kubernetes API: revisions, the Ready
/// condition and the history, the folder it applies (<c>spec.path</c>), without what moves at every reconcile (last reconcile times and
/// counts, messages, inventory). Each distinct snapshot is kept under its own key, in the order
/// it was first seen, so <c>recompute</c> replays them in the order they happened.
/// </summary>
internal static class FluxSnapshot
{
    /// <summary>Annotations Flux copies into the object's events (without the prefix, by current controllers).</summary>
    public const string EventAnnotationPrefix = "event.toolkit.fluxcd.io/";

    public static FluxKustomization Trim(JsonElement item)
    {
        var k = item.Deserialize<FluxKustomization>(FluxMapper.Json) ?? throw new JsonException("a Kustomization is null");
        return k with
        {
            // Only the folder: an empty path (the artifact's root) is no folder.
            Spec = GitOps.GitOpsFolder.Normalize(k.Spec?.Path) is { } path ? new FluxKustomizationSpec(path) : null,
            Metadata = k.Metadata is null ? null : k.Metadata with
            {
                Annotations = k.Metadata.Annotations?.Where(a => a.Key.StartsWith(EventAnnotationPrefix, StringComparison.Ordinal))
                    .ToDictionary(a => a.Key, a => a.Value) is { Count: > 0 } kept ? kept : null,
            },
            Status = k.Status is null ? null : k.Status with
            {
                Conditions = k.Status.Conditions?.Where(c => c.Type == "Ready").ToList(),
                History = k.Status.History?.Select(h => h with
                {
                    Metadata = h.Metadata?.Where(m => m.Key is "revision" or "originRevision").ToDictionary(m => m.Key, m => m.Value),
                }).ToList(),
            },
        };
    }

    /// <summary><c>Kustomization/namespace/name</c>.</summary>
    public static string ObjectKey(FluxKustomization k) =>
        FluxObservations.ObjectKey("Kustomization", k.Metadata?.Namespace ?? "", k.Metadata?.Name ?? "");

    /// <summary><c>Kustomization/namespace/name</c>, after <c>cluster/</c> when it was read from a listed cluster.</summary>
    public static string StreamKey(FluxKustomization k) => k.Cluster is { Length: > 0 } cluster ? $"{cluster}/{ObjectKey(k)}" : ObjectKey(k);

    public static (string Key, string Json) Of(FluxKustomization k)
    {
        var json = JsonSerializer.Serialize(k, FluxMapper.Json);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        return ($"{StreamKey(k)}#{digest}", json);
    }
}
