using System.Text;
using DoraCollector.Hosting;
using DoraCollector.Metrics;
using DoraCollector.Exposition;

namespace DoraCollector.UnitTests.Exposition;

public sealed class CollectorExpositionTests
{
    private static readonly DateTimeOffset ComputedAt = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Renders_the_snapshot_age_quality_and_telemetry_exactly()
    {
        var clock = new ManualClock(ComputedAt.AddSeconds(-30.25));
        var telemetry = new CollectorTelemetry(clock);
        telemetry.Ingested("github", 12);
        telemetry.IngestFailed("github");
        telemetry.IngestFailed("argocd", 2);
        telemetry.WebhookRejected("github", "signature");
        telemetry.WebhookRejected("flux", "unauthorized");
        telemetry.WebhookRejected("flux", "unauthorized");
        telemetry.JobFinished("metrics.compute", TimeSpan.FromMilliseconds(1500), succeeded: true);
        telemetry.JobFinished("metrics.compute", TimeSpan.FromMilliseconds(250), succeeded: false);
        var snapshot = DoraSnapshot.Empty with
        {
            ComputedAt = ComputedAt,
            ComputeDuration = TimeSpan.FromMilliseconds(820),
            Quality = new DataQuality(UnattributedIncidents: 3, DiscardedLeadTimes: 1, UnresolvedDeployments: 2),
        };

        var lines = Lines(await RenderAsync(telemetry, snapshot, ComputedAt.AddSeconds(90)));

        Assert.Equal(
            [
                "# HELP dora_collector_ingest_events_total Payloads stored and mapped, per source, since this replica started.",
                "# TYPE dora_collector_ingest_events_total counter",
                "dora_collector_ingest_events_total{source=\"argocd\"} 0",
                "dora_collector_ingest_events_total{source=\"github\"} 12",
                "# HELP dora_collector_ingest_errors_total Payloads that could not be stored or mapped and failed polls, per source, since this replica started.",
                "# TYPE dora_collector_ingest_errors_total counter",
                "dora_collector_ingest_errors_total{source=\"argocd\"} 2",
                "dora_collector_ingest_errors_total{source=\"github\"} 1",
                "# HELP dora_collector_last_success_timestamp_seconds When this replica last ingested from the source, in seconds since the Unix epoch.",
                "# TYPE dora_collector_last_success_timestamp_seconds gauge",
                "dora_collector_last_success_timestamp_seconds{source=\"github\"} 1772431169.75",
                "# HELP dora_collector_webhook_rejections_total Webhook and ingest API requests refused, by source and reason, since this replica started.",
                "# TYPE dora_collector_webhook_rejections_total counter",
                "dora_collector_webhook_rejections_total{source=\"flux\",reason=\"unauthorized\"} 2",
                "dora_collector_webhook_rejections_total{source=\"github\",reason=\"signature\"} 1",
                "# HELP dora_collector_job_runs_total Background job runs on this replica by outcome (success, failure) since it started.",
                "# TYPE dora_collector_job_runs_total counter",
                "dora_collector_job_runs_total{job=\"metrics.compute\",outcome=\"failure\"} 1",
                "dora_collector_job_runs_total{job=\"metrics.compute\",outcome=\"success\"} 1",
                "# HELP dora_collector_job_duration_seconds How long the last run of the job on this replica took, in seconds.",
                "# TYPE dora_collector_job_duration_seconds gauge",
                "dora_collector_job_duration_seconds{job=\"metrics.compute\"} 0.25",
                "# HELP dora_collector_snapshot_timestamp_seconds When the published DORA snapshot was computed, in seconds since the Unix epoch.",
                "# TYPE dora_collector_snapshot_timestamp_seconds gauge",
                "dora_collector_snapshot_timestamp_seconds 1772431200",
                "# HELP dora_collector_snapshot_age_seconds Seconds since the published DORA snapshot was computed.",
                "# TYPE dora_collector_snapshot_age_seconds gauge",
                "dora_collector_snapshot_age_seconds 90",
                "# HELP dora_collector_snapshot_compute_duration_seconds How long computing the published DORA snapshot took, in seconds.",
                "# TYPE dora_collector_snapshot_compute_duration_seconds gauge",
                "dora_collector_snapshot_compute_duration_seconds 0.82",
                "# HELP dora_collector_unattributed_incidents Incident signals no service could be found for, over the longest window.",
                "# TYPE dora_collector_unattributed_incidents gauge",
                "dora_collector_unattributed_incidents 3",
                "# HELP dora_collector_discarded_lead_times Changes left out of lead time because it was zero or negative (clock skew), over the longest window.",
                "# TYPE dora_collector_discarded_lead_times gauge",
                "dora_collector_discarded_lead_times 1",
                "# HELP dora_collector_unresolved_deployments Deployments of a GitOps repository whose application revision could not be resolved, over the longest window.",
                "# TYPE dora_collector_unresolved_deployments gauge",
                "dora_collector_unresolved_deployments 2",
            ],
            CollectorFamilies(lines));
    }

