using DoraCollector.Api.Read;
using DoraCollector.Hosting;
using DoraCollector.Metrics;
using Microsoft.Extensions.Options;

namespace DoraCollector.Reports;

/// <summary>
/// Gathers one report: the numbers of the chosen period, the one before and the trend, from one
/// call to the metrics engine (so they are the numbers <c>/api/v1/metrics</c> and <c>/metrics</c>
/// publish for the same range), and the evidence behind them from the read API's queries.
/// </summary>
internal sealed partial class ReportBuilder(
    MetricsEngine engine,
    ServiceQueries services,
    DeploymentQueries deployments,
    ChangeQueries changes,
    IncidentQueries incidents,
    SourceHealth sources,
    ReportHistory history,
    ConfiguredSources configured,
    IOptionsMonitor<ReportOptions> options,
    ILogger<ReportBuilder> logger)
{
    /// <summary>Most rows a list of evidence reads: far beyond a page, a bound against a runaway query.</summary>
    private const int EvidenceLimit = 10_000;

    /// <summary>Null when the team or service does not exist.</summary>
    public async Task<DeliveryReport?> BuildAsync(ReportScope scope, ReportPeriod period, DateTimeOffset now, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        string? team = null;
        switch (scope.Kind)
        {
            case ScopeKind.Team when (await services.ListAsync(scope.Name, new Paging(1, 1), ct)).Total == 0:
                return null;
            case ScopeKind.Service:
                var service = await services.FindAsync(scope.Name!, ct);
                if (service is null)
                {
                    return null;
                }

                team = service.Team;
                break;
        }

        var trend = period.Trend();
        var windows = trend.Select(p => p.Window(now)).ToList();
        var series = await engine.ComputeAsync(windows, ct);
        var starts = await history.StartsAsync(ct);

        var environments = Sections(series.Where(s => scope.Matches(s.Key)).ToList(), windows)
            .Select(e => e with { Trend = BeforeRecords(e.Trend, windows, starts.Of(scope, e.Environment)) })
            .ToList();
        var breakdown = Breakdown(scope, series, windows)
            .Select(r => BeforeRecords(r, windows, starts.Of(r.Scope(scope), r.Environment)))
            .ToList();

        var window = windows[^1];
        var filter = new ListFilter(scope.ServiceName, scope.TeamName, null, window.From, window.To, new Paging(1, EvidenceLimit));
        var changeList = await changes.ListSlowestAsync(filter, ct);
        var failed = await FailedDeploymentsAsync(filter, ct);
        var incidentList = await IncidentsAsync(filter, failed, ct);
        var unattributed = await incidents.ListUnattributedAsync(window.From, window.To, new Paging(1, EvidenceLimit), ct);
        var quality = new ReportQuality(
            unattributed.Total,
            unattributed.Items,
            environments.Sum(e => e.Current.DiscardedLeadTimes),
            await sources.ReadAsync(now, ct),
            await sources.IgnoredAsync(window.From, window.To, ct),
            configured.Describe().Count > 0)
        {
            Unresolved = (await deployments.ListAsync(filter, null, ct, Projection.ResolutionMethods.Unresolved)).Items
                .Where(d => !d.IsRedeploy).ToList(),
        };

        var report = new DeliveryReport(scope, team, trend, now, environments, breakdown, changeList, failed, incidentList, quality,
            new ReportLimits(options.CurrentValue.SlowestChanges, options.CurrentValue.MaxRows))
        {
            RecordsBegin = starts.Of(scope),
        };
        LogBuilt(scope.Kind, scope.Name ?? "", period.Label, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    /// <summary>One section per environment that had anything in the trend periods; production first.</summary>
    private static List<EnvironmentSection> Sections(IReadOnlyList<SeriesValues> series, IReadOnlyList<MetricWindow> windows) =>
        series.GroupBy(s => s.Key.Environment, StringComparer.Ordinal)
            .Select(g => new EnvironmentSection(g.Key, g.First().Key.IsProduction, InOrder(g, windows)))
            .Where(e => e.Trend.Any(HasActivity))
            .OrderByDescending(e => e.IsProduction)
            .ThenBy(e => e.Environment, StringComparer.Ordinal)
            .ToList();

    /// <summary>The organisation's teams, or a team's services, in production environments, that had anything this period or the one before.</summary>
    private static List<BreakdownRow> Breakdown(ReportScope scope, IReadOnlyList<SeriesValues> series, IReadOnlyList<MetricWindow> windows)
    {
        Func<SeriesKey, string?> name = scope.Kind switch
        {
            ScopeKind.Organization => k => k.Scope == SeriesKey.TeamScope ? k.Team : null,
            ScopeKind.Team => k => k.Scope == SeriesKey.ServiceScope && k.Team == scope.Name ? k.Service : null,
            _ => _ => null,
        };
        var (current, previous) = (windows[^1].Label, windows[^2].Label);
        return series.Where(s => s.Key.IsProduction && name(s.Key) is not null)
            .GroupBy(s => (Name: name(s.Key)!, s.Key.Environment))
            .Select(g => new BreakdownRow(g.Key.Name, g.Key.Environment,
                g.Single(s => s.Window == current).Values, g.Single(s => s.Window == previous).Values))
            .Where(r => HasActivity(r.Current) || HasActivity(r.Previous))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Environment, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Periods that ended before the series' first record hold no data, not zeros (docs/reports.md).</summary>
    private static List<MetricValues> BeforeRecords(IReadOnlyList<MetricValues> trend, IReadOnlyList<MetricWindow> windows, DateTimeOffset? start) =>
        trend.Select((v, i) => start is not { } first || windows[i].To < first ? v with { BeforeRecords = true } : v).ToList();

    private static BreakdownRow BeforeRecords(BreakdownRow row, IReadOnlyList<MetricWindow> windows, DateTimeOffset? start)
    {
        var both = BeforeRecords([row.Previous, row.Current], [windows[^2], windows[^1]], start);
        return row with { Previous = both[0], Current = both[1] };
    }

    private static List<MetricValues> InOrder(IEnumerable<SeriesValues> series, IReadOnlyList<MetricWindow> windows)
    {
        var byWindow = series.ToDictionary(s => s.Window, s => s.Values, StringComparer.Ordinal);
        return windows.Select(w => byWindow[w.Label]).ToList();
    }

    private static bool HasActivity(MetricValues v) =>
        v.Deployments.Total + v.Deployments.Redeploys + v.Changes + v.ResolvedIncidents + v.OpenIncidents > 0;

    /// <summary>Deployments that count as change failures: went live then judged failed, or never went live.</summary>
    private async Task<IReadOnlyList<DeploymentItem>> FailedDeploymentsAsync(ListFilter filter, CancellationToken ct)
    {
        var failed = await deployments.ListAsync(filter, DeploymentOutcomes.Failed, ct);
        var rolloutFailed = await deployments.ListAsync(filter, DeploymentOutcomes.RolloutFailed, ct);
        return failed.Items.Concat(rolloutFailed.Items)
            .OrderByDescending(d => d.FinishedAt)
            .ThenByDescending(d => d.Id)
            .ToList();
    }

    private async Task<IReadOnlyList<IncidentEvidence>> IncidentsAsync(ListFilter filter, IReadOnlyList<DeploymentItem> known, CancellationToken ct)
    {
        var list = await incidents.ListAsync(filter, null, ct);
        var byId = known.ToDictionary(d => d.Id);
        foreach (var id in list.Items.Select(i => i.DeploymentId).OfType<long>().Distinct().Where(id => !byId.ContainsKey(id)))
        {
            // Attributed deployments usually failed in this period; an earlier one is read on its own.
            if (await deployments.FindAsync(id, ct) is { } deployment)
            {
                byId[id] = deployment;
            }
        }

        return list.Items
            .Select(i => new IncidentEvidence(i, i.DeploymentId is { } id ? byId.GetValueOrDefault(id) : null))
            .ToList();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Built the {Scope} report {Name} for {Period} in {Milliseconds:0} ms")]
    private partial void LogBuilt(ScopeKind scope, string name, string period, double milliseconds);
}
