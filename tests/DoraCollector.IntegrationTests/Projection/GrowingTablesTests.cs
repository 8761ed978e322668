using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Pipeline;
using Npgsql;

namespace DoraCollector.IntegrationTests.Projection;

/// <summary>
/// The collector's statements are prepared, and PostgreSQL keeps a prepared statement's plan until
/// the table's statistics change, which lags a table that grows fast (a first backfill). Mapping
/// and projecting a batch must not read the grown tables whole with a plan made while they were
/// small (docs/benchmarks.md, "Plans that stay right while the tables grow").
/// </summary>
public sealed class GrowingTablesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const int Services = 40;
    private const int Grown = 40_000;

    [Fact]
    public async Task A_batch_mapped_and_projected_with_plans_made_on_small_tables_reads_only_its_own_rows_once_they_have_grown()
    {
        await using var host = await EngineHost.StartAsync(Now);

        // Plans are cached as PostgreSQL caches them by default (plan_cache_mode auto: a prepared
        // statement's sixth run may keep a generic plan); no analyze runs but ours.
        await ExecuteAsync(host, """
            ALTER TABLE deployments SET (autovacuum_enabled = false);
            ALTER TABLE deployment_attempts SET (autovacuum_enabled = false);
            ALTER TABLE deployment_changes SET (autovacuum_enabled = false);
            """);
        await CloseEverySessionAsync(host);

        // A small history, analyzed, then a round mapped and projected with plans made on it.
        for (var round = 0; round < 25; round++)
        {
            await host.IngestAsync("/api/v1/deployments", Round(round));
        }

        await MapAndProjectAsync(host);
        await ExecuteAsync(host, "ANALYZE deployments; ANALYZE deployment_attempts; ANALYZE deployment_changes");
        await host.IngestAsync("/api/v1/deployments", Round(25));
        await MapAndProjectAsync(host);

        // The tables grow far beyond what their statistics say.
        await ExecuteAsync(host, $"""
            INSERT INTO services (name, origin) VALUES ('bulk', 'discovered');
            INSERT INTO deployment_attempts (source, external_id, service_id, environment, revision, outcome, finished_at, updated_at)
            SELECT 'generic', 'bulk-' || i, s.id, 'production', md5(i::text) || '00000000', 'success', now() - i * interval '1 minute', now()
            FROM generate_series(1, {Grown}) AS i, services s WHERE s.name = 'bulk';
            INSERT INTO deployments (key, service_id, environment, revision, finished_at, outcome, attempt_count, is_redeploy, is_rollback,
                                     is_failed, is_rework, changes_state)
            SELECT 'generic:bulk-' || i, s.id, 'production', md5(i::text) || '00000000', now() - i * interval '1 minute', 'success', 1,
                   false, false, false, false, 'none'
            FROM generate_series(1, {Grown}) AS i, services s WHERE s.name = 'bulk';
            """);
        var before = await ScansAsync(host);

        await host.IngestAsync("/api/v1/deployments", Round(26));
        await MapAndProjectAsync(host);

        var after = await ScansAsync(host);
        foreach (var table in new[] { "deployments", "deployment_attempts" })
        {
            var read = after[table] - before[table];
            Assert.True(read < Grown, $"mapping and projecting {Services} deployments read {read:N0} rows of {table} in scans of the whole table");
        }

        Assert.Equal(Services * 27, await host.ScalarAsync<long>(
            "SELECT count(*) FROM deployments d JOIN services s ON s.id = d.service_id WHERE s.name <> 'bulk'"));
    }

    // One deployment of each service, an hour apart from the round before.
    private static object[] Round(int round) =>
        Enumerable.Range(0, Services).Select(s => (object)new
        {
            id = $"s{s:D2}-r{round:D2}", service = $"service-{s:D2}", environment = "production",
            revision = $"{s:D2}{round:D2}".PadRight(40, 'a'), status = "success",
            finishedAt = Now.AddHours(round - 30), commits = Array.Empty<object>(),
        }).ToArray();

    private static async Task MapAndProjectAsync(EngineHost host)
    {
        while (await host.Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }

        await host.Service<ProjectionRunner>().DrainAsync(CancellationToken.None);
    }

    // Rows read by sequential scans so far, once every session's counts have reached the statistics.
    private static async Task<Dictionary<string, long>> ScansAsync(EngineHost host)
    {
        await CloseEverySessionAsync(host);
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        return (await conn.QueryAsync<(string Table, long Read)>(
                "SELECT relname, seq_tup_read FROM pg_stat_user_tables WHERE relname IN ('deployments', 'deployment_attempts')"))
            .ToDictionary(r => r.Table, r => r.Read);
    }

    // The collector's sessions (its data source's) and the test's end: new ones start with no
    // plans, and a session's counts reach the statistics when it exits.
    private static async Task CloseEverySessionAsync(EngineHost host)
    {
        host.Service<NpgsqlDataSource>().Clear();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        const string Others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
        for (var waited = 0; await conn.ExecuteScalarAsync<long>(Others) > 0; waited++)
        {
            Assert.True(waited < 300, "the collector's sessions did not end within 30 s");
            await Task.Delay(100);
        }

        // A backend leaves pg_stat_activity just before it writes its last counts.
        await Task.Delay(200);
        await conn.CloseAsync();
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task ExecuteAsync(EngineHost host, string sql)
    {
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.ExecuteAsync(sql);
    }
}
