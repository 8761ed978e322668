using DoraCollector.Metrics;

namespace DoraCollector.Reports;

/// <summary>Which way a metric should move.</summary>
internal enum Direction
{
    HigherIsBetter,
    LowerIsBetter,

    /// <summary>A count shown for context: more is neither better nor worse.</summary>
    Neutral,
}

internal enum MetricUnit
{
    /// <summary>Deployments per day.</summary>
    PerDay,

    /// <summary>A ratio from 0 to 1, shown as a percentage; changes are percentage points.</summary>
    Ratio,
    Seconds,
    Count,
}

/// <summary>
/// One row of a report's metric table: how to read it from the engine's <see cref="MetricValues"/>
/// (null is no data), its unit, which way is better, the level it is judged by, if any, and its
/// 95 % interval (docs/metrics.md, "How sure a number is"), if it has one.
/// </summary>
/// <param name="Key">Stable snake_case name used in CSV headers and element ids.</param>
/// <param name="Headline">Shown in breakdowns and trend charts, not only in the full table.</param>
internal sealed record ReportMetric(
    string Key,
    string Name,
    MetricUnit Unit,
    Direction Direction,
    Func<MetricValues, double?> ReadValue,
    DoraMetric? Level = null,
    bool Headline = false,
    Func<MetricConfidence, Interval?>? ReadInterval = null)
{
    /// <summary>The value; null for no data, and for a period before the records begin (even a count).</summary>
    public double? Read(MetricValues values) => values.BeforeRecords ? null : ReadValue(values);

    /// <summary>The 95 % interval of the value; null for a count, no data, or values made without a sample.</summary>
    public Interval? IntervalOf(MetricValues values) =>
        ReadInterval is { } read && values.Confidence is { } confidence && Read(values) is not null ? read(confidence) : null;

    /// <summary>The level the whole interval allows; null when none is judged or the interval spans bands.</summary>
    public PerformanceLevel? LevelOf(MetricValues values) =>
        Level is not { } metric ? null
        : values.Confidence is { } confidence ? (confidence.Levels.TryGetValue(metric, out var sure) ? sure : null)
        : values.Levels.TryGetValue(metric, out var level) ? level : null;

    /// <summary>The metric was judged on its value, but its interval spans more than one band.</summary>
    public bool NotEnoughData(MetricValues values) =>
        Level is { } metric && values.Levels.ContainsKey(metric) && LevelOf(values) is null;

    /// <summary>This period against the one before; nothing to compare with a period before the records begin.</summary>
    public MetricChange Compare(MetricValues current, MetricValues previous) =>
        previous.BeforeRecords && Read(current) is { } now
            ? new MetricChange(now, null, null, null, Movement.None, Verdict.NoEarlierData)
            : MetricChange.Compare(Read(current), Read(previous), Direction, IntervalOf(current), IntervalOf(previous));

    public static readonly ReportMetric DeploymentFrequency = new(
        "deployment_frequency_per_day", "Deployment frequency", MetricUnit.PerDay, Direction.HigherIsBetter,
        v => v.DeploymentFrequencyPerDay, DoraMetric.DeploymentFrequency, Headline: true, c => c.DeploymentFrequencyPerDay);

    public static readonly ReportMetric DeploymentDays = new(
        "deployment_days_ratio", "Days with a deployment", MetricUnit.Ratio, Direction.HigherIsBetter, v => v.DeploymentDaysRatio,
        ReadInterval: c => c.DeploymentDaysRatio);

    public static readonly ReportMetric LeadTime = new(
        "lead_time_p50_seconds", "Lead time for changes (median)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.LeadTime?.P50, DoraMetric.LeadTimeForChanges, Headline: true, c => c.LeadTime?.P50);

    public static readonly ReportMetric LeadTimeP90 = new(
        "lead_time_p90_seconds", "Lead time for changes (p90)", MetricUnit.Seconds, Direction.LowerIsBetter, v => v.LeadTime?.P90,
        ReadInterval: c => c.LeadTime?.P90);

    public static readonly ReportMetric Coding = new(
        "lead_time_coding_p50_seconds", "Coding: first commit → PR opened (median)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.LeadTimeCoding?.P50, ReadInterval: c => c.LeadTimeCoding?.P50);

    public static readonly ReportMetric Review = new(
        "lead_time_review_p50_seconds", "Review: PR opened → merged (median)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.LeadTimeReview?.P50, ReadInterval: c => c.LeadTimeReview?.P50);

    public static readonly ReportMetric Deploy = new(
        "lead_time_deploy_p50_seconds", "Deploy: merged → live (median)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.LeadTimeDeploy?.P50, ReadInterval: c => c.LeadTimeDeploy?.P50);

    public static readonly ReportMetric ChangeFailureRate = new(
        "change_failure_rate", "Change failure rate", MetricUnit.Ratio, Direction.LowerIsBetter,
        v => v.ChangeFailureRate, DoraMetric.ChangeFailureRate, Headline: true, c => c.ChangeFailureRate);

    public static readonly ReportMetric TimeToRestore = new(
        "time_to_restore_p50_seconds", "Time to restore service (median)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.TimeToRestore?.P50, DoraMetric.TimeToRestore, Headline: true, c => c.TimeToRestore?.P50);

    public static readonly ReportMetric TimeToRestoreP90 = new(
        "time_to_restore_p90_seconds", "Time to restore service (p90)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.TimeToRestore?.P90, ReadInterval: c => c.TimeToRestore?.P90);

    public static readonly ReportMetric Recovery = new(
        "failed_deployment_recovery_p50_seconds", "Failed deployment recovery time (median)", MetricUnit.Seconds, Direction.LowerIsBetter,
        v => v.FailedDeploymentRecoveryTime?.P50, DoraMetric.FailedDeploymentRecoveryTime, Headline: true,
        c => c.FailedDeploymentRecoveryTime?.P50);

    public static readonly ReportMetric ReworkRate = new(
        "rework_rate", "Deployment rework rate", MetricUnit.Ratio, Direction.LowerIsBetter, v => v.ReworkRate, Headline: true, ReadInterval: c => c.ReworkRate);

    /// <summary>The DORA metrics with their parts, in the order of the report's metric table.</summary>
    public static readonly IReadOnlyList<ReportMetric> Performance =
    [
        DeploymentFrequency, DeploymentDays, LeadTime, LeadTimeP90, Coding, Review, Deploy,
        ChangeFailureRate, TimeToRestore, TimeToRestoreP90, Recovery, ReworkRate,
    ];

    /// <summary>What happened, for context: counts in the period.</summary>
    public static readonly IReadOnlyList<ReportMetric> Activity =
    [
        new("deployments", "Deployments that went live", MetricUnit.Count, Direction.Neutral, v => v.Deployments.Live),
        new("deployments_failed", "… of them failed later", MetricUnit.Count, Direction.Neutral, v => v.Deployments.Failed),
        new("deployments_rollout_failed", "Rollouts that failed", MetricUnit.Count, Direction.Neutral, v => v.Deployments.RolloutFailed),
        new("redeploys", "Redeploys (not counted)", MetricUnit.Count, Direction.Neutral, v => v.Deployments.Redeploys),
        new("changes", "Changes deployed", MetricUnit.Count, Direction.Neutral, v => v.Changes),
        new("incidents_resolved", "Incidents resolved", MetricUnit.Count, Direction.Neutral, v => v.ResolvedIncidents),
        new("incidents_open", "Incidents open at the end", MetricUnit.Count, Direction.Neutral, v => v.OpenIncidents),
        new("discarded_lead_times", "Lead times discarded (≤ 0)", MetricUnit.Count, Direction.Neutral, v => v.DiscardedLeadTimes),
    ];

    public static readonly IReadOnlyList<ReportMetric> Headlines = Performance.Where(m => m.Headline).ToList();

    public static readonly IReadOnlyList<ReportMetric> All = [.. Performance, .. Activity];
}
