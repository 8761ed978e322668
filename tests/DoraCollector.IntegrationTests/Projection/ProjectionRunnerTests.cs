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
        await using var host = await StartWithCheckoutMappedAsync();

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

    [Fact]
    public async Task A_service_whose_projection_fails_leaves_the_services_claimed_with_it_projected_and_waits_for_its_retry_alone()
    {
        await using var host = await EngineHost.StartAsync(Now);
        foreach (var (service, environment) in new[] { ("checkout", "production"), ("billing", "poisoned"), ("search", "production") })
        {
            await host.IngestAsync("/api/v1/deployments", new
            {
                id = $"{service}-1", service, environment, revision = new string('c', 40), status = "success",
                finishedAt = Now.AddHours(-1), commits = Array.Empty<object>(),
            });
        }

        while (await host.Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }

        // One of the three services claimed together cannot be written.
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.ExecuteAsync("ALTER TABLE deployments ADD CONSTRAINT ck_test_poisoned CHECK (environment <> 'poisoned')");
        }

        Assert.Equal(2, await host.Service<ProjectionRunner>().DrainAsync(CancellationToken.None));

        Assert.Equal(["checkout", "search"], await host.QueryAsync<string>(
            "SELECT s.name FROM deployments d JOIN services s ON s.id = d.service_id ORDER BY s.name"));
        Assert.Equal(["billing"], await host.QueryAsync<string>(
            "SELECT s.name FROM projection_queue q JOIN services s ON s.id = q.service_id WHERE q.queued_at = @retryAt",
            new { retryAt = Now.AddMinutes(1) }));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM projection_queue"));
    }

    [Fact]
    public async Task While_the_inbox_holds_a_backlog_the_background_projection_waits_at_most_30_seconds_after_a_service_was_queued()
    {
        await using var host = await StartWithCheckoutMappedAsync();

        // 999 pending events are no backlog: the service queued now is projected at once.
        var runner = host.Service<ProjectionRunner>();
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await AddPendingEventsAsync(conn, 1, 999);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the inbox is asked, not the setup's mapping answer
        Assert.Equal(1, await runner.DrainAsync(deferDuringBacklog: true, CancellationToken.None));

        // With the thousandth, it is: a service queued 29 s ago waits, one queued 30 s ago is projected.
        await AddPendingEventsAsync(conn, 1000, 1000);
        var serviceId = await host.ScalarAsync<int>("SELECT id FROM services WHERE name = 'checkout'");
        await conn.ExecuteAsync("INSERT INTO projection_queue (service_id, queued_at, resolve_changes) VALUES (@serviceId, @queuedAt, false)",
            new { serviceId, queuedAt = Now.AddSeconds(-29) });
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the backlog is looked at again at most once a second
        Assert.Equal(0, await runner.DrainAsync(deferDuringBacklog: true, CancellationToken.None));
        Assert.Equal(1, await host.ScalarAsync<long>("SELECT count(*) FROM projection_queue"));

        await conn.ExecuteAsync("UPDATE projection_queue SET queued_at = @queuedAt", new { queuedAt = Now.AddSeconds(-30) });
        Assert.Equal(1, await runner.DrainAsync(deferDuringBacklog: true, CancellationToken.None));

        // The verbs and tests' drain never wait for a backlog.
        await conn.ExecuteAsync("INSERT INTO projection_queue (service_id, queued_at, resolve_changes) VALUES (@serviceId, @queuedAt, false)",
            new { serviceId, queuedAt = Now });
        Assert.Equal(1, await runner.DrainAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_mapping_batch_that_finds_the_backlog_mapped_lets_the_deferred_projection_start_at_once()
    {
        await using var host = await StartWithCheckoutMappedAsync();
        var mapping = host.Service<RawEventProcessor>();

        // A backlog of 1,000 pending events: the service queued now waits.
        await using var conn = new NpgsqlConnection(host.ConnectionString);
        await AddPendingEventsAsync(conn, 1, 1000);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the setup's mapping answer (no backlog) stands no more
        var runner = host.Service<ProjectionRunner>();
        Assert.Equal(0, await runner.DrainAsync(deferDuringBacklog: true, CancellationToken.None));
        var wakeUp = host.Service<ProjectionSignal>();
        while (await wakeUp.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None))
        {
        }

        // The backlog is mapped (settled here by hand), and a mapping batch then finds the inbox
        // empty: the projection does not wait for its own next look at the inbox, a second later.
        await conn.ExecuteAsync("UPDATE raw_events SET state = 'processed' WHERE external_id LIKE 'backlog-%'");
        Assert.Equal(0, await mapping.ProcessBatchAsync(CancellationToken.None));
        Assert.True(await wakeUp.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None)); // the background projectors wake
        Assert.Equal(1, await runner.DrainAsync(deferDuringBacklog: true, CancellationToken.None));
    }

    // Pending raw events backlog-first..backlog-last (no body: nothing maps them in these tests).
    private static Task AddPendingEventsAsync(NpgsqlConnection conn, int first, int last) => conn.ExecuteAsync(
        """
        INSERT INTO raw_events (source, kind, external_id, received_at, digest)
        SELECT 'github', 'pull_request', 'backlog-' || n, @now, sha256('x') FROM generate_series(@first, @last) AS n
        """, new { now = Now, first, last });

    // One deployment of checkout, mapped: the service is queued for its projection.
    private static async Task<EngineHost> StartWithCheckoutMappedAsync()
    {
        var host = await EngineHost.StartAsync(Now);
        try
        {
            await host.IngestAsync("/api/v1/deployments", new
            {
                id = "d1", service = "checkout", environment = "production", revision = new string('c', 40), status = "success",
                finishedAt = Now.AddHours(-1), commits = Array.Empty<object>(),
            });
            while (await host.Service<RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
            {
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
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
