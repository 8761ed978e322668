using Dapper;
using Npgsql;

namespace DoraCollector.Api.Read;

internal sealed class DeploymentQueries(NpgsqlDataSource db)
{
    private const string From = """
        FROM deployments d
        JOIN services s ON s.id = d.service_id
        LEFT JOIN teams t ON t.id = s.team_id
        """;

    private const string Columns = $"""
        SELECT d.id AS Id, d.key AS Key, s.name AS Service, t.name AS Team, d.environment AS Environment,
               d.revision AS Revision, r.full_name AS Repository, d.application_revision AS ApplicationRevision,
               ar.full_name AS ApplicationRepository, d.resolution AS Resolution, d.started_at AS StartedAt, d.finished_at AS FinishedAt,
               {DeploymentOutcomes.Sql} AS Outcome,
               d.attempt_count AS AttemptCount, d.is_redeploy AS IsRedeploy, d.is_rollback AS IsRollback,
               d.is_failed AS IsFailed, d.failure_reason AS FailureReason, d.failure_cluster AS FailureCluster,
               NULLIF(ARRAY(SELECT DISTINCT a.cluster FROM deployment_attempts a WHERE a.deployment_id = d.id AND a.cluster <> ''
                            ORDER BY a.cluster), ARRAY[]::text[]) AS Clusters,
               d.is_rework AS IsRework,
               d.rework_reason AS ReworkReason, d.previous_deployment_id AS PreviousDeploymentId,
               d.rolled_back_by_id AS RolledBackById, d.recovered_at AS RecoveredAt, d.changes_state AS ChangesState,
               (SELECT count(*)::int FROM deployment_changes c WHERE c.deployment_id = d.id) AS ChangeCount,
               ARRAY(SELECT i.id FROM incidents i WHERE i.deployment_id = d.id ORDER BY i.id) AS IncidentIds
        {From}
        LEFT JOIN repositories r ON r.id = COALESCE(d.repository_id, s.repository_id)
        LEFT JOIN repositories ar ON ar.id = d.application_repository_id
        """;

    private const string Attempts = """
        SELECT a.source AS Source, a.external_id AS ExternalId, NULLIF(a.cluster, '') AS Cluster, a.outcome AS Outcome,
               a.started_at AS StartedAt, a.finished_at AS FinishedAt, a.rollback_hint AS RollbackHint
        FROM deployment_attempts a
        WHERE a.deployment_id = @Id
        ORDER BY a.finished_at, a.id
        """;

    /// <summary>
    /// Deployments whose finish falls in the range, newest first; <paramref name="outcome"/> is a
    /// partition value, <paramref name="resolution"/> a resolution method.
    /// </summary>
    public async Task<PagedResult<DeploymentItem>> ListAsync(ListFilter filter, string? outcome, CancellationToken ct, string? resolution = null)
    {
        var where = new SqlFilter().Names(filter, "d").Range(filter, "d.finished_at");
        if (outcome is not null)
        {
            where.Add($"({DeploymentOutcomes.Sql}) = @Outcome", "Outcome", outcome);
        }

        if (resolution is not null)
        {
            where.Add("d.resolution = @Resolution", "Resolution", resolution);
        }

        var sql = $"""
            SELECT count(*) {From} {where.Where};
            {Columns}
            {where.Where}
            ORDER BY d.finished_at DESC, d.id DESC
            LIMIT @Limit OFFSET @Offset
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, where.WithPaging(filter.Paging), cancellationToken: ct));
        var total = await grid.ReadSingleAsync<long>();
        var items = (await grid.ReadAsync<DeploymentItem>()).AsList();
        return new PagedResult<DeploymentItem>(items, filter.Paging.Page, filter.Paging.PageSize, total);
    }

    /// <summary>One deployment with its attempts; null when there is none with that id.</summary>
    public async Task<DeploymentItem?> FindAsync(long id, CancellationToken ct)
    {
        var sql = $"""
            {Columns}
            WHERE d.id = @Id;
            {Attempts};
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
        var deployment = await grid.ReadSingleOrDefaultAsync<DeploymentItem>();
        var attempts = (await grid.ReadAsync<AttemptItem>()).AsList();
        return deployment is null ? null : deployment with { Attempts = attempts };
    }
}
