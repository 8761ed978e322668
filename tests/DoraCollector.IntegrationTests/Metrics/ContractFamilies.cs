namespace DoraCollector.IntegrationTests.Metrics;

/// <summary>The metric families of the outside contract (docs/metrics.md, "Prometheus metrics") that dashboards and alerts query.</summary>
internal static class ContractFamilies
{
    public static readonly string[] Dora =
    [
        "dora_deployment_frequency_per_day",
        "dora_deployment_day_coverage_ratio",
        "dora_lead_time_for_changes_seconds",
        "dora_lead_time_coding_seconds",
        "dora_lead_time_review_seconds",
        "dora_lead_time_deploy_seconds",
        "dora_change_failure_rate_ratio",
        "dora_time_to_restore_seconds",
        "dora_failed_deployment_recovery_time_seconds",
        "dora_rework_rate_ratio",
        "dora_performance_level",
        "dora_performance_level_score",
        "dora_deployments",
        "dora_changes",
        "dora_incidents",
        "dora_deployments_total",
        "dora_last_deployment_timestamp_seconds",
        "dora_last_incident_start_timestamp_seconds",
    ];

    public static readonly string[] Collector =
    [
        "dora_collector_snapshot_timestamp_seconds",
        "dora_collector_snapshot_age_seconds",
        "dora_collector_snapshot_compute_duration_seconds",
        "dora_collector_unattributed_incidents",
        "dora_collector_discarded_lead_times",
        "dora_collector_ingest_events_total",
        "dora_collector_ingest_errors_total",
        "dora_collector_last_success_timestamp_seconds",
        "dora_collector_webhook_rejections_total",
        "dora_collector_webhook_duration_seconds",
        "dora_collector_job_runs_total",
        "dora_collector_job_duration_seconds",
        "dora_collector_history_gaps_total",
        "dora_collector_events_ignored_total",
        "dora_collector_github_requests_total",
        "dora_collector_github_rate_limit_remaining",
    ];

    public static IEnumerable<string> All => Dora.Concat(Collector);

    /// <summary>The histogram families: Prometheus stores each as three series names.</summary>
    public static readonly string[] Histograms = ["dora_collector_webhook_duration_seconds"];

    /// <summary>The names Prometheus stores: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c>, every other family by its own name.</summary>
    public static IEnumerable<string> SeriesNames =>
        All.SelectMany(family => Histograms.Contains(family) ? [$"{family}_bucket", $"{family}_sum", $"{family}_count"] : new[] { family });
}
