using Dapper;
using DoraCollector.Metrics;
using Npgsql;

namespace DoraCollector.Api.Read;

internal sealed class IncidentQueries(NpgsqlDataSource db)
{
    public const string Open = "open";
    public const string Resolved = "resolved";

    public static readonly IReadOnlyList<string> States = [Open, Resolved];

    private const string From = """
        FROM incidents i
        JOIN services s ON s.id = i.service_id
        LEFT JOIN teams t ON t.id = s.team_id
        """;

    private const string Columns = """
        SELECT i.id AS Id, i.key AS Key, s.name AS Service, t.name AS Team, i.environment AS Environment,
               i.title AS Title, i.severity AS Severity, i.started_at AS StartedAt, i.resolved_at AS ResolvedAt,
               i.signal_count AS SignalCount, i.deployment_id AS DeploymentId, i.attribution AS Attribution,
               i.cluster AS Cluster
        """;

    /// <summary>
    /// Incidents resolved in the range (what time to restore counts), and incidents open at the
    /// range's end (started by then, not resolved by then), as the metrics count them; newest start first. <paramref name="state"/> keeps one of the two.
    /// </summary>
    public async Task<PagedResult<IncidentItem>> ListAsync(ListFilter filter, string? state, CancellationToken ct)
    {
        var where = new SqlFilter().Names(filter, "i");
        where.Parameters.Add("To", filter.To);
        var resolved = "i.resolved_at IS NOT NULL AND i.resolved_at <= @To";
        if (filter.From is { } from)
        {
            resolved += " AND i.resolved_at > @From";
            where.Parameters.Add("From", from);
        }

        const string open = "i.started_at <= @To AND (i.resolved_at IS NULL OR i.resolved_at > @To)";
        where.Add(state switch
        {
            Open => open,
            Resolved => resolved,
            _ => $"(({resolved}) OR ({open}))",
        });

        var sql = $"""
            SELECT count(*) {From} {where.Where};
            {Columns}
            {From}
            {where.Where}
            ORDER BY i.started_at DESC, i.id DESC
            LIMIT @Limit OFFSET @Offset
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, where.WithPaging(filter.Paging), cancellationToken: ct));
        var total = await grid.ReadSingleAsync<long>();
        var items = (await grid.ReadAsync<IncidentItem>()).AsList();
        return new PagedResult<IncidentItem>(items, filter.Paging.Page, filter.Paging.PageSize, total);
    }

    /// <summary>
    /// Incident signals no service could be found for, open at some point in (from, to]: the ones
    /// the unattributed-incidents count is made of, newest start first, with what the source called the service.
    /// </summary>
    public async Task<PagedResult<UnattributedSignalItem>> ListUnattributedAsync(DateTimeOffset from, DateTimeOffset to, Paging paging, CancellationToken ct)
    {
        const string sql = $"""
            SELECT count(*) FROM incident_signals WHERE {MetricFactsLoader.UnattributedCondition};
            SELECT source AS Source, external_id AS ExternalId, service_hint AS ServiceHint, environment AS Environment,
                   title AS Title, severity AS Severity, url AS Url, started_at AS StartedAt, resolved_at AS ResolvedAt
            FROM incident_signals
            WHERE {MetricFactsLoader.UnattributedCondition}
            ORDER BY started_at DESC, id DESC
            LIMIT @limit OFFSET @offset
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(
            sql, new { from, to, limit = paging.PageSize, offset = paging.Offset }, cancellationToken: ct));
        var total = await grid.ReadSingleAsync<long>();
        var items = (await grid.ReadAsync<UnattributedSignalItem>()).AsList();
        return new PagedResult<UnattributedSignalItem>(items, paging.Page, paging.PageSize, total);
    }
}
