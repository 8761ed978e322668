using DoraCollector.Pipeline;
using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using Npgsql;

namespace DoraCollector.IntegrationTests.Projection;

public sealed class ProjectionRunnerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_projection_that_loses_a_deadlock_to_a_mapping_batch_is_retried_at_once_not_a_minute_later()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", new
        {
            id = "d1", service = "checkout", environment = "production", revision = new string('c', 40), status = "success",
            finishedAt = Now.AddHours(-1), commits = Array.Empty<object>(),
        });
        while (await host.Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }

        var serviceId = await host.ScalarAsync<int>("SELECT id FROM services WHERE name = 'checkout'");

        // A mapping batch has written the service's attempt and, in the same transaction, queues the
        // service again, while its projection (holding the queue row) waits for that attempt: the
        // projection, which waited first, is the deadlock's victim.
        await using var batch = new NpgsqlConnection(host.ConnectionString);
        await batch.OpenAsync();
        await using var tx = await batch.BeginTransactionAsync();
        await batch.ExecuteAsync("SET LOCAL deadlock_timeout = '30s'", transaction: tx);
        await batch.ExecuteAsync("UPDATE deployment_attempts SET updated_at = updated_at WHERE service_id = @serviceId", new { serviceId }, tx);
        var runner = host.Service<ProjectionRunner>();
        var projecting = runner.DrainAsync(CancellationToken.None);
        await WaitUntilSomeoneWaitsForALockAsync(host);
        await batch.ExecuteAsync("UPDATE projection_queue SET resolve_changes = true WHERE service_id = @serviceId", new { serviceId }, tx);
        await tx.CommitAsync();
        await projecting;

        await runner.DrainAsync(CancellationToken.None);

        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM deployments"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM projection_queue"));
    }

    private static async Task WaitUntilSomeoneWaitsForALockAsync(EngineHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await host.ScalarAsync<long>(
                   "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the projection never waited for the batch's lock");
            await Task.Delay(10);
        }
    }
}
