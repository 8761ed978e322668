using DoraCollector.Api.Read;
using DoraCollector.Metrics;

namespace DoraCollector.Reports;

/// <summary>
/// Everything one report shows, computed once and rendered as HTML, CSV or Markdown. Every
/// number comes from the metrics engine over the periods of <see cref="Trend"/>; the evidence
/// comes from the read API's queries over the chosen period.
/// </summary>
/// <param name="Team">The team of a service report, for the way back up.</param>
/// <param name="Trend">The last <see cref="ReportPeriod.TrendLength"/> periods, oldest first, ending with the chosen one.</param>
/// <param name="Now">When the report was made; a period still in progress is cut here.</param>
/// <param name="Environments">Every environment with activity in the trend periods, production first.</param>
/// <param name="Breakdown">The organisation's teams or a team's services, in production environments.</param>
/// <param name="Changes">Every change lead time counts in the period, slowest first, discarded ones last.</param>
/// <param name="FailedDeployments">Deployments of the period that count as change failures, newest first.</param>
internal sealed record DeliveryReport(
    ReportScope Scope,
    string? Team,
    IReadOnlyList<ReportPeriod> Trend,
    DateTimeOffset Now,
    IReadOnlyList<EnvironmentSection> Environments,
    IReadOnlyList<BreakdownRow> Breakdown,
    IReadOnlyList<ChangeItem> Changes,
    IReadOnlyList<DeploymentItem> FailedDeployments,
    IReadOnlyList<IncidentEvidence> Incidents,
    ReportQuality Quality,
    ReportLimits Limits)
{
    public ReportPeriod Period => Trend[^1];

    /// <summary>The scope's first deployment or incident in any environment; null when it has none.</summary>
    public DateTimeOffset? RecordsBegin { get; init; }

    /// <summary>
    /// How many days of the period lie after the records begin, when they begin inside it: a
    /// quarter that holds 26 days of data says so. Null when the whole period is covered.
    /// </summary>
    public double? DaysOfRecords => RecordsBegin is { } first && first > Window.From && first <= Window.To
        ? (Window.To - first).TotalDays
        : null;

    public ReportPeriod Previous => Trend[^2];

    public bool InProgress => Period.InProgressAt(Now);

    /// <summary>The range the numbers cover: the period, or its part up to now.</summary>
    public MetricWindow Window => Period.Window(Now);

    /// <summary>What the breakdown lists: teams for the organisation, services for a team, nothing for a service.</summary>
    public ScopeKind? BreakdownKind => Scope.Kind switch
    {
        ScopeKind.Organization => ScopeKind.Team,
        ScopeKind.Team => ScopeKind.Service,
        _ => null,
    };
}

/// <summary>The metrics of the report's scope in one environment, per trend period (same order as the report's trend).</summary>
internal sealed record EnvironmentSection(string Environment, bool IsProduction, IReadOnlyList<MetricValues> Trend)
{
    public MetricValues Current => Trend[^1];

    public MetricValues Previous => Trend[^2];

    public MetricChange Change(ReportMetric metric) => metric.Compare(Current, Previous);

    /// <summary>
    /// The level the whole 95 % interval allows; null for no data, an unjudged metric, a
    /// non-production environment or an interval spanning bands (<see cref="ReportMetric.NotEnoughData"/>).
    /// </summary>
    public PerformanceLevel? Level(ReportMetric metric) => metric.LevelOf(Current);
}

/// <summary>A team (of the organisation) or a service (of a team) in one production environment.</summary>
internal sealed record BreakdownRow(string Name, string Environment, MetricValues Current, MetricValues Previous)
{
    /// <summary>The row's own scope: a team of the organisation, a service of a team.</summary>
    public ReportScope Scope(ReportScope parent) => parent.Kind == ScopeKind.Organization ? ReportScope.Team(Name) : ReportScope.Service(Name);

    public MetricChange Change(ReportMetric metric) => metric.Compare(Current, Previous);

    public PerformanceLevel? Level(ReportMetric metric) => metric.LevelOf(Current);
}

/// <summary>How many rows the page and the summary list; CSV downloads have every row.</summary>
internal sealed record ReportLimits(int SlowestChanges, int MaxRows);

/// <summary>An incident of the period with the deployment it is attributed to, when it is.</summary>
internal sealed record IncidentEvidence(IncidentItem Incident, DeploymentItem? Deployment);

/// <summary>What the report could not count or may be missing.</summary>
/// <param name="UnattributedTotal">Signals open in the period that no service could be found for (organisation-wide).</param>
/// <param name="Unattributed">The newest of them.</param>
/// <param name="DiscardedLeadTimes">Changes of this scope left out of lead time because it was zero or negative.</param>
/// <param name="Sources">Ingestion progress per source, from the database and from this replica.</param>
/// <param name="Ignored">Events received in the period and ignored when mapped, by source and reason (organisation-wide).</param>
internal sealed record ReportQuality(
    long UnattributedTotal,
    IReadOnlyList<UnattributedSignalItem> Unattributed,
    int DiscardedLeadTimes,
    IReadOnlyList<SourceStatus> Sources,
    IReadOnlyList<IgnoredEvents> Ignored,
    bool SourcesConfigured = true)
{
    /// <summary>
    /// Deployments of this scope in the period (redeploys aside) that synced a GitOps repository and
    /// whose application revision could not be resolved: counted without changes (docs/metrics.md).
    /// </summary>
    public IReadOnlyList<DeploymentItem> Unresolved { get; init; } = [];

    /// <summary>The unresolved deployments by name, the newest first: <c>checkout (production) 1a2b3c4</c>.</summary>
    public string UnresolvedNames(int limit) =>
        string.Join(", ", Unresolved.Take(limit).Select(d => $"{d.Service} ({d.Environment}) {ReportText.ShortSha(d.Revision)}"))
        + (Unresolved.Count > limit ? $" and {Unresolved.Count - limit} more" : "");

    /// <summary>How many events of the period were ignored, and why, the commonest reason first: <c>2 implausible_time, 1 name_too_long</c>.</summary>
    public (long Total, string Reasons) IgnoredSummary() => (
        Ignored.Sum(i => i.Count),
        string.Join(", ", Ignored.GroupBy(i => i.Reason, StringComparer.Ordinal)
            .Select(g => (Reason: g.Key, Count: g.Sum(i => i.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .Select(r => $"{r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} {r.Reason}")));
}

/// <summary>Stored events of a source ignored for a reason (<c>implausible_time</c>, <c>name_too_long</c>, ...): see docs/metrics.md.</summary>
internal sealed record IgnoredEvents(string Source, string Reason, long Count);

/// <summary>How far one source's ingestion has got.</summary>
/// <param name="Scope">The cursor's scope (a repository, an application), or <c>this replica</c> for webhook counters.</param>
/// <param name="LastError">What the source stored about its last failed poll; null after a success.</param>
/// <param name="Errors">Ingest errors on this replica since it started (webhook counters only).</param>
/// <param name="Stale">No success for longer than <c>Dora:Reports:StaleAfter</c>, or failing.</param>
internal sealed record SourceStatus(string Source, string Scope, DateTimeOffset? LastSuccessAt, string? LastError, long Errors, bool Stale);
