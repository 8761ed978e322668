using Prometheus;

namespace DoraCollector.Hosting;

/// <summary>
/// The collector's own counters (per replica, since start): ingested events and errors per
/// source, webhook rejections and ignored events by reason, how long webhooks took to answer, job
/// runs, GitHub requests. prometheus-net metrics in a registry of this instance (never the
/// library's static default), rendered by <c>/metrics</c> as <c>dora_collector_*</c>
/// (docs/metrics.md, "Collector health").
/// </summary>
internal sealed class CollectorTelemetry
{
    /// <summary>
    /// The Go client's default buckets (5 ms to 10 s): fine where an answer should be
    /// (milliseconds), and up to where senders give up (GitHub waits 10 s).
    /// </summary>
    public static readonly double[] WebhookBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Finer at the low end than <see cref="WebhookBuckets"/>: a durable write of the inbox takes a
    /// commit's flush, milliseconds on a good disk, so the 1-50 ms range is where it is told apart.
    /// </summary>
    public static readonly double[] InboxBuckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly TimeProvider _clock;
    private readonly Counter _events;
    private readonly Counter _errors;
    private readonly Gauge _lastSuccess;
    private readonly Counter _rejections;
    private readonly Histogram _webhookDurations;
    private readonly Histogram _inboxWaits;
    private readonly Histogram _inboxWrites;
    private readonly Counter _jobRuns;
    private readonly Gauge _jobDuration;
    private readonly Counter _historyGaps;
    private readonly Counter _ignored;
    private readonly Counter _githubRequests;
    private readonly Gauge _githubRateLimit;

    public CollectorTelemetry(TimeProvider clock)
    {
        _clock = clock;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var unsetUntilSet = new GaugeConfiguration { SuppressInitialValue = true };

        _events = Factory.CreateCounter("dora_collector_ingest_events_total",
            "Payloads stored and mapped, per source, since this replica started.", ["source"]);
        _errors = Factory.CreateCounter("dora_collector_ingest_errors_total",
            "Payloads that could not be stored or mapped and failed polls, per source, since this replica started.", ["source"]);
        _lastSuccess = Factory.CreateGauge("dora_collector_last_success_timestamp_seconds",
            "When this replica last ingested from the source, in seconds since the Unix epoch.", ["source"], unsetUntilSet);
        _rejections = Factory.CreateCounter("dora_collector_webhook_rejections_total",
            "Webhook and ingest API requests refused, by source and reason, since this replica started.", ["source", "reason"]);

        _webhookDurations = Factory.CreateHistogram("dora_collector_webhook_duration_seconds",
            "How long this replica took to answer webhook and ingest API requests (stored, duplicate or refused), per source, in seconds.",
            ["source"], new HistogramConfiguration { Buckets = WebhookBuckets });
        _inboxWaits = Factory.CreateHistogram("dora_collector_inbox_wait_seconds",
            "How long a webhook delivery waited on this replica for a writer to take it into a batch of the inbox, in seconds.",
            new HistogramConfiguration { Buckets = InboxBuckets, SuppressInitialValue = true });
        _inboxWrites = Factory.CreateHistogram("dora_collector_inbox_write_seconds",
            "How long storing one batch of webhook deliveries in the inbox took on this replica, statement and commit, in seconds.",
            new HistogramConfiguration { Buckets = InboxBuckets, SuppressInitialValue = true });
        _jobRuns = Factory.CreateCounter("dora_collector_job_runs_total",
            "Background job runs on this replica by outcome (success, failure) since it started.", ["job", "outcome"]);
        _jobDuration = Factory.CreateGauge("dora_collector_job_duration_seconds",
            "How long the last run of the job on this replica took, in seconds.", ["job"]);
        _historyGaps = Factory.CreateCounter("dora_collector_history_gaps_total",
            "Rollouts that may have been missed because a source's bounded history rolled over between two reads, per source, since this replica started.",
            ["source"]);
        _ignored = Factory.CreateCounter("dora_collector_events_ignored_total",
            "Stored events ignored when mapped, by source and reason (implausible_time, name_too_long, no_mapper), since this replica started.",
            ["source", "reason"]);
        _githubRequests = Factory.CreateCounter("dora_collector_github_requests_total",
            "Requests this replica sent to GitHub by API (rest, graphql) and outcome (success, not_modified, error, rate_limited, timeout) since it started.",
            ["api", "outcome"]);
        _githubRateLimit = Factory.CreateGauge("dora_collector_github_rate_limit_remaining",
            "Requests (REST) or points (GraphQL) left of the GitHub primary rate limit in the current hour, as GitHub last reported, per resource.",
            ["resource"]);
    }

