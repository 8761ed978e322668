using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>Reconciliation as a polling source, so <c>backfill</c> runs it with the others.</summary>
internal sealed class AlertmanagerPolling(AlertmanagerReconciler reconciler, IOptions<AlertmanagerOptions> options) : IPollingSource
{
    public string Name => AlertmanagerMapper.SourceName;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Url);

    public async Task RunAsync(CancellationToken ct) => await reconciler.RunAsync(ct);
}
