using System.Text.Json;
using Dapper;
using Npgsql;

namespace DoraCollector.Projection;

/// <summary>
/// Reads services' facts and writes their projections, inside the caller's transaction: the
/// services a projection transaction claimed together in one statement per table, so that eight
/// services cost the round trips of one. A written row finds the stored row it names by key through
/// a <c>LATERAL</c> subquery with <c>LIMIT 1</c>, which PostgreSQL answers by a probe of the key's
/// index for each row beyond the smallest tables: joined plainly, a plan made while the tables held
/// thousands of rows (statements are prepared, and PostgreSQL keeps a plan until the table's
/// statistics change) hashed every stored deployment for every transaction (docs/benchmarks.md,
/// "Plans that stay right while the tables grow").
/// </summary>
internal static class ProjectionStore
{
    private const string LoadServices = "SELECT id AS Id, repository_id AS RepositoryId, path AS Path FROM services WHERE id = ANY (@serviceIds)";

    // Each service's rows in id order: what a projection is given does not depend on where PostgreSQL stored them.
    private const string LoadAttempts = """
        SELECT service_id AS ServiceId, id AS Id, source || ':' || external_id AS Key, external_id AS ExternalId, environment AS Environment, cluster AS Cluster,
               repository_id AS RepositoryId, revision AS Revision, outcome = 'success' AS Succeeded, started_at AS StartedAt,
               finished_at AS FinishedAt, rollback_hint AS RollbackHint, explicit_commits AS ExplicitCommits,
               application_revision AS ApplicationRevision, application_repository_id AS ApplicationRepositoryId, resolution AS Resolution
        FROM deployment_attempts WHERE service_id = ANY (@serviceIds)
        ORDER BY service_id, id
        """;

    private const string LoadSignals = """
        SELECT service_id AS ServiceId, id AS Id, source || ':' || external_id AS Key, environment AS Environment, cluster AS Cluster, started_at AS StartedAt,
               resolved_at AS ResolvedAt, title AS Title, severity AS Severity, deployment_ref AS DeploymentRef,
               revision_ref AS RevisionRef
        FROM incident_signals WHERE service_id = ANY (@serviceIds)
        ORDER BY service_id, id
        """;

    private const string LoadCache = """
        SELECT d.service_id AS ServiceId, d.key AS DeploymentKey, COALESCE(d.application_revision, d.revision) AS Revision, d.changes_base AS ChangesBase, d.changes_state AS State,
               c.change_key AS ChangeKey, c.repository_id AS RepositoryId, c.pull_request_number AS PullRequestNumber,
               c.head_sha AS HeadSha, c.title AS Title, c.commit_count AS CommitCount, c.first_commit_at AS FirstCommitAt,
               c.opened_at AS OpenedAt, c.merged_at AS MergedAt, c.is_hotfix AS IsHotfix, c.is_revert AS IsRevert
        FROM deployments d LEFT JOIN deployment_changes c ON c.deployment_id = d.id
        WHERE d.service_id = ANY (@serviceIds) AND d.changes_state IN ('resolved', 'explicit', 'head_only')
        ORDER BY d.service_id, d.key, c.change_key
        """;