    /// <summary>Where these metrics live; <c>/metrics</c> renders it whole.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates further metrics in <see cref="Registry"/> (the snapshot gauges, the HTTP request metrics).</summary>
    public IMetricFactory Factory { get; }

    /// <summary><paramref name="events"/> payloads of <paramref name="source"/> were stored and mapped.</summary>
    public void Ingested(string source, int events = 1)
    {
        _events.WithLabels(source).Inc(events);

        // Both counters of a source appear together, so a rate of errors over events never lacks its divisor.
        _errors.WithLabels(source).Inc(0);
        _lastSuccess.WithLabels(source).Set(_clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>A payload of <paramref name="source"/> could not be stored or mapped, or a poll failed.</summary>
    public void IngestFailed(string source, int events = 1)
    {
        _errors.WithLabels(source).Inc(events);
        _events.WithLabels(source).Inc(0);
    }

    /// <summary>A webhook request was refused (reason: <c>signature</c>, <c>unauthorized</c>, <c>malformed</c>, ...).</summary>
    public void WebhookRejected(string source, string reason) => _rejections.WithLabels(source, reason).Inc();

    /// <summary>
    /// A webhook or ingest API request of <paramref name="source"/> was answered (whatever the answer)
    /// <paramref name="elapsed"/> after it arrived.
    /// </summary>
    public void WebhookAnswered(string source, TimeSpan elapsed) => _webhookDurations.WithLabels(source).Observe(elapsed.TotalSeconds);

    /// <summary>A webhook delivery waited <paramref name="waited"/> for a writer of the inbox to take it.</summary>
    public void InboxWaited(TimeSpan waited) => _inboxWaits.Observe(waited.TotalSeconds);

    /// <summary>A batch of webhook deliveries took <paramref name="elapsed"/> to be stored, its commit included.</summary>
    public void InboxWritten(TimeSpan elapsed) => _inboxWrites.Observe(elapsed.TotalSeconds);

    /// <summary>
    /// A source's bounded history (Argo CD's <c>revisionHistoryLimit</c>, Flux's five
    /// <c>status.history</c> entries) moved on by more than it holds between two reads: about
    /// <paramref name="entries"/> rollouts may have been missed.
    /// </summary>
    public void HistoryGap(string source, long entries) => _historyGaps.WithLabels(source).Inc(entries);

    /// <summary>
    /// <paramref name="events"/> stored events of <paramref name="source"/> were ignored when mapped
    /// (reason: <c>implausible_time</c>, <c>name_too_long</c>, <c>no_mapper</c>).
    /// </summary>
    public void EventsIgnored(string source, string reason, int events = 1) => _ignored.WithLabels(source, reason).Inc(events);

    public void JobFinished(string job, TimeSpan duration, bool succeeded)
    {
        _jobRuns.WithLabels(job, succeeded ? "success" : "failure").Inc();
        _jobRuns.WithLabels(job, succeeded ? "failure" : "success").Inc(0);
        _jobDuration.WithLabels(job).Set(duration.TotalSeconds);
    }

    /// <summary>A request to the GitHub <paramref name="api"/> (<c>rest</c>, <c>graphql</c>) ended with <paramref name="outcome"/>.</summary>
    public void GitHubRequest(string api, string outcome) => _githubRequests.WithLabels(api, outcome).Inc();

    /// <summary>What GitHub last said is left of the primary rate limit of <paramref name="resource"/> (<c>core</c>, <c>graphql</c>).</summary>
    public void GitHubRateLimit(string resource, long remaining) => _githubRateLimit.WithLabels(resource).Set(remaining);

    /// <summary>Per source this replica ingested from or failed to: its counts and last success, by source name.</summary>
    public IReadOnlyList<SourceReading> Sources() =>
        _events.GetAllLabelValues()
            .Select(labels => labels[0])
            .Order(StringComparer.Ordinal)
            .Select(source => new SourceReading(
                source,
                (long)_events.WithLabels(source).Value,
                (long)_errors.WithLabels(source).Value,
                _lastSuccess.WithLabels(source).Value is var seconds and > 0
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
                    : null))
            .ToList();
}

internal sealed record SourceReading(string Source, long Events, long Errors, DateTimeOffset? LastSuccessAt);
