using System.Diagnostics;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Metrics;

/// <summary>
/// Computes metrics from the domain tables: the snapshot over the trailing windows ending now,
/// and any other set of periods (the reports' weeks and months).
/// </summary>
internal sealed class MetricsEngine(NpgsqlDataSource db, IOptionsMonitor<MetricsOptions> options, TimeProvider clock)
{
    /// <summary>The trailing windows of <c>Dora:Metrics:Windows</c>, ending at <paramref name="now"/>.</summary>
    public IReadOnlyList<MetricWindow> TrailingWindows(DateTimeOffset now) =>
        options.CurrentValue.EffectiveWindows
            .Select(label => Duration.TryParse(label, out var length) ? new MetricWindow(label, now - length, now) : null)
            .OfType<MetricWindow>()
            .ToList();

    /// <summary>The metrics of every series over <paramref name="windows"/>.</summary>
    public async Task<IReadOnlyList<SeriesValues>> ComputeAsync(IReadOnlyList<MetricWindow> windows, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var current = options.CurrentValue;
        var facts = await MetricFactsLoader.LoadAsync(conn, windows.Min(w => w.From), windows.Max(w => w.To), current.LeadTimeStart, ct);
        var totals = await MetricFactsLoader.TotalsAsync(conn, ct);
        return new DoraCalculator(current).Compute(facts, windows, totals.Select(t => (t.ServiceId, t.Environment)));
    }

    /// <summary>The snapshot of the trailing windows, with all-time totals and data-quality counts.</summary>
    public async Task<DoraSnapshot> ComputeSnapshotAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var windows = TrailingWindows(now);
        var current = options.CurrentValue;
        await using var conn = await db.OpenConnectionAsync(ct);
        var from = windows.Min(w => w.From);
        var facts = await MetricFactsLoader.LoadAsync(conn, from, now, current.LeadTimeStart, ct);
        var totals = await MetricFactsLoader.TotalsAsync(conn, ct);
        var unattributed = await MetricFactsLoader.UnattributedAsync(conn, from, now, ct);
        var unresolved = await MetricFactsLoader.UnresolvedAsync(conn, from, now, ct);
        var latest = await MetricFactsLoader.LatestAsync(conn, now, ct);

        var calculator = new DoraCalculator(current);
        var series = calculator.Compute(facts, windows, totals.Select(t => (t.ServiceId, t.Environment)));
        var longest = windows.MinBy(w => w.From)!.Label;
        var discarded = series.Where(s => s.Key.Scope == SeriesKey.OrganizationScope && s.Window == longest).Sum(s => s.Values.DiscardedLeadTimes);
        return new DoraSnapshot(now, stopwatch.Elapsed, windows.Select(w => w.Label).ToList(), series,
            RollUpTotals(facts.Services, totals, calculator), new DataQuality(unattributed, discarded, unresolved))
        {
            Latest = ServiceLatest(facts.Services, latest, calculator),
        };
    }

    // Service scope only: a marker says which service moved, and one series per service and
    // environment keeps the families small; a team or organisation "latest" would hide the rest.
    internal static List<LatestEvents> ServiceLatest(
        IReadOnlyList<ServiceInfo> services, IReadOnlyList<MetricFactsLoader.LatestRow> latest, DoraCalculator calculator)
    {
        var byId = services.ToDictionary(s => s.Id);
        return latest.Where(l => byId.ContainsKey(l.ServiceId))
            .Select(l => new LatestEvents(
                new SeriesKey(SeriesKey.ServiceScope, byId[l.ServiceId].Name, byId[l.ServiceId].Team, l.Environment, calculator.IsProduction(l.Environment)),
                l.DeploymentFinishedAt, l.IncidentStartedAt))
            .ToList();
    }

    internal static List<DeploymentTotal> RollUpTotals(
        IReadOnlyList<ServiceInfo> services, IReadOnlyList<(int ServiceId, string Environment, DeploymentCounts Counts)> totals, DoraCalculator calculator)
    {
        var byId = services.ToDictionary(s => s.Id);
        var known = totals.Where(t => byId.ContainsKey(t.ServiceId)).ToList();
        static DeploymentCounts Sum(IEnumerable<DeploymentCounts> counts) => counts.Aggregate(DeploymentCounts.None, (a, b) =>
            new DeploymentCounts(a.Succeeded + b.Succeeded, a.Failed + b.Failed, a.RolloutFailed + b.RolloutFailed, a.Redeploys + b.Redeploys));

        var result = known.Select(t => new DeploymentTotal(
            new SeriesKey(SeriesKey.ServiceScope, byId[t.ServiceId].Name, byId[t.ServiceId].Team, t.Environment, calculator.IsProduction(t.Environment)),
            t.Counts)).ToList();
        result.AddRange(known.Where(t => byId[t.ServiceId].Team is not null)
            .GroupBy(t => (byId[t.ServiceId].Team!, t.Environment))
            .Select(g => new DeploymentTotal(
                new SeriesKey(SeriesKey.TeamScope, null, g.Key.Item1, g.Key.Environment, calculator.IsProduction(g.Key.Environment)),
                Sum(g.Select(t => t.Counts)))));
        result.AddRange(known.GroupBy(t => t.Environment)
            .Select(g => new DeploymentTotal(
                new SeriesKey(SeriesKey.OrganizationScope, null, null, g.Key, calculator.IsProduction(g.Key)), Sum(g.Select(t => t.Counts)))));
        return result;
    }
}
