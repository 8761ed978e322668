using DoraCollector.Pipeline;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// With <c>Dora:Flux:UseKubernetesApi</c>, reads Kustomizations from the Kubernetes API so that
/// rollouts whose events were lost (notification-controller down, webhook unreachable, an
/// Alert that does not match) are still recorded: one pass keeps each new snapshot in the inbox,
/// and notices when the five-entry history moved on further than it holds.
/// </summary>
internal sealed partial class FluxReconciler(
    KubernetesClusters kubernetes, FluxWorkloadImages workloads, RawEventStore inbox, InboxSignal signal, HistoryCursors cursors, CollectorTelemetry telemetry,
    IOptionsMonitor<FluxOptions> options, ILogger<FluxReconciler> logger)
{
    /// <summary>kustomize-controller keeps this many history entries.</summary>
    public const int HistoryLimit = 5;

    private const string PollScope = "poll";

    public bool IsConfigured => options.CurrentValue.UseKubernetesApi;

    public static IReadOnlyList<string> KubernetesPaths(FluxOptions settings) => settings.Namespaces is { Count: > 0 } namespaces
        ? namespaces.Select(n => $"apis/kustomize.toolkit.fluxcd.io/v1/namespaces/{Uri.EscapeDataString(n)}/kustomizations").ToList()
        : ["apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"];

    /// <summary>The clusters Flux is read from: <c>Dora:Flux:Clusters</c>, else every cluster.</summary>
    public static IReadOnlyList<KubernetesApiClient> Clusters(KubernetesClusters clusters, FluxOptions settings) =>
        clusters.Select(settings.Clusters);

    /// <summary>
    /// Reads every Kustomization of every cluster once; returns how many new snapshots were
    /// stored. A cluster that cannot be read does not keep the others from being read; the pass
    /// then fails with its reason. Nothing to do when unconfigured.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!IsConfigured)
        {
            return 0;
        }

        var stored = 0;
        var failures = new List<Exception>();
        foreach (var cluster in Clusters(kubernetes, options.CurrentValue))
        {
            var scope = cluster.Cluster.Length == 0 ? PollScope : $"{PollScope}:{cluster.Cluster}";
            try
            {
                var items = new List<JsonElement>();
                foreach (var path in KubernetesPaths(options.CurrentValue))
                {
                    items.AddRange((await cluster.ListAsync(path, options.CurrentValue.Selector, ct)).Items);
                }

                stored += await StoreAsync(items, cluster, ct);
                await cursors.RecordRunAsync(FluxAttemptStream.SourceName, scope, null, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                telemetry.IngestFailed(FluxAttemptStream.SourceName);
                LogFailed(cluster.Cluster, e.Message);
                await cursors.RecordFailureAsync(FluxAttemptStream.SourceName, scope, e.Message, ct);
                failures.Add(e);
            }
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        return failures.Count == 0 ? stored : throw new AggregateException("Flux: reading Kustomizations failed on several clusters", failures);
    }

    /// <summary>
    /// Keeps the new snapshots of Kustomizations read from <paramref name="cluster"/>, with the
    /// images their workloads run where they are read (<see cref="FluxWorkloadImages"/>).
    /// </summary>
    internal async Task<int> StoreAsync(IReadOnlyList<JsonElement> items, KubernetesApiClient cluster, CancellationToken ct)
    {
        var kustomizations = new List<FluxKustomization>();
        var pass = workloads.Begin();
        foreach (var item in items)
        {
            try
            {
                if (FluxSnapshot.Trim(item) is { Metadata.Name.Length: > 0 } trimmed)
                {
                    var k = cluster.Cluster.Length == 0 ? trimmed : trimmed with { Cluster = cluster.Cluster };
                    kustomizations.Add(await workloads.ImagesAsync(cluster, k, item, pass, ct) is { } images ? k with { Images = images } : k);
                }
            }
            catch (JsonException e)
            {
                telemetry.IngestFailed(FluxAttemptStream.SourceName);
                LogUnreadable(e.Message);
            }
        }

        var raws = kustomizations.Select(FluxSnapshot.Of).DistinctBy(s => s.Key)
            .Select(s => new NewRawEvent(FluxAttemptStream.SourceName, FluxMapper.KustomizationKind, s.Key, s.Json))
            .ToList();
        var stored = raws.Count == 0 ? 0 : (await inbox.AddAllAsync(raws, ct)).Count(id => id is not null);
        await CheckHistoryAsync(kustomizations, ct);
        telemetry.Ingested(FluxAttemptStream.SourceName, 0);
        if (stored > 0)
        {
            signal.Poke();
        }

        return stored;
    }

    // A full history whose oldest entry is newer than the newest one read before means at least
    // one applied state came and went unseen.
    private async Task CheckHistoryAsync(IReadOnlyList<FluxKustomization> kustomizations, CancellationToken ct)
    {
        var newest = kustomizations
            .Select(k => (Scope: $"kustomization:{FluxSnapshot.StreamKey(k)}",
                Times: (k.Status?.History ?? []).Where(h => h.FirstReconciled is not null).Select(h => h.FirstReconciled!.Value).ToList()))
            .Where(k => k.Times.Count > 0)
            .DistinctBy(k => k.Scope)
            .ToDictionary(k => k.Scope, k => k.Times, StringComparer.Ordinal);
        if (newest.Count == 0)
        {
            return;
        }

        var before = await cursors.LoadAsync(FluxAttemptStream.SourceName, newest.Keys, ct);
        foreach (var (scope, times) in newest)
        {
            if (times.Count >= HistoryLimit && before.TryGetValue(scope, out var text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var seen)
                && times.Min() > seen)
            {
                telemetry.HistoryGap(FluxAttemptStream.SourceName, 1);
                LogGap(scope["kustomization:".Length..], seen, times.Min());
            }
        }

        await cursors.SaveAsync(FluxAttemptStream.SourceName, newest.ToDictionary(
            n => n.Key, n => n.Value.Max().UtcDateTime.ToString("O", CultureInfo.InvariantCulture), StringComparer.Ordinal), ct);
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning,
        Message = "Flux history of {Kustomization} may have gaps: its oldest entry ({Oldest}) is newer than the newest one read before ({Seen}); read more often")]
    private partial void LogGap(string kustomization, DateTimeOffset seen, DateTimeOffset oldest);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Flux: reading Kustomizations of cluster '{Cluster}' failed: {Reason}")]
    private partial void LogFailed(string cluster, string reason);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Flux: a Kustomization could not be read and was skipped: {Reason}")]
    private partial void LogUnreadable(string reason);
}
