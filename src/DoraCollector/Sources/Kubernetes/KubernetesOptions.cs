namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// <c>Dora:Kubernetes</c>: how the collector reaches the Kubernetes API when a source reads
/// resources from it (<c>Dora:ArgoCd:UseKubernetesApi</c>, <c>Dora:Flux:UseKubernetesApi</c>).
/// Without <see cref="Clusters"/> there is one implicit cluster (named <c>""</c>), and inside a
/// pod the defaults are right: the API server from <c>KUBERNETES_SERVICE_HOST</c> and
/// <c>KUBERNETES_SERVICE_PORT</c>, the service-account token and CA from their mounted files.
/// </summary>
internal sealed class KubernetesOptions
{
    public const string Section = "Dora:Kubernetes";

    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// API server URL of the implicit cluster; empty means in-cluster. <c>http://127.0.0.1:8001</c>
    /// reaches it through <c>kubectl proxy</c> when the collector runs outside the cluster.
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>
    /// Bearer token file of the in-cluster service account (the implicit cluster, and entries of
    /// <see cref="Clusters"/> with <c>InCluster</c>), read again when it changes because projected
    /// service-account tokens are rotated. Not a <c>…File</c> key on purpose: those are read once at start.
    /// </summary>
    public string TokenPath { get; set; } = $"{ServiceAccountDirectory}/token";

    /// <summary>PEM bundle of the CA that signed the in-cluster API server's certificate.</summary>
    public string CaPath { get; set; } = $"{ServiceAccountDirectory}/ca.crt";

    /// <summary>
    /// The clusters one collector reads (Flux in every workload cluster, Argo CD in its management
    /// cluster), each by a kubeconfig file and context or in-cluster. Empty: the implicit cluster.
    /// </summary>
    public List<KubernetesClusterOptions> Clusters { get; set; } = [];

    /// <summary>Items per page of a list request (<c>limit</c>).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>How long one watch request stays open before it is renewed (<c>timeoutSeconds</c>).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a list page may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The cluster of a report that names none (a Flux event without a cluster): the only listed
    /// cluster when <see cref="Clusters"/> lists exactly one, so poll and webhook agree; else <c>""</c>.
    /// </summary>
    public string SoleClusterName => Clusters.Count == 1 ? Clusters[0].Name : "";

    /// <summary>The names of <c>Dora:Kubernetes:Clusters</c> as configured, for the sections that refer to them.</summary>
    public static IReadOnlyList<string> ConfiguredNames(IConfiguration? configuration) =>
        configuration?.GetSection($"{Section}:{nameof(Clusters)}").GetChildren().Select(c => c[nameof(KubernetesClusterOptions.Name)] ?? "").ToList()
        ?? [];
}

/// <summary>
/// One entry of <c>Dora:Kubernetes:Clusters</c>: a name (what attempts read there are named
/// after) and how to reach it, a kubeconfig file and context (token, client certificate or exec
/// credential plugin, as the kubeconfig says) or the collector's own service account.
/// </summary>
internal sealed class KubernetesClusterOptions
{
    /// <summary>Letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; up to 100 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>A kubeconfig file (e.g. a mounted Secret); relative paths inside it are relative to the file.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>The kubeconfig context; empty: its <c>current-context</c>.</summary>
    public string? Context { get; set; }

    /// <summary>The cluster the collector runs in, through its service account (<c>TokenPath</c>, <c>CaPath</c>).</summary>
    public bool InCluster { get; set; }
}