    [Fact]
    public async Task Before_the_first_snapshot_only_the_telemetry_is_shown()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(ComputedAt));
        telemetry.JobFinished("metrics.compute", TimeSpan.FromSeconds(1), succeeded: false);

        var text = await RenderAsync(telemetry, DoraSnapshot.Empty, ComputedAt);

        Assert.DoesNotContain("\ndora_collector_snapshot_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\ndora_collector_unattributed_incidents ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\ndora_collector_discarded_lead_times ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\ndora_collector_unresolved_deployments ", text, StringComparison.Ordinal);
        Assert.Contains("dora_collector_job_runs_total{job=\"metrics.compute\",outcome=\"failure\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fresh_collector_before_its_first_snapshot_renders_no_collector_sample()
    {
        var lines = Lines(await RenderAsync(new CollectorTelemetry(new ManualClock(ComputedAt)), DoraSnapshot.Empty, ComputedAt));

        Assert.Empty(CollectorFamilies(lines));
    }

    [Fact]
    public async Task The_standard_process_and_runtime_families_come_with_it()
    {
        var text = await RenderAsync(new CollectorTelemetry(new ManualClock(ComputedAt)), DoraSnapshot.Empty, ComputedAt);

        foreach (var family in (string[])[
            "process_cpu_seconds_total counter", "process_start_time_seconds gauge", "process_working_set_bytes gauge",
            "process_open_handles gauge", "process_num_threads gauge", "dotnet_total_memory_bytes gauge", "dotnet_collection_count_total counter"])
        {
            Assert.Contains($"# TYPE {family}\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_source_that_never_succeeded_has_no_last_success_timestamp()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(ComputedAt));
        telemetry.IngestFailed("alertmanager");

        var text = await RenderAsync(telemetry, DoraSnapshot.Empty, ComputedAt);

        Assert.Contains("dora_collector_ingest_errors_total{source=\"alertmanager\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_collector_last_success_timestamp_seconds{", text, StringComparison.Ordinal);
        Assert.Equal([new SourceReading("alertmanager", 0, 1, null)], telemetry.Sources());
    }

    [Fact]
    public async Task Webhook_durations_are_a_histogram_per_source()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(ComputedAt));
        telemetry.WebhookAnswered("flux", TimeSpan.FromMilliseconds(4));
        telemetry.WebhookAnswered("flux", TimeSpan.FromMilliseconds(70));
        telemetry.WebhookAnswered("argocd", TimeSpan.FromSeconds(11));

        var text = await RenderAsync(telemetry, DoraSnapshot.Empty, ComputedAt);

        Assert.Contains("# TYPE dora_collector_webhook_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains(
            """
            dora_collector_webhook_duration_seconds_count{source="flux"} 2
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.005"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.01"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.025"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.05"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.1"} 2
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.25"} 2
            """, text, StringComparison.Ordinal);
        Assert.Contains(
            """
            dora_collector_webhook_duration_seconds_sum{source="argocd"} 11
            dora_collector_webhook_duration_seconds_count{source="argocd"} 1
            dora_collector_webhook_duration_seconds_bucket{source="argocd",le="0.005"} 0
            """, text, StringComparison.Ordinal);
        Assert.Contains(
            """
            dora_collector_webhook_duration_seconds_bucket{source="argocd",le="10"} 0
            dora_collector_webhook_duration_seconds_bucket{source="argocd",le="+Inf"} 1
            """, text, StringComparison.Ordinal);

        // The sum is a double added up as observed: 0.004 + 0.07, to the last binary digit.
        var sum = Lines(text).Single(l => l.StartsWith("dora_collector_webhook_duration_seconds_sum{source=\"flux\"} ", StringComparison.Ordinal));
        Assert.Equal(0.074, double.Parse(sum.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), 12);
    }

    internal static async Task<string> RenderAsync(CollectorTelemetry telemetry, DoraSnapshot snapshot, DateTimeOffset now)
    {
        var holder = new SnapshotHolder();
        if (!snapshot.IsEmpty)
        {
            holder.Publish(snapshot);
        }

        var exposition = new CollectorExposition(telemetry, holder, new ManualClock(now));
        return Encoding.UTF8.GetString(await exposition.RenderAsync(CancellationToken.None));
    }

    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The <c>dora_collector_*</c> families that have samples, in the order rendered, their samples
    /// sorted (prometheus-net writes a family's series in the order they were first touched).
    /// </summary>
    internal static List<string> CollectorFamilies(string[] lines)
    {
        var result = new List<string>();
        foreach (var family in lines.Where(l => l.StartsWith("# HELP dora_collector_", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]))
        {
            var samples = lines.Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) || l.StartsWith(family + " ", StringComparison.Ordinal)
                    || l.StartsWith(family + "_", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToList();
            if (samples.Count > 0)
            {
                result.AddRange(lines.Where(l => l.StartsWith($"# HELP {family} ", StringComparison.Ordinal)));
                result.AddRange(lines.Where(l => l.StartsWith($"# TYPE {family} ", StringComparison.Ordinal)));
                result.AddRange(samples);
            }
        }

        return result;
    }
}
