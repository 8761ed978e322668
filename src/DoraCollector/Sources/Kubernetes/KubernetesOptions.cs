namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// <c>Dora:Kubernetes</c>: how the collector reaches the Kubernetes API when a source reads
/// resources from it (<c>Dora:ArgoCd:UseKubernetesApi</c>, <c>Dora:Flux:UseKubernetesApi</c>).
/// Inside a pod the defaults are right: the API server from <c>KUBERNETES_SERVICE_HOST</c> and
/// <c>KUBERNETES_SERVICE_PORT</c>, the service-account token and CA from their mounted files.
/// </summary>
internal sealed class KubernetesOptions
{
    public const string Section = "Dora:Kubernetes";

    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// API server URL; empty means in-cluster. <c>http://127.0.0.1:8001</c> reaches it through
    /// <c>kubectl proxy</c> when the collector runs outside the cluster.
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>
    /// Bearer token file, read again every minute because projected service-account tokens are
    /// rotated. Not a <c>…File</c> key on purpose: those are read once at start.
    /// </summary>
    public string TokenPath { get; set; } = $"{ServiceAccountDirectory}/token";

    /// <summary>PEM bundle of the CA that signed the API server's certificate.</summary>
    public string CaPath { get; set; } = $"{ServiceAccountDirectory}/ca.crt";

    /// <summary>Items per page of a list request (<c>limit</c>).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>How long one watch request stays open before it is renewed (<c>timeoutSeconds</c>).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a list page may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
