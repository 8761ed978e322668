using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DoraCollector.Hosting;

namespace DoraCollector.Sources.Kubernetes;

internal static class KubernetesApiExtensions
{
    /// <summary>
    /// The in-cluster API client, shared by the sources that read resources from Kubernetes.
    /// Safe to call from several sources: it registers once.
    /// </summary>
    public static IServiceCollection AddKubernetesApi(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(KubernetesCredentials)))
        {
            return services;
        }

        services.AddValidatedOptions<KubernetesOptions, KubernetesOptionsValidator>(KubernetesOptions.Section);
        services.AddSingleton<KubernetesCredentials>();
        services.AddSingleton<KubernetesInformer>();
        services.AddSingleton<HistoryCursors>();
        services.AddHttpClient<KubernetesApiClient>(http =>
            {
                // Watches stay open for minutes; list requests carry their own timeout.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("dora-collector");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<KubernetesCredentials>()));
        return services;
    }

    // Trust the cluster's CA for the API server, as client-go does with the mounted ca.crt; when
    // there is no CA file (kubectl proxy, a dev cluster with a public certificate) the system store.
    private static SocketsHttpHandler Handler(KubernetesCredentials credentials)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var authorities = credentials.LoadCertificateAuthorities();
        if (authorities.Count > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                    || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
            };
        }

        return handler;
    }
}
