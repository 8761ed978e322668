using DoraCollector.Pipeline;
using Dapper;
using DoraCollector.Catalog;
using DoraCollector.Hosting;
using DoraCollector.Metrics;
using DoraCollector.Persistence;
using Npgsql;

namespace DoraCollector.Commands;

/// <summary>
/// Rebuilds the domain tables from <c>raw_events</c> and recomputes, without calling any upstream:
/// after a mapper fix, a rule change, or to check that the inbox explains every number. One
/// transaction: readers see the old rows until it commits, and a failure changes nothing.
/// </summary>
internal static class RecomputeCommand
{
    private const string Clear = """
        TRUNCATE deployment_changes, deployments, deployment_attempts, incidents, incident_signals,
                 pull_request_commits, pull_requests, commits, image_links, projection_queue;
        UPDATE raw_events SET state = 'pending', error = NULL, processed_at = NULL, attempts = 0;
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = CollectorApp.Build(args);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        var services = app.Services;
        try
        {
            await services.GetRequiredService<SqlMigrator>().MigrateAsync(CancellationToken.None);
            await services.GetRequiredService<CatalogSync>().StartAsync(CancellationToken.None);

            var db = services.GetRequiredService<NpgsqlDataSource>();
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync(new CommandDefinition(Clear, transaction: tx));
            var (mapped, failed) = await services.GetRequiredService<RawEventProcessor>().MapAllAsync(conn, tx, CancellationToken.None);
            var projected = await services.GetRequiredService<ProjectionRunner>().ProjectAllAsync(conn, tx, CancellationToken.None);
            var counts = await conn.QuerySingleAsync<(long Deployments, long Changes, long Incidents)>(new CommandDefinition(
                "SELECT (SELECT count(*) FROM deployments), (SELECT count(*) FROM deployment_changes WHERE is_first), (SELECT count(*) FROM incidents)",
                transaction: tx));
            await tx.CommitAsync();

            var snapshot = await services.GetRequiredService<MetricsEngine>().ComputeSnapshotAsync(CancellationToken.None);
            Console.WriteLine($"mapped {mapped} raw events ({failed} failed), projected {projected} services: " +
                              $"{counts.Deployments} deployments, {counts.Changes} changes, {counts.Incidents} incidents; " +
                              $"{snapshot.Series.Count} metric series in {snapshot.ComputeDuration.TotalMilliseconds:0} ms");
            if (failed > 0)
            {
                Console.WriteLine("raw events that failed keep their reason in raw_events.error");
            }

            return ExitCodes.Ok;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"error: PostgreSQL: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
