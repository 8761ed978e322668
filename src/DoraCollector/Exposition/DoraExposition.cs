using DoraCollector.Metrics;
namespace DoraCollector.Exposition;

/// <summary>
/// The <c>dora_*</c> families of a snapshot, rendered once when the snapshot is published (a
/// scrape only copies the bytes). Names, labels and label order are the outside contract that
/// dashboards and alert rules query; <c>docs/metrics.md</c> describes each family.
/// </summary>
internal static class DoraExposition
{
    private const string Scope = "scope";

    private static readonly Label Median = new("quantile", "0.5");
    private static readonly Label Ninetieth = new("quantile", "0.9");
    private static readonly Label Open = new("state", "open");
    private static readonly Label Resolved = new("state", "resolved");

    // The outcomes partition the deployments, so sum by (outcome) is the number of rollouts.
    private static readonly Label Success = new("outcome", "success");
    private static readonly Label Failed = new("outcome", "failed");
    private static readonly Label RolloutFailed = new("outcome", "rollout_failed");
    private static readonly Label Redeploy = new("outcome", "redeploy");

    private static readonly (DoraMetric Metric, Label Label)[] LevelMetrics =
    [
        (DoraMetric.DeploymentFrequency, new("metric", "deployment_frequency")),
        (DoraMetric.LeadTimeForChanges, new("metric", "lead_time_for_changes")),
        (DoraMetric.ChangeFailureRate, new("metric", "change_failure_rate")),
        (DoraMetric.TimeToRestore, new("metric", "time_to_restore")),
        (DoraMetric.FailedDeploymentRecoveryTime, new("metric", "failed_deployment_recovery_time")),
    ];

    private static readonly (PerformanceLevel Level, Label Label)[] Levels =
    [
        (PerformanceLevel.Elite, new("level", "elite")),
        (PerformanceLevel.High, new("level", "high")),
        (PerformanceLevel.Medium, new("level", "medium")),
        (PerformanceLevel.Low, new("level", "low")),
    ];

    /// <summary>A guess at the output size, so the buffer rarely has to grow.</summary>
    public static int EstimatedSize(DoraSnapshot snapshot) => 4096 + (snapshot.Series.Count * 6144) + (snapshot.Totals.Count * 512) + (snapshot.Latest.Count * 384);

    public static void Write(DoraSnapshot snapshot, PrometheusTextWriter writer, PublishPolicy policy)
    {
        var series = Ordered(snapshot, policy);
        var totals = snapshot.Totals
            .Where(t => policy.Publishes(t.Key))
            .OrderBy(t => t.Key, KeyOrder.Instance)
            .Select(t => (Labels: KeyLabels(t.Key, window: null), t.Counts))
            .ToList();

        Gauge(writer, series, "dora_deployment_frequency_per_day",
            "Successful, non-redeploy deployments per day in the window.",
            v => v.DeploymentFrequencyPerDay);
        Gauge(writer, series, "dora_deployment_day_coverage_ratio",
            "Share of the window's UTC days with at least one successful, non-redeploy deployment (0 to 1).",
            v => v.DeploymentDaysRatio);
        Quantiles(writer, series, policy.Quantiles, "dora_lead_time_for_changes_seconds",
            "Lead time for changes in seconds, from a change's start (first commit by default) to the finish of the first " +
            "successful deployment that carries it; p50 and p90 over the changes deployed in the window.",
            v => v.LeadTime);
        Quantiles(writer, series, policy.BreakdownQuantiles, "dora_lead_time_coding_seconds",
            "Coding part of the lead time of pull requests in seconds, first commit to pull request opened; p50 and p90 over the window.",
            v => v.LeadTimeCoding);
        Quantiles(writer, series, policy.BreakdownQuantiles, "dora_lead_time_review_seconds",
            "Review part of the lead time of pull requests in seconds, pull request opened to merged; p50 and p90 over the window.",
            v => v.LeadTimeReview);
        Quantiles(writer, series, policy.BreakdownQuantiles, "dora_lead_time_deploy_seconds",
            "Deploy part of the lead time of pull requests in seconds, merged to live; p50 and p90 over the window.",
            v => v.LeadTimeDeploy);
        Gauge(writer, series, "dora_change_failure_rate_ratio",
            "Change failure rate: failed deployments divided by deployments (successful non-redeploys plus failed ones) " +
            "in the window (0 to 1).",
            v => v.ChangeFailureRate);
        Quantiles(writer, series, policy.Quantiles, "dora_time_to_restore_seconds",
            "Time to restore service in seconds, incident start to resolution; p50 and p90 over the incidents resolved in the window.",
            v => v.TimeToRestore);
        Quantiles(writer, series, policy.Quantiles, "dora_failed_deployment_recovery_time_seconds",
            "Failed deployment recovery time in seconds, from a failed deployment's finish to the resolution of its incident " +
            "or the next good deployment, whichever comes first; p50 and p90 over the window.",
            v => v.FailedDeploymentRecoveryTime);
        Gauge(writer, series, "dora_rework_rate_ratio",
            "Deployment rework rate: rollbacks, hotfix or revert deployments and fixes of a failed deployment's open incident, " +
            "divided by successful deployments in the window (0 to 1).",
            v => v.ReworkRate);
        var levelled = series.Where(s => policy.LevelScopes.Contains(s.Key.Scope)).ToList();
        if (policy.LevelStyle != LevelStyle.Score)
        {
            PerformanceLevels(writer, levelled);
        }

        if (policy.LevelStyle != LevelStyle.StateSet)
        {
            LevelScores(writer, levelled);
        }

        Deployments(writer, series.Select(s => (s.Labels, s.Values.Deployments)), "dora_deployments", MetricType.Gauge,
            "Deployments finished in the window by outcome, a partition: success, failed (went live, then judged failed), " +
            "rollout_failed (never went live), redeploy (the revision was already live; not counted in the rates).");
        Gauge(writer, series, "dora_changes",
            "Changes (merged pull requests and direct commits) deployed for the first time in the window.",
            v => v.Changes);
        Incidents(writer, series);
        Deployments(writer, totals, "dora_deployments_total", MetricType.Counter,
            "Deployments by outcome since records began: success, failed, rollout_failed, redeploy (as dora_deployments).");
        var latest = snapshot.Latest
            .Where(l => policy.Publishes(l.Key))
            .OrderBy(l => l.Key, KeyOrder.Instance)
            .Select(l => (Labels: KeyLabels(l.Key, window: null), l.DeploymentFinishedAt, l.IncidentStartedAt))
            .ToList();
        Instants(writer, latest.Select(l => (l.Labels, l.DeploymentFinishedAt)), "dora_last_deployment_timestamp_seconds",
            "Finish of the latest successful, non-redeploy deployment of the service in the environment, in Unix seconds; " +
            "for deployment markers on any graph.");
        Instants(writer, latest.Select(l => (l.Labels, l.IncidentStartedAt)), "dora_last_incident_start_timestamp_seconds",
            "Start of the latest incident (open or resolved) of the service in the environment, in Unix seconds; " +
            "for incident markers on any graph.");
    }