    // The deployments of the services with their links to one another (the one each replaced, the
    // one that rolled it back), in one statement: a new deployment takes its id from the sequence
    // here, in the order of the rows, so that a link can name a deployment inserted by the same
    // statement (the foreign keys are checked at its end) and no row is written twice. True when
    // one of them was stored before (else none of them has stored changes yet).
    private const string UpsertDeployments = """
        WITH r AS (
            SELECT * FROM jsonb_to_recordset(@rows::jsonb) AS r (ordinal int, service_id int, key text, environment text, repository_id int,
                 revision text, started_at timestamptz, finished_at timestamptz, outcome text, attempt_count int, is_redeploy boolean,
                 is_rollback boolean, is_failed boolean, failure_reason text, is_rework boolean, rework_reason text,
                 recovered_at timestamptz, changes_state text, changes_base text, failure_cluster text, application_revision text,
                 application_repository_id int, resolution text, previous text, rolled_back_by text)
        ),
        stored AS (
            SELECT r.key, d.id FROM r LEFT JOIN LATERAL (SELECT d.id FROM deployments d WHERE d.key = r.key LIMIT 1) d ON true
            ORDER BY r.ordinal),
        ids AS (SELECT key, COALESCE(id, nextval(pg_get_serial_sequence('deployments', 'id'))) AS id FROM stored),
        written AS (
            INSERT INTO deployments (id, key, service_id, environment, repository_id, revision, started_at, finished_at, outcome,
                                     attempt_count, is_redeploy, is_rollback, is_failed, failure_reason, is_rework, rework_reason,
                                     recovered_at, changes_state, changes_base, failure_cluster, application_revision,
                                     application_repository_id, resolution, previous_deployment_id, rolled_back_by_id)
            OVERRIDING SYSTEM VALUE
            SELECT i.id, r.key, r.service_id, r.environment, r.repository_id, r.revision, r.started_at, r.finished_at, r.outcome,
                   r.attempt_count, r.is_redeploy, r.is_rollback, r.is_failed, r.failure_reason, r.is_rework, r.rework_reason,
                   r.recovered_at, r.changes_state, r.changes_base, r.failure_cluster, r.application_revision,
                   r.application_repository_id, r.resolution, p.id, b.id
            FROM r JOIN ids i ON i.key = r.key
            LEFT JOIN ids p ON p.key = r.previous
            LEFT JOIN ids b ON b.key = r.rolled_back_by
            ORDER BY r.ordinal
            ON CONFLICT (key) DO UPDATE
               SET service_id = EXCLUDED.service_id, environment = EXCLUDED.environment, repository_id = EXCLUDED.repository_id,
                   revision = EXCLUDED.revision, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
                   outcome = EXCLUDED.outcome, attempt_count = EXCLUDED.attempt_count, is_redeploy = EXCLUDED.is_redeploy,
                   is_rollback = EXCLUDED.is_rollback, is_failed = EXCLUDED.is_failed, failure_reason = EXCLUDED.failure_reason,
                   is_rework = EXCLUDED.is_rework, rework_reason = EXCLUDED.rework_reason, recovered_at = EXCLUDED.recovered_at,
                   changes_state = EXCLUDED.changes_state, changes_base = EXCLUDED.changes_base, failure_cluster = EXCLUDED.failure_cluster,
                   application_revision = EXCLUDED.application_revision, application_repository_id = EXCLUDED.application_repository_id,
                   resolution = EXCLUDED.resolution, previous_deployment_id = EXCLUDED.previous_deployment_id,
                   rolled_back_by_id = EXCLUDED.rolled_back_by_id
             WHERE (deployments.service_id, deployments.environment, deployments.repository_id, deployments.revision, deployments.started_at,
                    deployments.finished_at, deployments.outcome, deployments.attempt_count, deployments.is_redeploy, deployments.is_rollback,
                    deployments.is_failed, deployments.failure_reason, deployments.is_rework, deployments.rework_reason, deployments.recovered_at,
                    deployments.changes_state, deployments.changes_base, deployments.failure_cluster, deployments.application_revision,
                    deployments.application_repository_id, deployments.resolution, deployments.previous_deployment_id,
                    deployments.rolled_back_by_id)
                   IS DISTINCT FROM
                   (EXCLUDED.service_id, EXCLUDED.environment, EXCLUDED.repository_id, EXCLUDED.revision, EXCLUDED.started_at,
                    EXCLUDED.finished_at, EXCLUDED.outcome, EXCLUDED.attempt_count, EXCLUDED.is_redeploy, EXCLUDED.is_rollback,
                    EXCLUDED.is_failed, EXCLUDED.failure_reason, EXCLUDED.is_rework, EXCLUDED.rework_reason, EXCLUDED.recovered_at,
                    EXCLUDED.changes_state, EXCLUDED.changes_base, EXCLUDED.failure_cluster, EXCLUDED.application_revision,
                    EXCLUDED.application_repository_id, EXCLUDED.resolution, EXCLUDED.previous_deployment_id, EXCLUDED.rolled_back_by_id))
        SELECT EXISTS (SELECT 1 FROM stored WHERE id IS NOT NULL)
        """;

    private const string DeleteDeployments = "DELETE FROM deployments WHERE service_id = ANY (@serviceIds) AND NOT (key = ANY (@keys))";

    private const string LinkAttempts = """
        UPDATE deployment_attempts a SET deployment_id = d.id
        FROM jsonb_to_recordset(@rows::jsonb) AS r (attempt_id bigint, key text)
        JOIN LATERAL (SELECT d.id FROM deployments d WHERE d.key = r.key LIMIT 1) d ON true
        WHERE a.id = r.attempt_id AND a.deployment_id IS DISTINCT FROM d.id
        """;

