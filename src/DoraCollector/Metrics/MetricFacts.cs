namespace DoraCollector.Metrics;

/// <summary>The rows of the domain tables a metric computation needs, for one time range.</summary>
internal sealed record MetricFacts(
    IReadOnlyList<ServiceInfo> Services,
    IReadOnlyList<DeploymentFact> Deployments,
    IReadOnlyList<ChangeFact> Changes,
    IReadOnlyList<IncidentFact> Incidents);

internal sealed record ServiceInfo(int Id, string Name, string? Team);

/// <summary>A deployment (any outcome, redeploys included) that finished in the range.</summary>
internal sealed record DeploymentFact
{
    public int ServiceId { get; init; }
    public string Environment { get; init; } = "";
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Went live.</summary>
    public bool Succeeded { get; init; }
    public bool IsRedeploy { get; init; }

    /// <summary>A change failure (went live and was judged failed, or never went live).</summary>
    public bool IsFailed { get; init; }
    public bool IsRework { get; init; }

    /// <summary>For a failed deployment: when it was recovered, if it was.</summary>
    public DateTimeOffset? RecoveredAt { get; init; }
}

/// <summary>A change counted for lead time: its first live deployment finished in the range.</summary>
internal sealed record ChangeFact(int ServiceId, string Environment, DateTimeOffset DeployedAt, LeadTimeBreakdown LeadTime);

/// <summary>An incident resolved in the range, or open at its end.</summary>
internal sealed record IncidentFact
{
    public int ServiceId { get; init; }
    public string Environment { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
}

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

    // Slot k is (To − (k+1) days, To − k days], like the window itself open at the start.
    public int SlotOf(DateTimeOffset instant) => (int)Math.Floor((To - instant).TotalDays);
}
