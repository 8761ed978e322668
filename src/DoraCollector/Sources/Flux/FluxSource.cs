using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

internal static class FluxSource
{
    /// <summary>
    /// Flux: options, the mapper of events and Kustomization snapshots, and with
    /// <c>UseKubernetesApi</c> the reconciler, its <c>flux.ingest</c> job and the Kubernetes watch.
    /// </summary>
    public static IHostApplicationBuilder AddFluxSource(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<FluxOptions, FluxOptionsValidator>(FluxOptions.Section);
        services.AddKubernetesApi();
        services.AddSingleton<IRawEventMapper, FluxMapper>();
        services.AddSingleton<FluxWorkloadImages>();
        services.AddTransient<FluxReconciler>();
        services.AddTransient<IPollingSource>(sp =>
        {
            var reconciler = sp.GetRequiredService<FluxReconciler>();
            return new PollingSource("flux", () => reconciler.IsConfigured, reconciler.RunAsync);
        });
        services.AddRecurringJob<FluxReconcileJob>(FluxReconcileJob.Key,
            sp => sp.GetRequiredService<IOptions<FluxOptions>>().Value.PollInterval);
        services.AddHostedService<FluxKubernetesWatcher>();
        return builder;
    }
}