    private const string InsertChanges = """
        INSERT INTO deployment_changes (deployment_id, change_key, repository_id, pull_request_number, head_sha, title,
                                        commit_count, first_commit_at, opened_at, merged_at, is_first, is_hotfix, is_revert)
        SELECT d.id, r.change_key, r.repository_id, r.pull_request_number, r.head_sha, r.title, r.commit_count,
               r.first_commit_at, r.opened_at, r.merged_at, r.is_first, r.is_hotfix, r.is_revert
        FROM jsonb_to_recordset(@rows::jsonb) AS r (key text, change_key text, repository_id int, pull_request_number int,
             head_sha text, title text, commit_count int, first_commit_at timestamptz, opened_at timestamptz,
             merged_at timestamptz, is_first boolean, is_hotfix boolean, is_revert boolean)
        JOIN LATERAL (SELECT d.id FROM deployments d WHERE d.key = r.key LIMIT 1) d ON true
        ON CONFLICT (deployment_id, change_key) DO NOTHING
        """;

    // The services' stored changes that their projections do not hold as they are: a projection
    // run again over the same facts (every mapping batch queues its services) rewrites nothing.
    // The rows are read once (not once for each stored change), and compared by a hash anti-join.
    private const string DeleteChangedChanges = """
        WITH r AS MATERIALIZED (
            SELECT * FROM jsonb_to_recordset(@rows::jsonb) AS r (key text, change_key text, repository_id int, pull_request_number int,
                 head_sha text, title text, commit_count int, first_commit_at timestamptz, opened_at timestamptz,
                 merged_at timestamptz, is_first boolean, is_hotfix boolean, is_revert boolean)
        )
        DELETE FROM deployment_changes c USING deployments d
        WHERE d.id = c.deployment_id AND d.service_id = ANY (@serviceIds)
          AND NOT EXISTS (
              SELECT 1 FROM r
              WHERE r.key = d.key AND r.change_key = c.change_key
                AND (r.repository_id, r.pull_request_number, r.head_sha, r.title, r.commit_count, r.first_commit_at, r.opened_at,
                     r.merged_at, r.is_first, r.is_hotfix, r.is_revert)
                    IS NOT DISTINCT FROM
                    (c.repository_id, c.pull_request_number, c.head_sha, c.title, c.commit_count, c.first_commit_at, c.opened_at,
                     c.merged_at, c.is_first, c.is_hotfix, c.is_revert))
        """;

    private const string UpsertIncidents = """
        INSERT INTO incidents (key, service_id, environment, title, severity, started_at, resolved_at, signal_count, deployment_id, attribution,
                               cluster)
        SELECT r.key, r.service_id, r.environment, r.title, r.severity, r.started_at, r.resolved_at, r.signal_count, d.id, r.attribution,
               r.cluster
        FROM jsonb_to_recordset(@rows::jsonb) AS r (service_id int, key text, environment text, title text, severity text, started_at timestamptz,
             resolved_at timestamptz, signal_count int, deployment text, attribution text, cluster text)
        LEFT JOIN LATERAL (SELECT d.id FROM deployments d WHERE d.key = r.deployment LIMIT 1) d ON true
        ON CONFLICT (key) DO UPDATE
           SET service_id = EXCLUDED.service_id, environment = EXCLUDED.environment, title = EXCLUDED.title,
               severity = EXCLUDED.severity, started_at = EXCLUDED.started_at, resolved_at = EXCLUDED.resolved_at,
               signal_count = EXCLUDED.signal_count, deployment_id = EXCLUDED.deployment_id, attribution = EXCLUDED.attribution,
               cluster = EXCLUDED.cluster
        """;

    private const string DeleteIncidents = "DELETE FROM incidents WHERE service_id = ANY (@serviceIds) AND NOT (key = ANY (@keys))";

    private const string LinkSignals = """
        UPDATE incident_signals s SET incident_id = i.id
        FROM jsonb_to_recordset(@rows::jsonb) AS r (signal_id bigint, key text)
        JOIN LATERAL (SELECT i.id FROM incidents i WHERE i.key = r.key LIMIT 1) i ON true
        WHERE s.id = r.signal_id AND s.incident_id IS DISTINCT FROM i.id
        """;

