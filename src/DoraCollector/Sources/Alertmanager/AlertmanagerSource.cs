using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Alertmanager;

internal static class AlertmanagerSource
{
    /// <summary>
    /// Alertmanager as the incident source: the options, the mapper of stored notifications and
    /// polls, the webhook's collaborators, the API client and the reconciliation job
    /// (<c>alertmanager.reconcile</c>, which does nothing without <c>Dora:Alertmanager:Url</c>).
    /// </summary>
    public static IHostApplicationBuilder AddAlertmanagerSource(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AlertmanagerOptions, AlertmanagerOptionsValidator>(AlertmanagerOptions.Section);
        services.AddSingleton<AlertRules>();
        services.AddSingleton<IRawEventMapper, AlertmanagerMapper>();
        services.AddSingleton<AlertmanagerReconcileTrigger>();
        services.AddHttpClient<AlertmanagerClient>((sp, http) =>
        {
            if (sp.GetRequiredService<IOptions<AlertmanagerOptions>>().Value.Url is { Length: > 0 } url)
            {
                http.BaseAddress = AlertmanagerClient.BaseAddress(url);
            }

            http.Timeout = TimeSpan.FromSeconds(30);
            http.DefaultRequestHeaders.UserAgent.ParseAdd("dora-collector");
        });
        services.AddTransient<AlertmanagerReconciler>();
        services.AddTransient<IPollingSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AlertmanagerOptions>>();
            var reconciler = sp.GetRequiredService<AlertmanagerReconciler>();
            return new PollingSource(AlertmanagerMapper.SourceName, () => !string.IsNullOrWhiteSpace(options.Value.Url), reconciler.RunAsync);
        });
        services.AddRecurringJob<AlertmanagerReconcileJob>(AlertmanagerReconcileJob.Key,
            sp => sp.GetRequiredService<IOptions<AlertmanagerOptions>>().Value.ReconcileInterval);
        return builder;
    }
}