    private static List<(SeriesKey Key, LabelSet Labels, MetricValues Values)> Ordered(DoraSnapshot snapshot, PublishPolicy policy)
    {
        var windowOrder = snapshot.Windows.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
        return snapshot.Series
            .Where(s => policy.Publishes(s.Key, s.Window))
            .OrderBy(s => s.Key, KeyOrder.Instance)
            .ThenBy(s => windowOrder.GetValueOrDefault(s.Window, int.MaxValue))
            .ThenBy(s => s.Window, StringComparer.Ordinal)
            .Select(s => (s.Key, KeyLabels(s.Key, s.Window), s.Values))
            .ToList();
    }

    /// <summary>
    /// scope, service, team, environment, window: service only at service scope, team at
    /// service and team scope when known, window on windowed families only.
    /// </summary>
    private static LabelSet KeyLabels(SeriesKey key, string? window)
    {
        Span<Label> labels = new Label[5];
        var count = 0;
        labels[count++] = new Label(Scope, key.Scope);
        if (key.Scope == SeriesKey.ServiceScope && key.Service is not null)
        {
            labels[count++] = new Label("service", key.Service);
        }

        if (key.Scope != SeriesKey.OrganizationScope && key.Team is not null)
        {
            labels[count++] = new Label("team", key.Team);
        }

        labels[count++] = new Label("environment", key.Environment);
        if (window is not null)
        {
            labels[count++] = new Label("window", window);
        }

        return LabelSet.Create(labels[..count]);
    }

    private static void Gauge(
        PrometheusTextWriter writer, List<(SeriesKey Key, LabelSet Labels, MetricValues Values)> series, string name, string help, Func<MetricValues, double?> value)
    {
        writer.Family(name, MetricType.Gauge, help);
        foreach (var (_, labels, values) in series)
        {
            if (value(values) is { } v)
            {
                writer.Sample(labels, v);
            }
        }
    }

    private static void Quantiles(
        PrometheusTextWriter writer,
        List<(SeriesKey Key, LabelSet Labels, MetricValues Values)> series,
        IReadOnlySet<string> published,
        string name,
        string help,
        Func<MetricValues, Quantiles?> value)
    {
        if (published.Count == 0)
        {
            return;
        }

        writer.Family(name, MetricType.Summary, help);
        foreach (var (_, labels, values) in series)
        {
            if (value(values) is { } quantiles)
            {
                if (published.Contains(Median.Value))
                {
                    writer.Sample(labels, quantiles.P50, Median);
                }

                if (published.Contains(Ninetieth.Value))
                {
                    writer.Sample(labels, quantiles.P90, Ninetieth);
                }
            }
        }
    }