    private static readonly JsonSerializerOptions RowJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// The facts of <paramref name="services"/>, in the order given, each with the changes its stored
    /// deployments hold (when <c>UseCache</c>) or none (its changes are resolved again).
    /// </summary>
    public static async Task<IReadOnlyList<(ServiceFacts Facts, IChangeCache Cache)>> LoadAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<(int ServiceId, bool UseCache)> services, CancellationToken ct)
    {
        var serviceIds = services.Select(s => s.ServiceId).ToArray();
        var rows = (await conn.QueryAsync<ServiceRow>(new CommandDefinition(LoadServices, new { serviceIds }, tx, cancellationToken: ct)))
            .ToDictionary(s => s.Id);
        var attempts = (await conn.QueryAsync<OfService, AttemptFact, (int ServiceId, AttemptFact Attempt)>(
                new CommandDefinition(LoadAttempts, new { serviceIds }, tx, cancellationToken: ct), (s, a) => (s.ServiceId, a), splitOn: "Id"))
            .ToLookup(x => x.ServiceId, x => x.Attempt);
        var signals = (await conn.QueryAsync<OfService, SignalFact, (int ServiceId, SignalFact Signal)>(
                new CommandDefinition(LoadSignals, new { serviceIds }, tx, cancellationToken: ct), (s, f) => (s.ServiceId, f), splitOn: "Id"))
            .ToLookup(x => x.ServiceId, x => x.Signal);
        var cached = services.Where(s => s.UseCache).Select(s => s.ServiceId).ToArray();
        var stored = cached.Length == 0
            ? Enumerable.Empty<CachedRow>().ToLookup(r => r.ServiceId)
            : (await conn.QueryAsync<CachedRow>(new CommandDefinition(LoadCache, new { serviceIds = cached }, tx, cancellationToken: ct)))
                .ToLookup(r => r.ServiceId);
        return services.Select(s =>
        {
            // A queued service that no longer exists is a failure of its own projection, as it always was.
            var service = rows.TryGetValue(s.ServiceId, out var row) ? row : throw new InvalidOperationException($"service {s.ServiceId} does not exist");
            IChangeCache cache = s.UseCache ? new StoredChanges(stored[s.ServiceId].ToList()) : NoChangeCache.Instance;
            return (new ServiceFacts(s.ServiceId, service.RepositoryId, service.Path, attempts[s.ServiceId].ToList(), signals[s.ServiceId].ToList()), cache);
        }).ToList();
    }

    /// <summary>
    /// Replaces each service's derived rows with its projection, writing only the rows that differ;
    /// keys keep ids stable. One statement per table for all the services.
    /// </summary>
    public static async Task SaveAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<(int ServiceId, ServiceProjection Projection)> projections, CancellationToken ct)
    {
        var serviceIds = projections.Select(p => p.ServiceId).ToArray();
        var deployments = projections.SelectMany(p => p.Projection.Deployments.Select(d => (p.ServiceId, Deployment: d))).ToList();
        var upsert = JsonSerializer.Serialize(deployments.Select((x, ordinal) => new
        {
            Ordinal = ordinal, x.ServiceId, x.Deployment.Key, x.Deployment.Environment, x.Deployment.RepositoryId, x.Deployment.Revision,
            x.Deployment.StartedAt, x.Deployment.FinishedAt, Outcome = x.Deployment.Succeeded ? "success" : "failure",
            AttemptCount = x.Deployment.Attempts.Count, x.Deployment.IsRedeploy, x.Deployment.IsRollback, x.Deployment.IsFailed,
            x.Deployment.FailureReason, x.Deployment.IsRework, x.Deployment.ReworkReason, x.Deployment.RecoveredAt, x.Deployment.ChangesState,
            x.Deployment.ChangesBase, x.Deployment.FailureCluster, x.Deployment.ApplicationRevision, x.Deployment.ApplicationRepositoryId,
            x.Deployment.Resolution, Previous = x.Deployment.Previous?.Key, RolledBackBy = x.Deployment.RolledBackBy?.Key,
        }), RowJson);
        var anyStored = deployments.Count > 0
            && await conn.ExecuteScalarAsync<bool>(new CommandDefinition(UpsertDeployments, new { rows = upsert }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            DeleteDeployments, new { serviceIds, keys = deployments.Select(x => x.Deployment.Key).ToArray() }, tx, cancellationToken: ct));
        await ExecuteAsync(conn, tx, LinkAttempts,
            deployments.SelectMany(x => x.Deployment.Attempts.Select(a => new { AttemptId = a.Id, x.Deployment.Key })), ct);

        var changes = JsonSerializer.Serialize(deployments.SelectMany(x => x.Deployment.Changes.Select(c => new
        {
            x.Deployment.Key, ChangeKey = c.Change.Key, c.Change.RepositoryId, c.Change.PullRequestNumber, c.Change.HeadSha, c.Change.Title,
            c.Change.CommitCount, c.Change.FirstCommitAt, c.Change.OpenedAt, c.Change.MergedAt, c.IsFirst, c.IsHotfix, c.IsRevert,
        })), RowJson);
        // Only deployments stored before have stored changes: the rest were inserted above (a
        // stored deployment that is no longer projected was deleted with its changes).
        if (anyStored)
        {
            await conn.ExecuteAsync(new CommandDefinition(DeleteChangedChanges, new { serviceIds, rows = changes }, tx, cancellationToken: ct));
        }

        if (changes != "[]")
        {
            await conn.ExecuteAsync(new CommandDefinition(InsertChanges, new { rows = changes }, tx, cancellationToken: ct));
        }

        var incidents = projections.SelectMany(p => p.Projection.Incidents.Select(i => (p.ServiceId, Incident: i))).ToList();
        await ExecuteAsync(conn, tx, UpsertIncidents, incidents.Select(x => new
        {
            x.ServiceId, x.Incident.Key, x.Incident.Environment, x.Incident.Title, x.Incident.Severity, x.Incident.StartedAt,
            x.Incident.ResolvedAt, SignalCount = x.Incident.Signals.Count, Deployment = x.Incident.Deployment?.Key, x.Incident.Attribution,
            x.Incident.Cluster,
        }), ct);
        await conn.ExecuteAsync(new CommandDefinition(
            DeleteIncidents, new { serviceIds, keys = incidents.Select(x => x.Incident.Key).ToArray() }, tx, cancellationToken: ct));
        await ExecuteAsync(conn, tx, LinkSignals, incidents.SelectMany(x => x.Incident.Signals.Select(s => new { SignalId = s.Id, x.Incident.Key })), ct);
    }

    private static async Task ExecuteAsync<T>(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, IEnumerable<T> rows, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(rows, RowJson);
        if (json != "[]")
        {
            await conn.ExecuteAsync(new CommandDefinition(sql, new { rows = json }, tx, cancellationToken: ct));
        }
    }

    private sealed record OfService
    {
        public int ServiceId { get; init; }
    }

    private sealed record ServiceRow(int Id, int? RepositoryId, string? Path);

    private sealed record CachedRow
    {
        public int ServiceId { get; init; }
        public string DeploymentKey { get; init; } = "";
        public string Revision { get; init; } = "";
        public string? ChangesBase { get; init; }
        public string State { get; init; } = "";
        public string? ChangeKey { get; init; }
        public int? RepositoryId { get; init; }
        public int? PullRequestNumber { get; init; }
        public string? HeadSha { get; init; }
        public string? Title { get; init; }
        public int? CommitCount { get; init; }
        public DateTimeOffset? FirstCommitAt { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateTimeOffset? MergedAt { get; init; }
        public bool? IsHotfix { get; init; }
        public bool? IsRevert { get; init; }
    }

    private sealed class StoredChanges(List<CachedRow> rows) : IChangeCache
    {
        private readonly Dictionary<string, (string Revision, string? Base, CachedChanges Changes)> _byKey = rows
            .GroupBy(r => r.DeploymentKey)
            .ToDictionary(g => g.Key, g => (g.First().Revision, g.First().ChangesBase, new CachedChanges(g.First().State, g
                .Where(r => r.ChangeKey is not null)
                .Select(r => new CachedChange(
                    new ChangeRecord(r.ChangeKey!, r.RepositoryId, r.PullRequestNumber, r.HeadSha!, r.Title, r.CommitCount!.Value,
                        r.FirstCommitAt!.Value, r.OpenedAt, r.MergedAt, [], []),
                    r.IsHotfix!.Value, r.IsRevert!.Value))
                .ToList())));

        public bool TryGet(string deploymentKey, string revision, string? changesBase, out CachedChanges changes)
        {
            changes = null!;
            if (!_byKey.TryGetValue(deploymentKey, out var stored) || stored.Revision != Revisions.Normalize(revision)
                || !string.Equals(stored.Base, changesBase is null ? null : Revisions.Normalize(changesBase), StringComparison.Ordinal))
            {
                return false;
            }

            changes = stored.Changes;
            return true;
        }
    }
}
