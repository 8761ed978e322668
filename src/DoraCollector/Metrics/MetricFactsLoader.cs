using Dapper;
using Npgsql;

namespace DoraCollector.Metrics;

/// <summary>Reads what the metrics need from the domain tables (never from a source's own data).</summary>
internal static class MetricFactsLoader
{
    private const string Services = """
        SELECT s.id AS Id, s.name AS Name, t.name AS Team FROM services s LEFT JOIN teams t ON t.id = s.team_id
        """;

    private const string Deployments = """
        SELECT service_id AS ServiceId, environment AS Environment, finished_at AS FinishedAt, outcome = 'success' AS Succeeded,
               is_redeploy AS IsRedeploy, is_failed AS IsFailed, is_rework AS IsRework, recovered_at AS RecoveredAt
        FROM deployments WHERE finished_at > @from AND finished_at <= @to
        """;

    // Lead time counts a change at its first live deployment to the environment.
    private const string Changes = """
        SELECT d.service_id AS ServiceId, d.environment AS Environment, d.finished_at AS DeployedAt,
               c.first_commit_at AS FirstCommitAt, c.opened_at AS OpenedAt, c.merged_at AS MergedAt
        FROM deployment_changes c JOIN deployments d ON d.id = c.deployment_id
        WHERE c.is_first AND d.outcome = 'success' AND NOT d.is_redeploy AND d.finished_at > @from AND d.finished_at <= @to
        """;

    private const string Incidents = """
        SELECT service_id AS ServiceId, environment AS Environment, started_at AS StartedAt, resolved_at AS ResolvedAt
        FROM incidents
        WHERE (resolved_at > @from AND resolved_at <= @to) OR (started_at <= @to AND (resolved_at IS NULL OR resolved_at > @to))
        """;

    private const string Totals = """
        SELECT service_id AS ServiceId, environment AS Environment,
               count(*) FILTER (WHERE NOT is_redeploy AND outcome = 'success' AND NOT is_failed)::int AS Succeeded,
               count(*) FILTER (WHERE NOT is_redeploy AND outcome = 'success' AND is_failed)::int AS Failed,
               count(*) FILTER (WHERE NOT is_redeploy AND outcome = 'failure')::int AS RolloutFailed,
               count(*) FILTER (WHERE is_redeploy)::int AS Redeploys
        FROM deployments GROUP BY service_id, environment
        """;

    // What the deployment and incident markers show: the latest live deployment (as frequency
    // counts it) and the latest incident start of each service and environment, up to @now.
    private const string Latest = """
        SELECT service_id AS ServiceId, environment AS Environment,
               max(deployed) AS DeploymentFinishedAt, max(started) AS IncidentStartedAt
        FROM (
            SELECT service_id, environment, finished_at AS deployed, NULL::timestamptz AS started
            FROM deployments WHERE outcome = 'success' AND NOT is_redeploy AND finished_at <= @now
            UNION ALL
            SELECT service_id, environment, NULL, started_at FROM incidents WHERE started_at <= @now
        ) e
        GROUP BY service_id, environment
        """;

    /// <summary>
    /// Incident signals no service could be found for that were open at some point in (@from, @to]:
    /// what the data-quality count means, shared with the lists that show them.
    /// </summary>
    internal const string UnattributedCondition = "service_id IS NULL AND (resolved_at IS NULL OR resolved_at > @from) AND started_at <= @to";

    private const string Unattributed = $"SELECT count(*)::int FROM incident_signals WHERE {UnattributedCondition}";

    /// <summary>Deployments (redeploys aside) of a GitOps repository whose application revision no method resolved.</summary>
    internal const string UnresolvedCondition = "d.resolution = 'unresolved' AND NOT d.is_redeploy AND d.finished_at > @from AND d.finished_at <= @to";

    private const string Unresolved = $"SELECT count(*)::int FROM deployments d WHERE {UnresolvedCondition}";

    public static async Task<MetricFacts> LoadAsync(NpgsqlConnection conn, DateTimeOffset from, DateTimeOffset to, LeadTimeStart leadTimeStart, CancellationToken ct)
    {
        var range = new { from, to };
        var services = (await conn.QueryAsync<ServiceInfo>(new CommandDefinition(Services, cancellationToken: ct))).ToList();
        var deployments = (await conn.QueryAsync<DeploymentFact>(new CommandDefinition(Deployments, range, cancellationToken: ct))).ToList();
        var changes = (await conn.QueryAsync<ChangeRow>(new CommandDefinition(Changes, range, cancellationToken: ct)))
            .Select(c => new ChangeFact(c.ServiceId, c.Environment, c.DeployedAt,
                LeadTimeRules.Measure(new ChangeTimes(c.FirstCommitAt, c.OpenedAt, c.MergedAt), c.DeployedAt, leadTimeStart)))
            .ToList();
        var incidents = (await conn.QueryAsync<IncidentFact>(new CommandDefinition(Incidents, range, cancellationToken: ct))).ToList();
        return new MetricFacts(services, deployments, changes, incidents);
    }

    /// <summary>All-time deployment counts per service and environment.</summary>
    public static async Task<IReadOnlyList<(int ServiceId, string Environment, DeploymentCounts Counts)>> TotalsAsync(NpgsqlConnection conn, CancellationToken ct) =>
        (await conn.QueryAsync<TotalRow>(new CommandDefinition(Totals, cancellationToken: ct)))
            .Select(t => (t.ServiceId, t.Environment, new DeploymentCounts(t.Succeeded, t.Failed, t.RolloutFailed, t.Redeploys)))
            .ToList();

    /// <summary>The latest live deployment and incident start per service and environment, since records began.</summary>
    public static async Task<IReadOnlyList<LatestRow>> LatestAsync(NpgsqlConnection conn, DateTimeOffset now, CancellationToken ct) =>
        (await conn.QueryAsync<LatestRow>(new CommandDefinition(Latest, new { now }, cancellationToken: ct))).ToList();

    /// <summary>Incident signals no service could be found for, open in or overlapping the range.</summary>
    public static Task<int> UnattributedAsync(NpgsqlConnection conn, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int>(new CommandDefinition(Unattributed, new { from, to }, cancellationToken: ct));

    /// <summary>Deployments finished in (from, to] whose application revision is unresolved (docs/metrics.md, "Data quality").</summary>
    public static Task<int> UnresolvedAsync(NpgsqlConnection conn, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int>(new CommandDefinition(Unresolved, new { from, to }, cancellationToken: ct));

    private sealed record ChangeRow
    {
        public int ServiceId { get; init; }
        public string Environment { get; init; } = "";
        public DateTimeOffset DeployedAt { get; init; }
        public DateTimeOffset FirstCommitAt { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateTimeOffset? MergedAt { get; init; }
    }

    internal sealed record LatestRow
    {
        public int ServiceId { get; init; }
        public string Environment { get; init; } = "";
        public DateTimeOffset? DeploymentFinishedAt { get; init; }
        public DateTimeOffset? IncidentStartedAt { get; init; }
    }

    private sealed record TotalRow(int ServiceId, string Environment, int Succeeded, int Failed, int RolloutFailed, int Redeploys);
}
