using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// The clusters the collector reads: one API client per entry of <c>Dora:Kubernetes:Clusters</c>,
/// or the one implicit cluster (named <c>""</c>) when none is listed.
/// </summary>
internal sealed class KubernetesClusters : IDisposable
{
    private readonly IReadOnlyList<KubernetesApiClient> _all;

    public KubernetesClusters(IOptions<KubernetesOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        _all = settings.Clusters.Count == 0
            ? [new KubernetesApiClient("", () => KubernetesConnection.Configure(null, settings, clock), settings)]
            : settings.Clusters.Select(c => new KubernetesApiClient(c.Name, () => KubernetesConnection.Configure(c, settings, clock), settings)).ToList();
    }

    /// <summary>Every cluster, in the order listed.</summary>
    public IReadOnlyList<KubernetesApiClient> All => _all;

    /// <summary>
    /// The clusters named (all of them when <paramref name="names"/> is empty); the names were
    /// checked against the list at start.
    /// </summary>
    public IReadOnlyList<KubernetesApiClient> Select(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? _all : _all.Where(c => names.Contains(c.Cluster, StringComparer.Ordinal)).ToList();

    /// <summary>
    /// One cluster by name; an empty name is the implicit cluster or the only listed one.
    /// Several listed clusters and no name is a configuration the validators refuse.
    /// </summary>
    public KubernetesApiClient Get(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return _all.Count == 1
                ? _all[0]
                : throw new InvalidOperationException("Dora:Kubernetes:Clusters lists several clusters: name the one to read.");
        }

        return _all.FirstOrDefault(c => c.Cluster == name)
               ?? throw new InvalidOperationException($"'{name}' is not a cluster of Dora:Kubernetes:Clusters.");
    }

    public void Dispose()
    {
        foreach (var client in _all)
        {
            client.Dispose();
        }
    }
}
