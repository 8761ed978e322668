using System.Globalization;
using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DoraCollector.IntegrationTests.Ingestion;

public sealed class DeliveryBatcherTests
{
    [Fact]
    public async Task Concurrent_deliveries_are_all_stored_once_and_duplicates_in_one_batch_keep_the_first()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        var telemetry = new CollectorTelemetry(TimeProvider.System);
        using var batcher = new DeliveryBatcher(db, TimeProvider.System, telemetry, NullLogger<DeliveryBatcher>.Instance);
        await batcher.StartAsync(CancellationToken.None);

        // 600 deliveries at once, of 400 distinct ids: every id is stored once, every repeat is a duplicate.
        var deliveries = Enumerable.Range(0, 600).Select(i => new NewRawEvent("github", "push", $"d-{i % 400}", $$"""{"n":{{i}}}""")).ToList();
        var results = await Task.WhenAll(deliveries.Select(d => Task.Run(() => batcher.AddAsync(d, CancellationToken.None))));

        Assert.Equal(400, results.Count(r => r is not null));
        Assert.Equal(400, results.OfType<long>().Distinct().Count());
        await using var conn = await db.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT external_id) FROM raw_events", conn);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((400L, 400L), (reader.GetInt64(0), reader.GetInt64(1)));
        await batcher.StopAsync(CancellationToken.None);

        // Every delivery's wait for a writer is counted, and every batch's write: at least 6 of at most 100.
        var text = await telemetry.RenderAsync();
        Assert.Contains("dora_collector_inbox_wait_seconds_count 600\n", text, StringComparison.Ordinal);
        var writes = int.Parse(Regex.Match(text, "dora_collector_inbox_write_seconds_count ([0-9]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(writes, 6, 600);
    }

    [Fact]
    public async Task Batches_that_hold_the_same_deliveries_in_opposite_orders_are_stored_without_a_deadlock()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        using var batcher = new DeliveryBatcher(db, TimeProvider.System, new CollectorTelemetry(TimeProvider.System), NullLogger<DeliveryBatcher>.Instance);

        // Queued before the writers start, so they take one batch of 100 each at once: the first
        // holds d-0 to d-99, the second the same ids backwards (an Argo CD notification is sent
        // twice, a sender retries), the third the first again.
        // Large payloads keep each statement busy long enough for the three to overlap.
        var ids = Enumerable.Range(0, 100).Select(i => $"d-{i}").ToList();
        var payload = $"[{string.Join(',', Enumerable.Range(0, 5000))}]";
        var deliveries = ids.Concat(Enumerable.Reverse(ids)).Concat(ids).Select(id => new NewRawEvent("argocd", "notification", id, payload)).ToList();
        var pending = deliveries.Select(d => batcher.AddAsync(d, CancellationToken.None)).ToList();
        await batcher.StartAsync(CancellationToken.None);
        var results = await Task.WhenAll(pending);

        Assert.Equal(100, results.Count(r => r is not null));
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_delivery_the_database_refuses_fails_alone_and_the_ones_batched_with_it_are_stored()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDataSource();
        using var batcher = new DeliveryBatcher(db, TimeProvider.System, new CollectorTelemetry(TimeProvider.System), NullLogger<DeliveryBatcher>.Instance);

        // Queued before the writers start, so the refused ones share batches with valid ones.
        // PostgreSQL text cannot hold NUL (22021), and a key of 9 kB of random text does not fit
        // in an index row (54000).
        var tooLong = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9000));
        var valid = Enumerable.Range(0, 50).Select(i => new NewRawEvent("flux", "event", $"e-{i}", $$"""{"n":{{i}}}""")).ToList();
        var refused = new[] { new NewRawEvent("flux", "event", "e-\0-nul", "{}"), new NewRawEvent("flux", "event", tooLong, "{}") };
        var all = valid.Take(25).Concat(refused).Concat(valid.Skip(25)).Select(d => batcher.AddAsync(d, CancellationToken.None)).ToList();
        await batcher.StartAsync(CancellationToken.None);

        foreach (var (task, i) in all.Select((t, i) => (t, i)))
        {
            if (i is 25 or 26)
            {
                await Assert.ThrowsAsync<UnstorableDeliveryException>(() => task);
            }
            else
            {
                Assert.NotNull(await task);
            }
        }

        await using var conn = await db.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id", conn);
        Assert.Equal(50L, await count.ExecuteScalarAsync());
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_database_outage_fails_every_waiting_delivery_so_senders_retry()
    {
        await using var db = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Timeout=2");
        using var batcher = new DeliveryBatcher(db, TimeProvider.System, new CollectorTelemetry(TimeProvider.System), NullLogger<DeliveryBatcher>.Instance);
        await batcher.StartAsync(CancellationToken.None);

        var attempts = Enumerable.Range(0, 5).Select(i => batcher.AddAsync(new NewRawEvent("flux", "event", $"e-{i}", "{}"), CancellationToken.None)).ToList();

        foreach (var attempt in attempts)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => attempt);
        }

        await batcher.StopAsync(CancellationToken.None);
    }
}
