using DoraCollector.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DoraCollector.Api.Read;

internal static class MetricsEndpoints
{
    private static readonly IReadOnlyList<string> Scopes = [SeriesKey.ServiceScope, SeriesKey.TeamScope, SeriesKey.OrganizationScope];

    public static RouteGroupBuilder MapMetricsReads(this RouteGroupBuilder group)
    {
        group.MapGet("/metrics", GetMetrics)
            .WithName("GetMetrics")
            .WithSummary("The DORA metrics of the latest snapshot, per series and window");
        return group;
    }

    /// <summary>Reads the in-memory snapshot, never the database, like <c>/metrics</c>.</summary>
    internal static Results<Ok<MetricsResponse>, ValidationProblem> GetMetrics(
        [AsParameters] MetricsQuery query, ReadFilters filters, SnapshotHolder snapshots, IOptionsMonitor<MetricsOptions> metrics)
    {
        var reader = new QueryReader();
        var scope = reader.OneOf(query.Scope, "scope", Scopes);
        var service = reader.Name(query.Service, "service");
        var team = reader.Name(query.Team, "team");
        var environment = reader.Name(query.Environment, "environment");
        _ = filters.Window(query.Window, reader);
        if (reader.Problems.Any)
        {
            return reader.Problems.QueryProblem();
        }

        var snapshot = snapshots.Current;
        var series = snapshot.Series
            .Where(s => scope is null || s.Key.Scope == scope)
            .Where(s => service is null || s.Key.Service == service)
            .Where(s => team is null || s.Key.Team == team)
            .Where(s => environment is null || s.Key.Environment == environment)
            .Where(s => query.Window is null || s.Window == query.Window)
            .Select(SeriesItem.From)
            .ToList();
        return TypedResults.Ok(new MetricsResponse(
            snapshot.IsEmpty ? null : snapshot.ComputedAt,
            snapshot.IsEmpty ? metrics.CurrentValue.EffectiveWindows : snapshot.Windows,
            series,
            snapshot.Quality));
    }
}
