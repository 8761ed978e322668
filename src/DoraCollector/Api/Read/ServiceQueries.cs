using Dapper;
using Npgsql;

namespace DoraCollector.Api.Read;

internal sealed class ServiceQueries(NpgsqlDataSource db)
{
    private const string From = """
        FROM services s
        LEFT JOIN teams t ON t.id = s.team_id
        """;

    private const string Columns = """
        SELECT s.name AS Name, t.name AS Team, r.full_name AS Repository, s.path AS Path, s.origin AS Origin,
               ARRAY(SELECT DISTINCT d.environment FROM deployments d WHERE d.service_id = s.id ORDER BY 1) AS Environments,
               (SELECT max(d.finished_at) FROM deployments d
                 WHERE d.service_id = s.id AND d.outcome = 'success' AND NOT d.is_redeploy) AS LastDeploymentAt
        """;

    public async Task<PagedResult<ServiceItem>> ListAsync(string? team, Paging paging, CancellationToken ct)
    {
        var filter = new SqlFilter();
        if (team is not null)
        {
            filter.Add("t.name = @Team", "Team", team);
        }

        var sql = $"""
            SELECT count(*) {From} {filter.Where};
            {Columns}
            {From}
            LEFT JOIN repositories r ON r.id = s.repository_id
            {filter.Where}
            ORDER BY s.name
            LIMIT @Limit OFFSET @Offset
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, filter.WithPaging(paging), cancellationToken: ct));
        var total = await grid.ReadSingleAsync<long>();
        var items = (await grid.ReadAsync<ServiceItem>()).AsList();
        return new PagedResult<ServiceItem>(items, paging.Page, paging.PageSize, total);
    }

    /// <summary>One service by its exact name; null when there is none.</summary>
    public async Task<ServiceItem?> FindAsync(string name, CancellationToken ct)
    {
        var sql = $"""
            {Columns}
            {From}
            LEFT JOIN repositories r ON r.id = s.repository_id
            WHERE s.name = @Name
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ServiceItem>(new CommandDefinition(sql, new { Name = name }, cancellationToken: ct));
    }
}
