using DoraCollector.Hosting;

namespace DoraCollector.Sources.Kubernetes;

internal static class KubernetesApiExtensions
{
    /// <summary>
    /// The clusters' API clients, shared by the sources that read resources from Kubernetes.
    /// Safe to call from several sources: it registers once.
    /// </summary>
    public static IServiceCollection AddKubernetesApi(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(KubernetesClusters)))
        {
            return services;
        }

        services.AddValidatedOptions<KubernetesOptions, KubernetesOptionsValidator>(KubernetesOptions.Section);
        services.AddSingleton<KubernetesClusters>();
        services.AddSingleton<KubernetesInformer>();
        services.AddSingleton<HistoryCursors>();
        return services;
    }
}
