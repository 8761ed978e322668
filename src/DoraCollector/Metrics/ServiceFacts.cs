using Npgsql;

namespace DoraCollector.Metrics;

/// <summary>
/// What the snapshot keeps of one service between computations: its facts from
/// <see cref="LoadedFrom"/> on (no upper bound, so a later <c>now</c> finds them all), its
/// all-time deployment counts, and its latest deployment and incident up to <see cref="LoadedFrom"/>.
/// Reloaded whole when its domain rows change.
/// </summary>
internal sealed class ServiceFacts(DateTimeOffset loadedFrom)
{
    public DateTimeOffset LoadedFrom => loadedFrom;

    /// <summary>By environment: one for every environment it has deployed to or has a loaded incident in.</summary>
    public Dictionary<string, FactBucket> Buckets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DeploymentCounts> Totals { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest live deployment finish and incident start at or before <see cref="LoadedFrom"/>, in ticks (0: none).</summary>
    public Dictionary<string, (long Deployed, long IncidentStarted)> LatestBefore { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Loads <see cref="ServiceFacts"/> for all services or some, with the conditions of
/// <see cref="MetricFactsLoader"/> minus their upper bound, straight into compact facts.
/// </summary>
internal static class ServiceFactsLoader
{
    public static async Task<Dictionary<int, ServiceFacts>> LoadAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset from, LeadTimeStart leadTimeStart, int[]? ids, CancellationToken ct)
    {
        var only = ids is null ? "" : " AND service_id = ANY (@ids)";
        var environments = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(string environment) => environments.TryGetValue(environment, out var known) ? known : environments[environment] = environment;

        var lists = new Dictionary<(int, string), (List<DeploymentEntry> D, List<ChangeEntry> C, List<IncidentEntry> I)>();
        (List<DeploymentEntry> D, List<ChangeEntry> C, List<IncidentEntry> I) ListsOf(int id, string environment) =>
            lists.TryGetValue((id, environment), out var l) ? l : lists[(id, environment)] = ([], [], []);
        var result = new Dictionary<int, ServiceFacts>();
        ServiceFacts Of(int id) => result.TryGetValue(id, out var f) ? f : result[id] = new ServiceFacts(from);
        foreach (var id in ids ?? [])
        {
            Of(id);
        }

        await ReadAsync(conn, tx, $"""
            SELECT service_id, environment, finished_at, outcome = 'success', is_redeploy, is_failed, is_rework, recovered_at,
                   resolution = 'unresolved'
            FROM deployments WHERE finished_at > @from{only}
            """, from, ids, r => ListsOf(r.GetInt32(0), Intern(r.GetString(1))).D.Add(new DeploymentEntry(
                Ticks(r, 2), r.IsDBNull(7) ? long.MinValue : Ticks(r, 7),
                DeploymentEntry.FlagsOf(r.GetBoolean(3), r.GetBoolean(4), r.GetBoolean(5), r.GetBoolean(6))
                | (r.GetBoolean(8) ? DeploymentFlags.Unresolved : 0))), ct);
        await ReadAsync(conn, tx, $"""
            SELECT d.service_id, d.environment, d.finished_at, c.first_commit_at, c.opened_at, c.merged_at
            FROM deployment_changes c JOIN deployments d ON d.id = c.deployment_id
            WHERE c.is_first AND d.outcome = 'success' AND NOT d.is_redeploy AND d.finished_at > @from{only.Replace("service_id", "d.service_id", StringComparison.Ordinal)}
            """, from, ids, r =>
            {
                var deployed = Instant(r, 2);
                var times = new ChangeTimes(Instant(r, 3), r.IsDBNull(4) ? null : Instant(r, 4), r.IsDBNull(5) ? null : Instant(r, 5));
                ListsOf(r.GetInt32(0), Intern(r.GetString(1))).C.Add(new ChangeEntry(deployed.UtcTicks, LeadTimeRules.Measure(times, deployed, leadTimeStart)));
            }, ct);

        // Every incident that is resolved in or open at the end of some window ending at or after
        // @from, and every one that started after it (for the latest-incident marker).
        await ReadAsync(conn, tx, $"""
            SELECT service_id, environment, started_at, resolved_at FROM incidents
            WHERE (resolved_at IS NULL OR resolved_at > @from OR started_at > @from){only}
            """, from, ids, r => ListsOf(r.GetInt32(0), Intern(r.GetString(1))).I.Add(
                new IncidentEntry(Ticks(r, 2), r.IsDBNull(3) ? IncidentEntry.Open : Ticks(r, 3))), ct);
        // One pass over all deployments for both the all-time counts and the latest before @from.
        await ReadAsync(conn, tx, $"""
            SELECT service_id, environment,
                   count(*) FILTER (WHERE NOT is_redeploy AND outcome = 'success' AND NOT is_failed)::int,
                   count(*) FILTER (WHERE NOT is_redeploy AND outcome = 'success' AND is_failed)::int,
                   count(*) FILTER (WHERE NOT is_redeploy AND outcome = 'failure')::int,
                   count(*) FILTER (WHERE is_redeploy)::int,
                   max(finished_at) FILTER (WHERE outcome = 'success' AND NOT is_redeploy AND finished_at <= @from)
            FROM deployments WHERE true{only} GROUP BY service_id, environment
            """, from, ids, r =>
            {
                var (id, environment) = (r.GetInt32(0), Intern(r.GetString(1)));
                var service = Of(id);
                service.Totals[environment] = new DeploymentCounts(r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
                if (!r.IsDBNull(6))
                {
                    service.LatestBefore[environment] = (Ticks(r, 6), 0);
                }

                ListsOf(id, environment);
            }, ct);
        await ReadAsync(conn, tx, $"""
            SELECT service_id, environment, max(started_at) FROM incidents WHERE started_at <= @from{only} GROUP BY service_id, environment
            """, from, ids, r =>
            {
                var service = Of(r.GetInt32(0));
                var environment = Intern(r.GetString(1));
                service.LatestBefore[environment] = (service.LatestBefore.GetValueOrDefault(environment).Deployed, Ticks(r, 2));
            }, ct);

        foreach (var ((id, environment), l) in lists)
        {
            Of(id).Buckets[environment] = FactBucket.Of(id, environment, l.D, l.C, l.I);
        }

        return result;
    }

    private static async Task ReadAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string sql, DateTimeOffset from, int[]? ids, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("from", from);
        if (ids is not null)
        {
            cmd.Parameters.AddWithValue("ids", ids);
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }

    private static long Ticks(NpgsqlDataReader r, int ordinal) => r.GetFieldValue<DateTime>(ordinal).Ticks;

    private static DateTimeOffset Instant(NpgsqlDataReader r, int ordinal) => new(r.GetFieldValue<DateTime>(ordinal).Ticks, TimeSpan.Zero);
}
