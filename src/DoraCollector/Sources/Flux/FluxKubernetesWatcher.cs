using DoraCollector.Hosting;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// With <c>Dora:Flux:UseKubernetesApi</c>, watches Kustomizations between the reconcile passes.
/// Runs where background work runs (<c>Dora:Scheduling:Enabled</c>).
/// </summary>
internal sealed class FluxKubernetesWatcher(
    IServiceScopeFactory scopes, KubernetesInformer informer, IOptions<FluxOptions> options, IOptions<SchedulingOptions> scheduling)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UseKubernetesApi || !scheduling.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(FluxReconciler.KubernetesPaths(options.Value).Select(path => informer.RunAsync(path, options.Value.Selector,
            async (items, _, ct) =>
            {
                using var batch = scopes.CreateScope();
                await batch.ServiceProvider.GetRequiredService<FluxReconciler>().StoreAsync(items, ct);
            }, stoppingToken)));
    }
}
