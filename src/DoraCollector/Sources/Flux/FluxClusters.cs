using DoraCollector.Ingestion;
using DoraCollector.Projection;
using DoraCollector.Sources.Kubernetes;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// The cluster a Flux rollout ran on (docs/metrics.md, "Clusters"; docs/sources/flux.md,
/// "Several clusters"). A Kustomization read from the Kubernetes API: the cluster it was read
/// from. An event: the <c>cluster</c> query parameter of the Provider's address
/// (<c>/webhooks/flux?cluster=eu</c>), else the <c>X-Dora-Cluster</c> header, else the event
/// metadata <c>cluster</c> (an Alert's <c>eventMetadata</c>); without any of them the implicit
/// cluster <c>""</c>, unless <c>Dora:Kubernetes:Clusters</c> lists exactly one cluster, which it
/// then is, so poll and webhook agree.
/// </summary>
internal static class FluxClusters
{
    public const string QueryParameter = "cluster";
    public const string Header = "X-Dora-Cluster";
    public const string MetadataKey = "cluster";

    /// <summary>
    /// The cluster a webhook request names (query, then header): null when none (an empty
    /// <c>?cluster=</c>, as the shipped Provider has it, names none); the problem when it is no cluster name.
    /// </summary>
    public static (string? Cluster, string? Problem) OfRequest(HttpRequest request)
    {
        foreach (var (where, value) in new[] { ($"the query parameter '{QueryParameter}'", request.Query[QueryParameter].ToString()),
                     ($"the header {Header}", request.Headers[Header].ToString()) })
        {
            if (value.Length > 0)
            {
                return ClusterNames.IsValid(value) ? (value, null) : (null, $"{where} ('{Shorten(value)}') is not a cluster name: {ClusterNames.Rule}.");
            }
        }

        return (null, null);
    }

    /// <summary>The problem with the event metadata's cluster, or null when it has none or a good one.</summary>
    public static string? MetadataProblem(FluxEvent e) =>
        FluxObservations.Metadata(e, MetadataKey) is { } value && !ClusterNames.IsValid(value.Trim())
            ? $"the event metadata '{MetadataKey}' ('{Shorten(value)}') is not a cluster name: {ClusterNames.Rule}."
            : null;

    /// <summary>
    /// The inbox key of a delivery: the digest of its body, after <c>cluster/</c> when the request
    /// named one (the body does not carry it, and the same body from two clusters is two events).
    /// </summary>
    public static string DeliveryKey(string digest, string? cluster) => cluster is null ? digest : $"{cluster}/{digest}";

    /// <summary>The cluster of a stored event (see the class summary).</summary>
    public static string OfEvent(RawEventRecord raw, FluxEvent e, KubernetesOptions kubernetes)
    {
        if (raw.ExternalId.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
        {
            return raw.ExternalId[..slash];
        }

        if (FluxObservations.Metadata(e, MetadataKey)?.Trim() is { } named)
        {
            return ClusterNames.IsValid(named)
                ? named
                : throw new InvalidPayloadException($"the event metadata '{MetadataKey}' is not a cluster name: {ClusterNames.Rule}");
        }

        return kubernetes.SoleClusterName;
    }

    /// <summary>The cluster of a stored Kustomization snapshot: the one it was read from.</summary>
    public static string OfSnapshot(FluxKustomization k) => k.Cluster ?? "";

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
