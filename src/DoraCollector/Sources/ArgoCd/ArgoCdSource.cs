using System.Net.Http.Headers;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

internal static class ArgoCdSource
{
    /// <summary>
    /// Argo CD: options, the API client, the ingestor and its <c>argocd.ingest</c> job, the
    /// Kubernetes watch (with <c>UseKubernetesApi</c>) and the mapper of snapshots and notifications.
    /// </summary>
    public static IHostApplicationBuilder AddArgoCdSource(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ArgoCdOptions, ArgoCdOptionsValidator>(ArgoCdOptions.Section);
        services.AddKubernetesApi();
        services.AddSingleton<IRawEventMapper, ArgoCdMapper>();
        services.AddHttpClient<ArgoCdClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<ArgoCdOptions>>().CurrentValue;
            if (!string.IsNullOrWhiteSpace(options.ServerUrl))
            {
                http.BaseAddress = new Uri(options.ServerUrl.TrimEnd('/') + "/");
            }

            if (!string.IsNullOrWhiteSpace(options.Token))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            }

            http.DefaultRequestHeaders.UserAgent.ParseAdd("dora-collector");
            http.Timeout = TimeSpan.FromSeconds(60);
        });
        services.AddTransient<ArgoCdIngestor>();
        services.AddTransient<IPollingSource>(sp =>
        {
            var ingestor = sp.GetRequiredService<ArgoCdIngestor>();
            return new PollingSource("argocd", () => ingestor.IsConfigured, ingestor.RunAsync);
        });
        services.AddRecurringJob<ArgoCdIngestJob>(ArgoCdIngestJob.Key,
            sp => sp.GetRequiredService<IOptions<ArgoCdOptions>>().Value.PollInterval);
        services.AddHostedService<ArgoCdKubernetesWatcher>();
        return builder;
    }
}
