using DoraCollector.Hosting;
using DoraCollector.Metrics;
using Prometheus;

namespace DoraCollector.Exposition;

/// <summary>
/// The part of <c>/metrics</c> rendered at every scrape, by prometheus-net: the collector's own
/// counters (<see cref="CollectorTelemetry"/>), the age and data quality of the published
/// snapshot, and the standard <c>process_*</c> and <c>dotnet_*</c> families. A few dozen samples,
/// because ages and counters move between snapshots (docs/metrics.md, "Collector health").
/// </summary>
internal sealed class CollectorExposition
{
    private readonly CollectorRegistry _registry;
    private readonly SnapshotHolder _holder;
    private readonly TimeProvider _clock;
    private readonly Gauge _timestamp;
    private readonly Gauge _age;
    private readonly Gauge _computeDuration;
    private readonly Gauge _unattributed;
    private readonly Gauge _discarded;
    private readonly Gauge _unresolved;

    public CollectorExposition(CollectorTelemetry telemetry, SnapshotHolder holder, TimeProvider clock)
    {
        _registry = telemetry.Registry;
        _holder = holder;
        _clock = clock;

        // Before the first snapshot there is no timestamp, age, duration or data quality to
        // report: absent series say so, where zeros would pass for a fresh, clean snapshot.
        var unsetUntilSet = new GaugeConfiguration { SuppressInitialValue = true };
        var factory = telemetry.Factory;
        _timestamp = factory.CreateGauge("dora_collector_snapshot_timestamp_seconds",
            "When the published DORA snapshot was computed, in seconds since the Unix epoch.", unsetUntilSet);
        _age = factory.CreateGauge("dora_collector_snapshot_age_seconds",
            "Seconds since the published DORA snapshot was computed.", unsetUntilSet);
        _computeDuration = factory.CreateGauge("dora_collector_snapshot_compute_duration_seconds",
            "How long computing the published DORA snapshot took, in seconds.", unsetUntilSet);
        _unattributed = factory.CreateGauge("dora_collector_unattributed_incidents",
            "Incident signals no service could be found for, over the longest window.", unsetUntilSet);
        _discarded = factory.CreateGauge("dora_collector_discarded_lead_times",
            "Changes left out of lead time because it was zero or negative (clock skew), over the longest window.", unsetUntilSet);
        _unresolved = factory.CreateGauge("dora_collector_unresolved_deployments",
            "Deployments of a GitOps repository whose application revision could not be resolved, over the longest window.", unsetUntilSet);
        _registry.AddBeforeCollectCallback(ReadSnapshot);
        DotNetStats.Register(_registry);
    }

    /// <summary>Every family of the registry in the text format 0.0.4, UTF-8.</summary>
    public async Task<byte[]> RenderAsync(CancellationToken ct)
    {
        using var text = new MemoryStream(8192);
        await _registry.CollectAndExportAsTextAsync(text, ct);
        return text.ToArray();
    }

    private void ReadSnapshot()
    {
        var snapshot = _holder.Current;
        if (snapshot.IsEmpty)
        {
            return;
        }

        _timestamp.Set(snapshot.ComputedAt.ToUnixTimeMilliseconds() / 1000.0);
        _age.Set((_clock.GetUtcNow() - snapshot.ComputedAt).TotalSeconds);
        _computeDuration.Set(snapshot.ComputeDuration.TotalSeconds);
        _unattributed.Set(snapshot.Quality.UnattributedIncidents);
        _discarded.Set(snapshot.Quality.DiscardedLeadTimes);
        _unresolved.Set(snapshot.Quality.UnresolvedDeployments);
    }
}