    /// <summary>A state set: the current level is 1, the other three 0; a metric without data has no series.</summary>
    private static void PerformanceLevels(PrometheusTextWriter writer, List<(SeriesKey Key, LabelSet Labels, MetricValues Values)> series)
    {
        writer.Family("dora_performance_level", MetricType.Gauge,
            "DORA performance level of a metric against the benchmark bands, as a state set: 1 for the current level " +
            "(elite, high, medium, low), 0 for the others; no series without data.");
        foreach (var (_, labels, values) in series)
        {
            foreach (var (metric, metricLabel) in LevelMetrics)
            {
                if (!values.Levels.TryGetValue(metric, out var current))
                {
                    continue;
                }

                foreach (var (level, levelLabel) in Levels)
                {
                    writer.Sample(labels, level == current ? 1 : 0, metricLabel, levelLabel);
                }
            }
        }
    }

    /// <summary>One series per metric: 4 elite, 3 high, 2 medium, 1 low; a metric without data has no series.</summary>
    private static void LevelScores(PrometheusTextWriter writer, List<(SeriesKey Key, LabelSet Labels, MetricValues Values)> series)
    {
        writer.Family("dora_performance_level_score", MetricType.Gauge,
            "DORA performance level of a metric against the benchmark bands as one number: 4 elite, 3 high, 2 medium, 1 low; " +
            "no series without data.");
        foreach (var (_, labels, values) in series)
        {
            foreach (var (metric, metricLabel) in LevelMetrics)
            {
                if (values.Levels.TryGetValue(metric, out var current))
                {
                    writer.Sample(labels, Score(current), metricLabel);
                }
            }
        }
    }

    public static int Score(PerformanceLevel level) => level switch
    {
        PerformanceLevel.Elite => 4,
        PerformanceLevel.High => 3,
        PerformanceLevel.Medium => 2,
        _ => 1,
    };

    private static void Deployments(
        PrometheusTextWriter writer, IEnumerable<(LabelSet Labels, DeploymentCounts Counts)> series, string name, MetricType type, string help)
    {
        writer.Family(name, type, help);
        foreach (var (labels, counts) in series)
        {
            writer.Sample(labels, counts.Succeeded, Success);
            writer.Sample(labels, counts.Failed, Failed);
            writer.Sample(labels, counts.RolloutFailed, RolloutFailed);
            writer.Sample(labels, counts.Redeploys, Redeploy);
        }
    }

    private static void Incidents(PrometheusTextWriter writer, List<(SeriesKey Key, LabelSet Labels, MetricValues Values)> series)
    {
        writer.Family("dora_incidents", MetricType.Gauge,
            "Incidents by state: open (not resolved when the snapshot was computed) and resolved (resolved in the window).");
        foreach (var (_, labels, values) in series)
        {
            writer.Sample(labels, values.OpenIncidents, Open);
            writer.Sample(labels, values.ResolvedIncidents, Resolved);
        }
    }

    /// <summary>An instant as Unix seconds, with the milliseconds the database keeps; no instant is no series.</summary>
    private static void Instants(PrometheusTextWriter writer, IEnumerable<(LabelSet Labels, DateTimeOffset? At)> series, string name, string help)
    {
        writer.Family(name, MetricType.Gauge, help);
        foreach (var (labels, at) in series)
        {
            if (at is { } instant)
            {
                writer.Sample(labels, instant.ToUnixTimeMilliseconds() / 1000.0);
            }
        }
    }

    /// <summary>Organisation, then teams, then services; within a scope by label values, a missing label first.</summary>
    private sealed class KeyOrder : IComparer<SeriesKey>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare(SeriesKey? x, SeriesKey? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var byScope = Rank(x.Scope).CompareTo(Rank(y.Scope));
            if (byScope != 0)
            {
                return byScope;
            }

            var byName = string.CompareOrdinal(x.Scope, y.Scope);
            if (byName != 0)
            {
                return byName;
            }

            var byService = string.CompareOrdinal(x.Service, y.Service);
            if (byService != 0)
            {
                return byService;
            }

            var byTeam = string.CompareOrdinal(x.Team, y.Team);
            return byTeam != 0 ? byTeam : string.CompareOrdinal(x.Environment, y.Environment);
        }

        private static int Rank(string scope) => scope switch
        {
            SeriesKey.OrganizationScope => 0,
            SeriesKey.TeamScope => 1,
            SeriesKey.ServiceScope => 2,
            _ => 3,
        };
    }
}
