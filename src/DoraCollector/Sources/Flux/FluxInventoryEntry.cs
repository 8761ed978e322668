using System.Text.Json;

namespace DoraCollector.Sources.Flux;

/// <summary>One object a Kustomization applied, as its <c>status.inventory.entries[].id</c> names it.</summary>
/// <param name="Group">The API group; <c>""</c> for the core group.</param>
internal sealed record FluxInventoryEntry(string Namespace, string Name, string Group, string Kind)
{
    /// <summary>
    /// The workload kinds whose pod template names the images a rollout runs, with their
    /// collection in <c>apps/v1</c>.
    /// </summary>
    private static readonly Dictionary<string, string> Workloads = new(StringComparer.Ordinal)
    {
        ["Deployment"] = "deployments", ["StatefulSet"] = "statefulsets", ["DaemonSet"] = "daemonsets",
    };

    /// <summary>
    /// The entry of an inventory id <c>&lt;namespace&gt;_&lt;name&gt;_&lt;group&gt;_&lt;kind&gt;</c>
    /// (<c>shop_checkout_apps_Deployment</c>; a cluster-scoped object has an empty namespace, a
    /// core object an empty group); null when the id is not of that form. Kubernetes names,
    /// namespaces, groups and kinds hold no underscore, so the id splits in exactly four.
    /// </summary>
    public static FluxInventoryEntry? Parse(string? id) =>
        id?.Split('_') is [var ns, { Length: > 0 } name, var group, { Length: > 0 } kind] ? new FluxInventoryEntry(ns, name, group, kind) : null;

    /// <summary>The object's API path when it is a namespaced <c>apps</c> Deployment, StatefulSet or DaemonSet; else null.</summary>
    public string? WorkloadPath =>
        Group == "apps" && Namespace.Length > 0 && Workloads.TryGetValue(Kind, out var plural)
            ? $"apis/apps/v1/namespaces/{Uri.EscapeDataString(Namespace)}/{plural}/{Uri.EscapeDataString(Name)}"
            : null;

    /// <summary>The workloads of a Kustomization's <c>status.inventory.entries</c>, in order, each once.</summary>
    public static IReadOnlyList<FluxInventoryEntry> WorkloadsOf(JsonElement kustomization)
    {
        if (!kustomization.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("inventory", out var inventory) || inventory.ValueKind != JsonValueKind.Object
            || !inventory.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return entries.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? Parse(id.GetString()) : null)
            .Where(e => e?.WorkloadPath is not null).Select(e => e!).Distinct().ToList();
    }

    /// <summary>The images of a workload's <c>spec.template.spec.containers[].image</c> (init containers do not serve the rollout).</summary>
    public static IReadOnlyList<string> ImagesOf(JsonElement workload) =>
        workload.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
        && spec.TryGetProperty("template", out var template) && template.ValueKind == JsonValueKind.Object
        && template.TryGetProperty("spec", out var pod) && pod.ValueKind == JsonValueKind.Object
        && pod.TryGetProperty("containers", out var containers) && containers.ValueKind == JsonValueKind.Array
            ? containers.EnumerateArray()
                .Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.String
                    ? image.GetString()!.Trim() : "")
                .Where(i => i.Length > 0).ToList()
            : [];
}
