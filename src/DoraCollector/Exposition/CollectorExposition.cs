using DoraCollector.Metrics;
using DoraCollector.Hosting;

namespace DoraCollector.Exposition;

/// <summary>
/// The <c>dora_collector_*</c> families: how the collector itself is doing. Rendered at every
/// scrape (a few dozen samples) because ages and counters move between snapshots.
/// </summary>
internal static class CollectorExposition
{
    private static readonly Label Success = new("outcome", "success");
    private static readonly Label Failure = new("outcome", "failure");

    public static void Write(PrometheusTextWriter writer, DoraSnapshot snapshot, TelemetryReading telemetry, DateTimeOffset now)
    {
        // Before the first snapshot there is no timestamp, age, duration or data quality to
        // report: absent series say so, where zeros would pass for a fresh, clean snapshot.
        if (!snapshot.IsEmpty)
        {
            Single(writer, "dora_collector_snapshot_timestamp_seconds",
                "When the published DORA snapshot was computed, in seconds since the Unix epoch.", UnixSeconds(snapshot.ComputedAt));
            Single(writer, "dora_collector_snapshot_age_seconds",
                "Seconds since the published DORA snapshot was computed.", (now - snapshot.ComputedAt).TotalSeconds);
            Single(writer, "dora_collector_snapshot_compute_duration_seconds",
                "How long computing the published DORA snapshot took, in seconds.", snapshot.ComputeDuration.TotalSeconds);
            Single(writer, "dora_collector_unattributed_incidents",
                "Incident signals no service could be found for, over the longest window.", snapshot.Quality.UnattributedIncidents);
            Single(writer, "dora_collector_discarded_lead_times",
                "Changes left out of lead time because it was zero or negative (clock skew), over the longest window.",
                snapshot.Quality.DiscardedLeadTimes);
        }

        writer.Family("dora_collector_ingest_events_total", MetricType.Counter,
            "Payloads stored and mapped, per source, since this replica started.");
        foreach (var source in telemetry.Sources)
        {
            writer.Sample(source.Events, new Label("source", source.Source));
        }

        writer.Family("dora_collector_ingest_errors_total", MetricType.Counter,
            "Payloads that could not be stored or mapped and failed polls, per source, since this replica started.");
        foreach (var source in telemetry.Sources)
        {
            writer.Sample(source.Errors, new Label("source", source.Source));
        }

        writer.Family("dora_collector_last_success_timestamp_seconds", MetricType.Gauge,
            "When this replica last ingested from the source, in seconds since the Unix epoch.");
        foreach (var source in telemetry.Sources)
        {
            if (source.LastSuccessAt is { } at)
            {
                writer.Sample(UnixSeconds(at), new Label("source", source.Source));
            }
        }

        writer.Family("dora_collector_webhook_rejections_total", MetricType.Counter,
            "Webhook and ingest API requests refused, by source and reason, since this replica started.");
        foreach (var rejection in telemetry.Rejections)
        {
            writer.Sample(rejection.Count, new Label("source", rejection.Source), new Label("reason", rejection.Reason));
        }

        writer.Family("dora_collector_webhook_duration_seconds", MetricType.Histogram,
            "How long this replica took to answer webhook and ingest API requests (stored, duplicate or refused), per source, in seconds.");
        foreach (var source in telemetry.WebhookDurations)
        {
            writer.Histogram(source.Durations, new Label("source", source.Source));
        }

        writer.Family("dora_collector_job_runs_total", MetricType.Counter,
            "Background job runs on this replica by outcome (success, failure) since it started.");
        foreach (var job in telemetry.Jobs)
        {
            writer.Sample(job.Runs, new Label("job", job.Job), Success);
            writer.Sample(job.Failures, new Label("job", job.Job), Failure);
        }

        writer.Family("dora_collector_job_duration_seconds", MetricType.Gauge,
            "How long the last run of the job on this replica took, in seconds.");
        foreach (var job in telemetry.Jobs)
        {
            writer.Sample(job.LastDuration.TotalSeconds, new Label("job", job.Job));
        }

        writer.Family("dora_collector_history_gaps_total", MetricType.Counter,
            "Rollouts that may have been missed because a source's bounded history rolled over between two reads, per source, since this replica started.");
        foreach (var gap in telemetry.HistoryGaps)
        {
            writer.Sample(gap.Entries, new Label("source", gap.Source));
        }

        writer.Family("dora_collector_events_ignored_total", MetricType.Counter,
            "Stored events ignored when mapped, by source and reason (implausible_time, name_too_long, no_mapper), since this replica started.");
        foreach (var ignored in telemetry.Ignored ?? [])
        {
            writer.Sample(ignored.Count, new Label("source", ignored.Source), new Label("reason", ignored.Reason));
        }

        WriteGitHub(writer, telemetry.GitHub);
    }

    private static void WriteGitHub(PrometheusTextWriter writer, GitHubReading? github)
    {
        if (github is null)
        {
            return;
        }

        writer.Family("dora_collector_github_requests_total", MetricType.Counter,
            "Requests this replica sent to GitHub by API (rest, graphql) and outcome (success, not_modified, error, rate_limited, timeout) since it started.");
        foreach (var request in github.Requests)
        {
            writer.Sample(request.Count, new Label("api", request.Api), new Label("outcome", request.Outcome));
        }

        writer.Family("dora_collector_github_rate_limit_remaining", MetricType.Gauge,
            "Requests (REST) or points (GraphQL) left of the GitHub primary rate limit in the current hour, as GitHub last reported, per resource.");
        foreach (var limit in github.RateLimits)
        {
            writer.Sample(limit.Remaining, new Label("resource", limit.Resource));
        }
    }

    private static void Single(PrometheusTextWriter writer, string name, string help, double value)
    {
        writer.Family(name, MetricType.Gauge, help);
        writer.Sample(value);
    }

    private static double UnixSeconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;
}
