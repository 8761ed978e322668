namespace DoraCollector.Metrics;

/// <summary>The rows of the domain tables a metric computation needs, for one time range.</summary>
internal sealed record MetricFacts(
    IReadOnlyList<ServiceInfo> Services,
    IReadOnlyList<DeploymentFact> Deployments,
    IReadOnlyList<ChangeFact> Changes,
    IReadOnlyList<IncidentFact> Incidents);

internal sealed record ServiceInfo(int Id, string Name, string? Team);

/// <summary>A deployment (any outcome, redeploys included) that finished in the range.</summary>
/// <param name="Succeeded">Went live.</param>
/// <param name="IsFailed">A change failure (went live and was judged failed, or never went live).</param>
/// <param name="RecoveredAt">For a failed deployment: when it was recovered, if it was.</param>
internal sealed record DeploymentFact(
    int ServiceId,
    string Environment,
    DateTimeOffset FinishedAt,
    bool Succeeded,
    bool IsRedeploy,
    bool IsFailed,
    bool IsRework,
    DateTimeOffset? RecoveredAt);

/// <summary>A change counted for lead time: its first live deployment finished in the range.</summary>
internal sealed record ChangeFact(int ServiceId, string Environment, DateTimeOffset DeployedAt, LeadTimeBreakdown LeadTime);

/// <summary>An incident resolved in the range, or open at its end.</summary>
internal sealed record IncidentFact(int ServiceId, string Environment, DateTimeOffset StartedAt, DateTimeOffset? ResolvedAt);

/// <summary>
/// A time range the metrics are computed over: (From, To]. <see cref="Days"/> divides deployment
/// counts into a frequency; the range is cut into <see cref="DaySlots"/> 24-hour slots counted
/// back from <see cref="To"/> for the deployment-days ratio (UTC days when To is a UTC midnight).
/// </summary>
internal sealed record MetricWindow(string Label, DateTimeOffset From, DateTimeOffset To)
{
    public double Days => (To - From).TotalDays;

    public int DaySlots => Math.Max(1, (int)Math.Ceiling(Days - 1e-9));

    public bool Contains(DateTimeOffset instant) => instant > From && instant <= To;

    public int SlotOf(DateTimeOffset instant) => (int)Math.Floor((To - instant).TotalDays - 1e-12);
}
