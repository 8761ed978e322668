using DoraCollector.Hosting;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// With <c>Dora:Flux:UseKubernetesApi</c>, watches Kustomizations between the reconcile passes,
/// in every cluster Flux is read from (<see cref="FluxReconciler.Clusters"/>). Runs where
/// background work runs (<c>Dora:Scheduling:Enabled</c>).
/// </summary>
internal sealed class FluxKubernetesWatcher(
    IServiceScopeFactory scopes, KubernetesClusters clusters, KubernetesInformer informer, IOptions<FluxOptions> options,
    IOptions<SchedulingOptions> scheduling)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UseKubernetesApi || !scheduling.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        var watches =
            from cluster in FluxReconciler.Clusters(clusters, options.Value)
            from path in FluxReconciler.KubernetesPaths(options.Value)
            select informer.RunAsync(cluster, path, options.Value.Selector, async (items, _, ct) =>
            {
                using var batch = scopes.CreateScope();
                await batch.ServiceProvider.GetRequiredService<FluxReconciler>().StoreAsync(items, cluster, ct);
            }, stoppingToken);
        return Task.WhenAll(watches);
    }
}
