using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// How to reach one cluster, as the package's configuration: a kubeconfig context (its server,
/// CA, and a token, client certificate or exec credential plugin, which the package handles), or
/// the collector's own service account (in-cluster, or <c>Dora:Kubernetes:ApiUrl</c> for the
/// implicit cluster) with the token re-read as it rotates.
/// </summary>
internal static class KubernetesConnection
{
    public static KubernetesClientConfiguration Configure(KubernetesClusterOptions? cluster, KubernetesOptions options, TimeProvider clock)
    {
        var config = cluster is { InCluster: false, KubeconfigPath: { Length: > 0 } path }
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, string.IsNullOrWhiteSpace(cluster.Context) ? null : cluster.Context)
            : ServiceAccount(cluster is null ? options.ApiUrl : null, options, clock);
        config.UserAgent = "dora-collector";

        // List pages; a watch is not limited by it (the package lifts the timeout for watch=true).
        config.HttpClientTimeout = options.RequestTimeout;
        config.FirstMessageHandlerSetup = handler => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        return config;
    }

    private static KubernetesClientConfiguration ServiceAccount(string? apiUrl, KubernetesOptions options, TimeProvider clock)
    {
        var host = string.IsNullOrWhiteSpace(apiUrl) ? InClusterHost() : apiUrl.TrimEnd('/') + "/";
        X509Certificate2Collection? authorities = null;
        if (File.Exists(options.CaPath))
        {
            // As client-go with the mounted ca.crt; without one (kubectl proxy, a public certificate) the system store.
            authorities = [];
            authorities.ImportFromPemFile(options.CaPath);
        }

        return new KubernetesClientConfiguration
        {
            Host = host,
            SslCaCerts = authorities,
            TokenProvider = new ServiceAccountToken(options.TokenPath, clock),
        };
    }

    private static string InClusterHost()
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new KubeConfigException(
                "The Kubernetes API server is unknown: not running in a pod (KUBERNETES_SERVICE_HOST is unset); set Dora:Kubernetes:ApiUrl or Dora:Kubernetes:Clusters.");
        }

        // The certificate is valid for this address; an IPv6 address needs brackets in a URL.
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return $"https://{authority}:{(string.IsNullOrWhiteSpace(port) ? "443" : port)}/";
    }
}
