namespace DoraCollector.Metrics;

/// <summary>
/// Everything the collector publishes about delivery, computed in one pass over the domain
/// tables and held in memory: <c>/metrics</c> and <c>/api/v1/metrics</c> read it, never SQL.
/// </summary>
internal sealed record DoraSnapshot(
    DateTimeOffset ComputedAt,
    TimeSpan ComputeDuration,
    IReadOnlyList<string> Windows,
    IReadOnlyList<SeriesValues> Series,
    IReadOnlyList<DeploymentTotal> Totals,
    DataQuality Quality)
{
    public static DoraSnapshot Empty { get; } = new(DateTimeOffset.MinValue, TimeSpan.Zero, [], [], [], new DataQuality(0, 0));

    /// <summary>The latest deployment and incident of each service and environment, for markers on graphs.</summary>
    public IReadOnlyList<LatestEvents> Latest { get; init; } = [];

    public bool IsEmpty => ComputedAt == DateTimeOffset.MinValue;
}

/// <summary>What a series is about: a service, a team or the whole organisation, in one environment.</summary>
/// <param name="Scope"><c>service</c>, <c>team</c> or <c>organization</c>.</param>
/// <param name="Service">Set for service scope only.</param>
/// <param name="Team">Set for service and team scope; null for a service without a team.</param>
/// <param name="IsProduction">The environment matches the production pattern: levels are judged on it.</param>
internal sealed record SeriesKey(string Scope, string? Service, string? Team, string Environment, bool IsProduction)
{
    public const string ServiceScope = "service";
    public const string TeamScope = "team";
    public const string OrganizationScope = "organization";
}

internal sealed record SeriesValues(SeriesKey Key, string Window, MetricValues Values);

/// <summary>
/// The metrics of one series in one window. Durations are seconds. A null value means no data in
/// the window (no changes, no incidents, no deployments): never zero, never a level.
/// </summary>
internal sealed record MetricValues(
    double DeploymentFrequencyPerDay,
    double DeploymentDaysRatio,
    Quantiles? LeadTime,
    Quantiles? LeadTimeCoding,
    Quantiles? LeadTimeReview,
    Quantiles? LeadTimeDeploy,
    double? ChangeFailureRate,
    Quantiles? TimeToRestore,
    Quantiles? FailedDeploymentRecoveryTime,
    double? ReworkRate,
    DeploymentCounts Deployments,
    int Changes,
    int OpenIncidents,
    int ResolvedIncidents,
    int DiscardedLeadTimes,
    IReadOnlyDictionary<DoraMetric, PerformanceLevel> Levels)
{
    /// <summary>
    /// The 95 % intervals and the levels they allow; null only for values made without a sample
    /// (a hand-built value in a test). <see cref="Levels"/> judges the point values, as <c>/metrics</c> publishes them.
    /// </summary>
    public MetricConfidence? Confidence { get; init; }

    /// <summary>
    /// The window ended before the series' first record: nothing was measured, not even a zero.
    /// Set by the reports for periods before the records begin; every value reads as no data.
    /// </summary>
    public bool BeforeRecords { get; init; }
}

/// <summary>
/// Deployments by outcome, a partition: each deployment is in exactly one of the four.
/// Deployment frequency counts <see cref="Live"/>; the change failure rate is
/// <see cref="ChangeFailures"/> ÷ <see cref="Total"/>; redeploys are shown, never counted.
/// </summary>
/// <param name="Succeeded">Went live and was not judged failed.</param>
/// <param name="Failed">Went live, then judged failed: rolled back, caused an incident, or needed a hotfix or revert.</param>
/// <param name="RolloutFailed">The rollout failed: never went live.</param>
/// <param name="Redeploys">Rollouts of the revision already live.</param>
internal sealed record DeploymentCounts(int Succeeded, int Failed, int RolloutFailed, int Redeploys)
{
    public static DeploymentCounts None { get; } = new(0, 0, 0, 0);

    public int Live => Succeeded + Failed;

    public int ChangeFailures => Failed + RolloutFailed;

    public int Total => Succeeded + Failed + RolloutFailed;
}

/// <summary>Interpolated percentiles (like PostgreSQL's <c>percentile_cont</c>), in seconds.</summary>
internal sealed record Quantiles(double P50, double P90);

/// <summary>All-time deployment counts of a series, for the <c>dora_deployments_total</c> counter.</summary>
internal sealed record DeploymentTotal(SeriesKey Key, DeploymentCounts Counts);

/// <summary>
/// When a service-scope series last changed hands, since records began: the finish of its latest
/// live, non-redeploy deployment and the start of its latest incident, open or resolved. Null
/// when it has none; neither lies after the snapshot's instant.
/// </summary>
internal sealed record LatestEvents(SeriesKey Key, DateTimeOffset? DeploymentFinishedAt, DateTimeOffset? IncidentStartedAt);

/// <summary>Data the collector kept but could not use, over the longest window.</summary>
/// <param name="UnattributedIncidents">Incident signals no service could be found for.</param>
/// <param name="DiscardedLeadTimes">Changes whose lead time was zero or negative (clock skew), left out.</param>
/// <param name="UnresolvedDeployments">Deployments of a GitOps repository whose application revision is unresolved: counted, without changes.</param>
internal sealed record DataQuality(int UnattributedIncidents, int DiscardedLeadTimes, int UnresolvedDeployments = 0);

internal enum DoraMetric
{
    DeploymentFrequency,
    LeadTimeForChanges,
    ChangeFailureRate,
    TimeToRestore,
    FailedDeploymentRecoveryTime,
}

internal enum PerformanceLevel
{
    Elite,
    High,
    Medium,
    Low,
}
