using DoraCollector.Pipeline;
using System.Globalization;
using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Kubernetes;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// One pass over the Applications: read them from the Argo CD API (or the Kubernetes API), keep
/// each new snapshot in the inbox (see <see cref="ArgoCdSnapshot"/>) and notice history that
/// rolled over since the last read. The mapper turns the snapshots into attempts afterwards.
/// </summary>
internal sealed partial class ArgoCdIngestor(
    ArgoCdClient argo, KubernetesClusters kubernetes, RawEventStore inbox, InboxSignal signal, HistoryCursors cursors,
    CollectorTelemetry telemetry, IOptionsMonitor<ArgoCdOptions> options, ILogger<ArgoCdIngestor> logger)
{
    private const string PollScope = "poll";

    /// <summary>Collection paths of Applications in the Kubernetes API: one per configured namespace, or all namespaces.</summary>
    public static IReadOnlyList<string> KubernetesPaths(ArgoCdOptions settings) => settings.Namespaces is { Count: > 0 } namespaces
        ? namespaces.Select(n => $"apis/argoproj.io/v1alpha1/namespaces/{Uri.EscapeDataString(n)}/applications").ToList()
        : ["apis/argoproj.io/v1alpha1/applications"];

    /// <summary>An Argo CD API server or the Kubernetes API to read applications from is configured.</summary>
    public bool IsConfigured => options.CurrentValue is var settings && (settings.UseKubernetesApi || !string.IsNullOrWhiteSpace(settings.ServerUrl));

    /// <summary>Reads every Application once; returns how many new snapshots were stored. Nothing to do when unconfigured.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        if (!IsConfigured)
        {
            return 0;
        }

        try
        {
            IReadOnlyList<JsonElement> items;
            if (settings.UseKubernetesApi)
            {
                var all = new List<JsonElement>();
                var cluster = kubernetes.Get(settings.KubernetesCluster);
                foreach (var path in KubernetesPaths(settings))
                {
                    all.AddRange((await cluster.ListAsync(path, settings.Selector, ct)).Items);
                }

                items = all;
            }
            else
            {
                items = await argo.ListApplicationsAsync(ct);
            }

            var stored = await StoreAsync(items, ct);
            await cursors.RecordRunAsync(ArgoCdMapper.SourceName, PollScope, null, ct);
            LogPolled(items.Count, stored);
            return stored;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            telemetry.IngestFailed(ArgoCdMapper.SourceName);
            LogFailed(e.Message);
            await cursors.RecordFailureAsync(ArgoCdMapper.SourceName, PollScope, e.Message, ct);

            throw;
        }
    }

    /// <summary>Keeps the snapshots of these Applications (a list or watched objects) and checks their history for gaps.</summary>
    internal async Task<int> StoreAsync(IReadOnlyList<JsonElement> items, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var apps = new List<ArgoApplication>();
        foreach (var item in items)
        {
            try
            {
                var app = ArgoCdSnapshot.Read(item);
                if (!string.IsNullOrWhiteSpace(app.Metadata?.Name)
                    && (settings.Projects.Count == 0 || settings.Projects.Contains(app.Spec?.Project ?? "", StringComparer.Ordinal)))
                {
                    apps.Add(app);
                }
            }
            catch (JsonException e)
            {
                telemetry.IngestFailed(ArgoCdMapper.SourceName);
                LogUnreadable(e.Message);
            }
        }

        var raws = apps.Where(a => !ArgoCdSnapshot.InProgress(a))
            .Select(ArgoCdSnapshot.Of)
            .DistinctBy(s => s.Key)
            .Select(s => new NewRawEvent(ArgoCdMapper.SourceName, ArgoCdSnapshot.Kind, s.Key, s.Json))
            .ToList();
        var stored = raws.Count == 0 ? 0 : (await inbox.AddAllAsync(raws, ct)).Count(id => id is not null);
        await CheckHistoryAsync(apps, ct);
        telemetry.Ingested(ArgoCdMapper.SourceName, 0);
        if (stored > 0)
        {
            signal.Poke();
        }

        return stored;
    }

    // History ids increase by one per sync: when the oldest id now held is more than one past
    // the newest id read before, the entries in between were dropped before anyone read them.
    private async Task CheckHistoryAsync(IReadOnlyList<ArgoApplication> apps, CancellationToken ct)
    {
        var newest = apps
            .Where(a => a.Status?.History is { Count: > 0 } h && h.Any(e => e.Id is not null))
            .GroupBy(a => $"application:{ArgoCdSnapshot.QualifiedName(a)}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Status!.History!.Where(e => e.Id is not null).Select(e => e.Id!.Value).ToList(), StringComparer.Ordinal);
        if (newest.Count == 0)
        {
            return;
        }

        var before = await cursors.LoadAsync(ArgoCdMapper.SourceName, newest.Keys, ct);
        foreach (var (scope, ids) in newest)
        {
            if (before.TryGetValue(scope, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var seen)
                && ids.Min() - seen - 1 is var missed and > 0)
            {
                telemetry.HistoryGap(ArgoCdMapper.SourceName, missed);
                LogGap(scope["application:".Length..], missed, seen, ids.Min());
            }
        }

        await cursors.SaveAsync(ArgoCdMapper.SourceName,
            newest.ToDictionary(n => n.Key, n => n.Value.Max().ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal), ct);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Argo CD: read {Applications} applications, {Stored} new snapshots")]
    private partial void LogPolled(int applications, int stored);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Argo CD history of {Application} may have gaps: {Missed} entries between id {Seen} and {Oldest} were dropped before they were read; poll more often or raise revisionHistoryLimit")]
    private partial void LogGap(string application, long missed, long seen, long oldest);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Argo CD: reading applications failed: {Reason}")]
    private partial void LogFailed(string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Argo CD: an application could not be read and was skipped: {Reason}")]
    private partial void LogUnreadable(string reason);
}
