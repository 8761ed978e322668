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
        "dora_collector_ingest_events_total",
        "dora_collector_ingest_errors_total",
        "dora_collector_last_success_timestamp_seconds",
        "dora_collector_webhook_rejections_total",
        "dora_collector_webhook_duration_seconds",
        "dora_collector_inbox_wait_seconds",
        "dora_collector_inbox_write_seconds",
        "dora_collector_job_runs_total",
        "dora_collector_job_duration_seconds",
        "dora_collector_history_gaps_total",
        "dora_collector_events_ignored_total",
        "dora_collector_github_requests_total",
        "dora_collector_github_rate_limit_remaining",
        "dora_collector_snapshot_timestamp_seconds",
        "dora_collector_snapshot_age_seconds",
        "dora_collector_snapshot_compute_duration_seconds",
        "dora_collector_unattributed_incidents",
        "dora_collector_discarded_lead_times",
        "dora_collector_unresolved_deployments",
    ];

    public static IEnumerable<string> All => Dora.Concat(Collector);

    /// <summary>
    /// The standard families prometheus-net brings (docs/metrics.md, "Process, runtime and HTTP"):
    /// what every .NET service's dashboards expect, so their names are a contract too.
    /// </summary>
    public static readonly string[] Standard =
    [
        "http_requests_in_progress",
        "http_requests_received_total",
        "http_request_duration_seconds",
        "dotnet_collection_count_total",
        "process_start_time_seconds",
        "process_cpu_seconds_total",
        "process_virtual_memory_bytes",
        "process_working_set_bytes",
        "process_private_memory_bytes",
        "process_open_handles",
        "process_num_threads",
        "dotnet_total_memory_bytes",
    ];

    /// <summary>The histogram families: Prometheus stores each as three series names.</summary>
    public static readonly string[] Histograms = ["dora_collector_webhook_duration_seconds", "dora_collector_inbox_wait_seconds", "dora_collector_inbox_write_seconds", "http_request_duration_seconds"];

    /// <summary>The names Prometheus stores: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c>, every other family by its own name.</summary>
    public static IEnumerable<string> SeriesNames => SeriesOf(All);

    /// <summary><see cref="SeriesNames"/> of the standard families.</summary>
    public static IEnumerable<string> StandardSeriesNames => SeriesOf(Standard);

    private static IEnumerable<string> SeriesOf(IEnumerable<string> families) =>
        families.SelectMany(family => Histograms.Contains(family) ? [$"{family}_bucket", $"{family}_sum", $"{family}_count"] : new[] { family });
}
