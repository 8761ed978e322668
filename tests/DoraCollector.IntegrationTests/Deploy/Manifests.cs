using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>The rendered objects of a kustomization, and what the tests ask of them.</summary>
internal sealed class Manifests(string folder, IReadOnlyList<JsonNode> objects)
{
    public const string Namespace = "dora";

    /// <summary>Every overlay a platform team can point Argo CD or Flux at.</summary>
    public static readonly string[] Overlays = ["development", "production", "aks", "gke", "eks", "multi-cluster"];

    public string Folder { get; } = folder;

    public IReadOnlyList<JsonNode> Objects { get; } = objects;

    public static async Task<Manifests> BuildAsync(string folder) => new(folder, await Kubectl.KustomizeAsync(folder));

    public static Task<Manifests> OverlayAsync(string overlay) => BuildAsync($"deploy/kubernetes/overlays/{overlay}");

    public IEnumerable<JsonNode> OfKind(string kind) => Objects.Where(o => Str(o["kind"]) == kind);

    public JsonNode Single(string kind, string name) =>
        Objects.SingleOrDefault(o => Str(o["kind"]) == kind && Str(o["metadata"]?["name"]) == name)
        ?? throw new Xunit.Sdk.XunitException($"{Folder} renders no {kind} {name}; it has: {string.Join(", ", Objects.Select(Describe))}");

    public JsonNode? Find(string kind, string name) =>
        Objects.SingleOrDefault(o => Str(o["kind"]) == kind && Str(o["metadata"]?["name"]) == name);

    public JsonNode Collector => Single("Deployment", "dora-collector");

    public JsonNode PodSpec(JsonNode workload) => workload["spec"]!["template"]!["spec"]!;

    /// <summary>Init containers and containers of a workload.</summary>
    public static IEnumerable<JsonNode> Containers(JsonNode podSpec) =>
        Nodes(podSpec["initContainers"]).Concat(Nodes(podSpec["containers"]));

    public static IEnumerable<JsonNode> Nodes(JsonNode? array) => array?.AsArray().Select(n => n!) ?? [];

    public static string? Str(JsonNode? node) => node?.GetValue<string>();

    public static string Describe(JsonNode o) => $"{Str(o["kind"])}/{Str(o["metadata"]?["name"])}";

    /// <summary>A label map (<c>matchLabels</c>, a Service's selector, <c>metadata.labels</c>) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonNode? map) =>
        map?.AsObject().ToDictionary(p => p.Key, p => Str(p.Value) ?? "") ?? [];

    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
}
