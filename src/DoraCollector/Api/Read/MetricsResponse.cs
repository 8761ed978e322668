using DoraCollector.Metrics;

namespace DoraCollector.Api.Read;

/// <summary>
/// The in-memory snapshot as JSON. Durations are seconds; a null value means no data in the
/// window, never zero; levels are given only for the metrics that were judged.
/// </summary>
/// <param name="ComputedAt">Null until the snapshot has been computed once.</param>
internal sealed record MetricsResponse(
    DateTimeOffset? ComputedAt,
    IReadOnlyList<string> Windows,
    IReadOnlyList<SeriesItem> Series,
    DataQuality DataQuality);

internal sealed record SeriesItem(
    string Scope,
    string? Service,
    string? Team,
    string Environment,
    string Window,
    double DeploymentFrequencyPerDay,
    double DeploymentDaysRatio,
    Quantiles? LeadTimeForChanges,
    Quantiles? LeadTimeCoding,
    Quantiles? LeadTimeReview,
    Quantiles? LeadTimeDeploy,
    double? ChangeFailureRate,
    Quantiles? TimeToRestore,
    Quantiles? FailedDeploymentRecoveryTime,
    double? ReworkRate,
    DeploymentCountsItem Deployments,
    int Changes,
    IncidentCountsItem Incidents,
    int DiscardedLeadTimes,
    IReadOnlyDictionary<string, string> Levels,
    ConfidenceItem? Confidence)
{
    public static SeriesItem From(SeriesValues series)
    {
        var (key, v) = (series.Key, series.Values);
        return new SeriesItem(
            key.Scope, key.Service, key.Team, key.Environment, series.Window,
            v.DeploymentFrequencyPerDay, v.DeploymentDaysRatio,
            v.LeadTime, v.LeadTimeCoding, v.LeadTimeReview, v.LeadTimeDeploy,
            v.ChangeFailureRate, v.TimeToRestore, v.FailedDeploymentRecoveryTime, v.ReworkRate,
            new DeploymentCountsItem(v.Deployments.Succeeded, v.Deployments.Failed, v.Deployments.RolloutFailed, v.Deployments.Redeploys),
            v.Changes,
            new IncidentCountsItem(v.OpenIncidents, v.ResolvedIncidents),
            v.DiscardedLeadTimes,
            LevelMap(v.Levels),
            v.Confidence is { } c ? ConfidenceItem.From(c, v.Levels) : null);
    }

    internal static Dictionary<string, string> LevelMap(IReadOnlyDictionary<DoraMetric, PerformanceLevel> levels) =>
        levels.OrderBy(l => l.Key).ToDictionary(l => MetricName(l.Key), l => LevelName(l.Value), StringComparer.Ordinal);

    internal static string MetricName(DoraMetric metric) => metric switch
    {
        DoraMetric.DeploymentFrequency => "deploymentFrequency",
        DoraMetric.LeadTimeForChanges => "leadTimeForChanges",
        DoraMetric.ChangeFailureRate => "changeFailureRate",
        DoraMetric.TimeToRestore => "timeToRestore",
        DoraMetric.FailedDeploymentRecoveryTime => "failedDeploymentRecoveryTime",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    private static string LevelName(PerformanceLevel level) => level switch
    {
        PerformanceLevel.Elite => "elite",
        PerformanceLevel.High => "high",
        PerformanceLevel.Medium => "medium",
        PerformanceLevel.Low => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}

/// <summary>The outcome partition, named as the <c>outcome</c> filter of <c>/api/v1/deployments</c>.</summary>
internal sealed record DeploymentCountsItem(int Success, int Failed, int RolloutFailed, int Redeploy);

internal sealed record IncidentCountsItem(int Open, int Resolved);

/// <summary>
/// The 95 % intervals of a series' metrics (docs/metrics.md, "How sure a number is"). <c>levels</c>
/// holds only the levels the whole interval allows; <c>notEnoughData</c> the judged metrics whose
/// interval spans more than one band.
/// </summary>
internal sealed record ConfidenceItem(
    IntervalItem DeploymentFrequencyPerDay,
    IntervalItem? DeploymentDaysRatio,
    QuantileIntervalsItem? LeadTimeForChanges,
    QuantileIntervalsItem? LeadTimeCoding,
    QuantileIntervalsItem? LeadTimeReview,
    QuantileIntervalsItem? LeadTimeDeploy,
    IntervalItem? ChangeFailureRate,
    QuantileIntervalsItem? TimeToRestore,
    QuantileIntervalsItem? FailedDeploymentRecoveryTime,
    IntervalItem? ReworkRate,
    IReadOnlyDictionary<string, string> Levels,
    IReadOnlyList<string> NotEnoughData)
{
    public static ConfidenceItem From(MetricConfidence c, IReadOnlyDictionary<DoraMetric, PerformanceLevel> judged) => new(
        IntervalItem.From(c.DeploymentFrequencyPerDay),
        IntervalItem.Of(c.DeploymentDaysRatio),
        QuantileIntervalsItem.Of(c.LeadTime),
        QuantileIntervalsItem.Of(c.LeadTimeCoding),
        QuantileIntervalsItem.Of(c.LeadTimeReview),
        QuantileIntervalsItem.Of(c.LeadTimeDeploy),
        IntervalItem.Of(c.ChangeFailureRate),
        QuantileIntervalsItem.Of(c.TimeToRestore),
        QuantileIntervalsItem.Of(c.FailedDeploymentRecoveryTime),
        IntervalItem.Of(c.ReworkRate),
        SeriesItem.LevelMap(c.Levels),
        judged.Keys.Where(m => !c.Levels.ContainsKey(m)).Order().Select(SeriesItem.MetricName).ToList());
}

/// <summary>A 95 % interval and its sample size; <c>high</c> is null when the sample cannot bound it.</summary>
internal sealed record IntervalItem(int N, double Low, double? High)
{
    public static IntervalItem From(Interval i) => new(i.N, i.Low, i.IsBounded ? i.High : null);

    public static IntervalItem? Of(Interval? i) => i is null ? null : From(i);
}

internal sealed record QuantileIntervalsItem(IntervalItem P50, IntervalItem P90)
{
    public static QuantileIntervalsItem? Of(QuantileIntervals? q) => q is null ? null : new(IntervalItem.From(q.P50), IntervalItem.From(q.P90));
}
