using DoraCollector.Hosting;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// With <c>Dora:ArgoCd:UseKubernetesApi</c>, watches Applications so a rollout reaches the
/// inbox seconds after Argo CD records it, not at the next poll. Runs where background work
/// runs (<c>Dora:Scheduling:Enabled</c>); on several replicas each watches, and the inbox keeps
/// one copy of each snapshot.
/// </summary>
internal sealed class ArgoCdKubernetesWatcher(
    IServiceScopeFactory scopes, KubernetesClusters clusters, KubernetesInformer informer, IOptions<ArgoCdOptions> options, IOptions<SchedulingOptions> scheduling)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UseKubernetesApi || !scheduling.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        var cluster = clusters.Get(options.Value.KubernetesCluster);
        return Task.WhenAll(ArgoCdIngestor.KubernetesPaths(options.Value).Select(path => informer.RunAsync(cluster, path, options.Value.Selector, async (items, _, ct) =>
        {
            // A fresh ingestor per batch: it holds typed HTTP clients, which are meant to be short-lived.
            using var batch = scopes.CreateScope();
            await batch.ServiceProvider.GetRequiredService<ArgoCdIngestor>().StoreAsync(items, ct);
        }, stoppingToken)));
    }
}
