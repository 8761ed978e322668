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
    IReadOnlyDictionary<string, string> Levels)
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
            v.Levels.OrderBy(l => l.Key).ToDictionary(l => MetricName(l.Key), l => LevelName(l.Value), StringComparer.Ordinal));
    }

    private static string MetricName(DoraMetric metric) => metric switch
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
