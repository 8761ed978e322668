using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace DoraCollector.IntegrationTests.Persistence;

/// <summary>
/// 0007 gives every stored attempt the implicit cluster, except Argo CD attempts, which take the
/// destination of the Application they were mapped from, as the mapper names it now.
/// </summary>
public sealed class ClusterMigrationTests
{
    [Fact]
    public async Task Argo_cd_attempts_stored_before_take_their_applications_destination()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var db = database.CreateDataSource();
        var embedded = MigrationSet.Embedded();
        var before = embedded.Scripts.TakeWhile(s => string.CompareOrdinal(s.Name, "0007") < 0).ToList();
        await new SqlMigrator(db, new MigrationSet(before), TimeProvider.System, NullLogger<SqlMigrator>.Instance).MigrateAsync(CancellationToken.None);
        await using (var conn = await db.OpenConnectionAsync())
        {
            await conn.ExecuteAsync(
                """
                INSERT INTO services (name, origin) VALUES ('checkout', 'discovered');
                WITH bodies (n, body) AS (VALUES
                    (1, convert_to('{"spec": {"destination": {"name": "aks-westeurope-prod", "server": "https://10.0.0.1"}}}', 'UTF8')),
                    (2, convert_to('{"spec": {"destination": {"server": "https://34.118.0.1/"}}}', 'UTF8')),
                    (3, convert_to('{"spec": {"destination": {"name": "x\u0000"}}}', 'UTF8')),
                    (4, convert_to('{"service": "checkout"}', 'UTF8'))),
                events AS (
                    INSERT INTO raw_events (source, kind, external_id, received_at, state, digest)
                    SELECT CASE WHEN n = 4 THEN 'generic' ELSE 'argocd' END, 'application', 'e' || n, now(), 'processed', sha256(body)
                    FROM bodies RETURNING id, external_id),
                stored AS (
                    INSERT INTO raw_event_bodies (raw_event_id, body)
                    SELECT e.id, b.body FROM events e JOIN bodies b ON 'e' || b.n = e.external_id)
                INSERT INTO deployment_attempts (source, external_id, service_id, environment, revision, outcome, finished_at, raw_event_id, updated_at)
                SELECT CASE WHEN e.external_id = 'e4' THEN 'generic' ELSE 'argocd' END, 'a-' || e.external_id, 1, 'production', 'c1',
                       'success', now(), e.id, now()
                FROM events e
                """);
        }

        await new SqlMigrator(db, embedded, TimeProvider.System, NullLogger<SqlMigrator>.Instance).MigrateAsync(CancellationToken.None);

        await using var migrated = await db.OpenConnectionAsync();
        var clusters = (await migrated.QueryAsync<(string ExternalId, string Cluster)>(
            "SELECT external_id, cluster FROM deployment_attempts ORDER BY external_id")).ToList();
        Assert.Equal(
            [("a-e1", "aks-westeurope-prod"), ("a-e2", "https://34.118.0.1"), ("a-e3", ""), ("a-e4", "")],
            clusters);
    }
}
