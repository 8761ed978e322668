using Dapper;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Pipeline;
using Npgsql;

namespace DoraCollector.IntegrationTests.Projection;

/// <summary>
/// A projection's claim: the due services in the order they were queued, passing over those a
/// mapping batch writes or another projection holds, up to the limit, with a lock tried only for
/// the services it reached.
/// </summary>
public sealed class ProjectionClaimTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_claim_takes_the_first_free_services_in_queue_order_and_tries_no_lock_past_its_limit()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var ids = new List<int>();
        foreach (var (name, minutes) in new[] { ("a", 6), ("b", 5), ("c", 4), ("d", 3), ("e", 2), ("later", -1) })
        {
            var id = await host.ScalarAsync<int>("INSERT INTO services (name, origin) VALUES (@name, 'discovered') RETURNING id", new { name });
            await host.ScalarAsync<int>(
                "INSERT INTO projection_queue (service_id, queued_at, resolve_changes) VALUES (@id, @at, @resolve)",
                new { id, at = Now.AddMinutes(-minutes), resolve = name == "d" });
            ids.Add(id);
        }

        var (a, b, c, d, e, later) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);

        // A mapping batch writes b's rows; another projection holds c's queue row.
        await using var batch = await OpenAsync(host);
        await using var batchTx = await batch.BeginTransactionAsync();
        await DomainWriteLock.ForServicesAsync(batch, batchTx, [b], CancellationToken.None);
        await using var other = await OpenAsync(host);
        await using var otherTx = await other.BeginTransactionAsync();
        await other.ExecuteAsync("SELECT 1 FROM projection_queue WHERE service_id = @c FOR UPDATE", new { c }, otherTx);

        await using var conn = await OpenAsync(host);
        await using var tx = await conn.BeginTransactionAsync();
        var claimed = await DomainWriteLock.ClaimServicesAsync(conn, tx, Now, candidates: 32, limit: 2, CancellationToken.None);

        Assert.Equal([(a, false), (d, true)], claimed);

        // Locks tried: a, b (taken by the batch), c (free, its row held elsewhere: kept to the end
        // of the transaction, as a service lock tried alone would be) and d; e was never reached.
        var held = await conn.QueryAsync<int>(
            "SELECT objid::int FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND pid = pg_backend_pid() ORDER BY objid", transaction: tx);
        Assert.Equal(new[] { a, c, d }.Order(), held);
        Assert.DoesNotContain(e, held);

        // The service queued after the claim's instant is not due.
        var rest = await DomainWriteLock.ClaimServicesAsync(other, otherTx, Now, candidates: 32, limit: 8, CancellationToken.None);
        Assert.Equal([e], rest.Select(r => r.ServiceId));
        Assert.DoesNotContain(later, rest.Select(r => r.ServiceId));
    }

    private static async Task<NpgsqlConnection> OpenAsync(EngineHost host)
    {
        var conn = new NpgsqlConnection(host.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }
}
