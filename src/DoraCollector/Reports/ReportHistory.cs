using Dapper;
using Npgsql;

namespace DoraCollector.Reports;

/// <summary>
/// When records begin: the earliest deployment (any outcome) or incident of each service in each
/// environment. A period that ends before a series' records begin was not measured: it is "no
/// data", never a frequency of 0 (docs/reports.md, "Before the records begin").
/// </summary>
internal sealed class ReportHistory(NpgsqlDataSource db)
{
    private const string Starts = """
        SELECT s.name AS Service, t.name AS Team, e.environment AS Environment, min(e.at) AS StartedAt
        FROM (
            SELECT d.service_id, d.environment, d.finished_at AS at FROM deployments d
            UNION ALL
            SELECT i.service_id, i.environment, i.started_at FROM incidents i
        ) e
        JOIN services s ON s.id = e.service_id
        LEFT JOIN teams t ON t.id = s.team_id
        GROUP BY s.name, t.name, e.environment
        """;

    public async Task<RecordStarts> StartsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return new RecordStarts((await conn.QueryAsync<RecordStart>(new CommandDefinition(Starts, cancellationToken: ct))).ToList());
    }
}

/// <summary>The first record of one service in one environment.</summary>
internal sealed record RecordStart
{
    public string Service { get; init; } = "";
    public string? Team { get; init; }
    public string Environment { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
}

internal sealed class RecordStarts(IReadOnlyList<RecordStart> starts)
{
    /// <summary>The first record of a scope in an environment; null when it has none.</summary>
    public DateTimeOffset? Of(ReportScope scope, string environment) => Min(starts.Where(s => s.Environment == environment && Matches(scope, s)));

    /// <summary>The first record of a scope in any environment.</summary>
    public DateTimeOffset? Of(ReportScope scope) => Min(starts.Where(s => Matches(scope, s)));

    private static bool Matches(ReportScope scope, RecordStart start) => scope.Kind switch
    {
        ScopeKind.Team => start.Team == scope.Name,
        ScopeKind.Service => start.Service == scope.Name,
        _ => true,
    };

    private static DateTimeOffset? Min(IEnumerable<RecordStart> matching) =>
        matching.Select(s => (DateTimeOffset?)s.StartedAt).DefaultIfEmpty(null).Min();
}
