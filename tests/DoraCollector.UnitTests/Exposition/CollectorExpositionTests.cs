using DoraCollector.Hosting;
using DoraCollector.Metrics;
using DoraCollector.Exposition;

namespace DoraCollector.UnitTests.Exposition;

public sealed class CollectorExpositionTests
{
    private static readonly DateTimeOffset ComputedAt = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Renders_the_snapshot_age_quality_and_telemetry_exactly()
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
            Quality = new DataQuality(UnattributedIncidents: 3, DiscardedLeadTimes: 1),
        };

        var text = Render(snapshot, telemetry.Read(), ComputedAt.AddSeconds(90));

        Assert.Equal(
            """
            # HELP dora_collector_snapshot_timestamp_seconds When the published DORA snapshot was computed, in seconds since the Unix epoch.
            # TYPE dora_collector_snapshot_timestamp_seconds gauge
            dora_collector_snapshot_timestamp_seconds 1.7724312e+09
            # HELP dora_collector_snapshot_age_seconds Seconds since the published DORA snapshot was computed.
            # TYPE dora_collector_snapshot_age_seconds gauge
            dora_collector_snapshot_age_seconds 90
            # HELP dora_collector_snapshot_compute_duration_seconds How long computing the published DORA snapshot took, in seconds.
            # TYPE dora_collector_snapshot_compute_duration_seconds gauge
            dora_collector_snapshot_compute_duration_seconds 0.82
            # HELP dora_collector_unattributed_incidents Incident signals no service could be found for, over the longest window.
            # TYPE dora_collector_unattributed_incidents gauge
            dora_collector_unattributed_incidents 3
            # HELP dora_collector_discarded_lead_times Changes left out of lead time because it was zero or negative (clock skew), over the longest window.
            # TYPE dora_collector_discarded_lead_times gauge
            dora_collector_discarded_lead_times 1
            # HELP dora_collector_ingest_events_total Payloads stored and mapped, per source, since this replica started.
            # TYPE dora_collector_ingest_events_total counter
            dora_collector_ingest_events_total{source="argocd"} 0
            dora_collector_ingest_events_total{source="github"} 12
            # HELP dora_collector_ingest_errors_total Payloads that could not be stored or mapped and failed polls, per source, since this replica started.
            # TYPE dora_collector_ingest_errors_total counter
            dora_collector_ingest_errors_total{source="argocd"} 2
            dora_collector_ingest_errors_total{source="github"} 1
            # HELP dora_collector_last_success_timestamp_seconds When this replica last ingested from the source, in seconds since the Unix epoch.
            # TYPE dora_collector_last_success_timestamp_seconds gauge
            dora_collector_last_success_timestamp_seconds{source="github"} 1.77243116975e+09
            # HELP dora_collector_webhook_rejections_total Webhook and ingest API requests refused, by source and reason, since this replica started.
            # TYPE dora_collector_webhook_rejections_total counter
            dora_collector_webhook_rejections_total{source="flux",reason="unauthorized"} 2
            dora_collector_webhook_rejections_total{source="github",reason="signature"} 1
            # HELP dora_collector_job_runs_total Background job runs on this replica by outcome (success, failure) since it started.
            # TYPE dora_collector_job_runs_total counter
            dora_collector_job_runs_total{job="metrics.compute",outcome="success"} 1
            dora_collector_job_runs_total{job="metrics.compute",outcome="failure"} 1
            # HELP dora_collector_job_duration_seconds How long the last run of the job on this replica took, in seconds.
            # TYPE dora_collector_job_duration_seconds gauge
            dora_collector_job_duration_seconds{job="metrics.compute"} 0.25

            """,
            text);
    }

    [Fact]
    public void Before_the_first_snapshot_only_the_telemetry_is_shown()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(ComputedAt));
        telemetry.JobFinished("metrics.compute", TimeSpan.FromSeconds(1), succeeded: false);

        var text = Render(DoraSnapshot.Empty, telemetry.Read(), ComputedAt);

        Assert.DoesNotContain("dora_collector_snapshot_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_collector_unattributed_incidents", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_collector_discarded_lead_times", text, StringComparison.Ordinal);
        Assert.Contains("dora_collector_job_runs_total{job=\"metrics.compute\",outcome=\"failure\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fresh_collector_before_its_first_snapshot_renders_nothing() =>
        Assert.Equal("", Render(DoraSnapshot.Empty, new CollectorTelemetry(new ManualClock(ComputedAt)).Read(), ComputedAt));

    [Fact]
    public void A_source_that_never_succeeded_has_no_last_success_timestamp()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(ComputedAt));
        telemetry.IngestFailed("alertmanager");

        var text = Render(DoraSnapshot.Empty, telemetry.Read(), ComputedAt);

        Assert.Contains("dora_collector_ingest_errors_total{source=\"alertmanager\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dora_collector_last_success_timestamp_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_durations_are_a_histogram_per_source()
    {
        var telemetry = new CollectorTelemetry(new ManualClock(ComputedAt));
        telemetry.WebhookAnswered("flux", TimeSpan.FromMilliseconds(4));
        telemetry.WebhookAnswered("flux", TimeSpan.FromMilliseconds(70));
        telemetry.WebhookAnswered("argocd", TimeSpan.FromSeconds(11));

        var text = Render(DoraSnapshot.Empty, telemetry.Read(), ComputedAt);

        Assert.Contains(
            """
            # TYPE dora_collector_webhook_duration_seconds histogram
            dora_collector_webhook_duration_seconds_bucket{source="argocd",le="0.005"} 0
            """, text, StringComparison.Ordinal);
        Assert.Contains(
            """
            dora_collector_webhook_duration_seconds_bucket{source="argocd",le="10"} 0
            dora_collector_webhook_duration_seconds_bucket{source="argocd",le="+Inf"} 1
            dora_collector_webhook_duration_seconds_sum{source="argocd"} 11
            dora_collector_webhook_duration_seconds_count{source="argocd"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.005"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.01"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.025"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.05"} 1
            dora_collector_webhook_duration_seconds_bucket{source="flux",le="0.1"} 2
            """, text, StringComparison.Ordinal);
        Assert.Contains(
            """
            dora_collector_webhook_duration_seconds_sum{source="flux"} 0.074
            dora_collector_webhook_duration_seconds_count{source="flux"} 2
            """, text, StringComparison.Ordinal);
    }

    private static string Render(DoraSnapshot snapshot, TelemetryReading telemetry, DateTimeOffset now)
    {
        var writer = new PrometheusTextWriter(throwOnDuplicate: true);
        CollectorExposition.Write(writer, snapshot, telemetry, now);
        return writer.ToString();
    }
}
