using System.Threading.Channels;
using DoraCollector.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace DoraCollector.Ingestion;

/// <summary>
/// Group commit for webhook deliveries: requests that arrive together are stored together, in one
/// statement and one transaction, so a burst costs a few commits instead of one per delivery.
/// Each request is still answered only once its delivery is durable (or its batch failed), so
/// an acknowledgement never outruns the database. Duplicates keep their first copy.
/// </summary>
internal sealed partial class DeliveryBatcher(NpgsqlDataSource db, TimeProvider clock, ILogger<DeliveryBatcher> logger) : BackgroundService
{
    // Small enough to keep a statement short (payloads are kilobytes), large enough to drain a
    // burst in a few; several writers keep one commit's wait from holding up the next batch.
    private const int MaxBatch = 100;
    private const int Writers = 3;

    private const string Insert = """
        INSERT INTO raw_events (source, kind, external_id, received_at, payload)
        SELECT s, k, e, r, p::jsonb FROM unnest(@sources, @kinds, @externalIds, @receivedAts, @payloads) AS d (s, k, e, r, p)
        ON CONFLICT (source, kind, external_id) DO NOTHING
        RETURNING id, source, kind, external_id
        """;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    /// <summary>Stores a delivery with those that arrive alongside it; null when it was stored before.</summary>
    public Task<long?> AddAsync(NewRawEvent delivery, CancellationToken ct)
    {
        var pending = new Pending(delivery, new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the collector is stopping; send the delivery again later");
        }

        // A request that gives up still gets its delivery stored: it is idempotent either way.
        return pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => WriteUntilStoppedAsync(stoppingToken), CancellationToken.None)));
        _queue.Writer.TryComplete();
        var rest = new List<Pending>();
        while (_queue.Reader.TryRead(out var pending))
        {
            rest.Add(pending);
        }

        if (rest.Count > 0)
        {
            await WriteAsync(rest, CancellationToken.None);
        }
    }

    private async Task WriteUntilStoppedAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                // Every writer wakes for a delivery and one of them takes it: the others have nothing to write.
                if (batch.Count > 0)
                {
                    await WriteAsync(batch, CancellationToken.None);
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is written once every writer has stopped.
        }
    }

    private async Task WriteAsync(List<Pending> batch, CancellationToken ct)
    {
        try
        {
            // Rows go in key order: two batches that hold the same deliveries (a sender's retry, Argo
            // CD's two notifications of one sync) then wait for each other in one direction only;
            // in arrival order each could hold a key the other waits for, a deadlock PostgreSQL
            // takes a second (deadlock_timeout) to break by failing one batch. A stable sort keeps
            // the first copy first.
            var rows = batch.Select(p => p.Delivery).OrderBy(d => d, KeyOrder.Instance).ToList();
            await using var cmd = db.CreateCommand(Insert);
            cmd.Parameters.Add(Array("sources", rows.Select(d => d.Source)));
            cmd.Parameters.Add(Array("kinds", rows.Select(d => d.Kind)));
            cmd.Parameters.Add(Array("externalIds", rows.Select(d => d.ExternalId)));
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("receivedAts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                TypedValue = rows.Select(d => (d.ReceivedAt ?? clock.GetUtcNow()).ToUniversalTime()).ToArray(),
            });
            cmd.Parameters.Add(Array("payloads", rows.Select(d => d.Payload)));

            var stored = new Dictionary<(string, string, string), long>();
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    stored[(reader.GetString(1), reader.GetString(2), reader.GetString(3))] = reader.GetInt64(0);
                }
            }

            // A key twice in one batch: the first copy is the stored one, the second a duplicate.
            foreach (var pending in batch)
            {
                var key = (pending.Delivery.Source, pending.Delivery.Kind, pending.Delivery.ExternalId);
                pending.Done.TrySetResult(stored.Remove(key, out var id) ? id : null);
            }
        }
        catch (Exception e)
        {
            // Whatever failed, the writer goes on with the next batch; this one's senders are told.
            if (TransientFailures.IsTransient(e))
            {
                LogBatchFailed(batch.Count, e.Message);
            }
            else
            {
                LogBatchFaulted(batch.Count, e);
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private static NpgsqlParameter<string[]> Array(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values.ToArray() };

    private sealed record Pending(NewRawEvent Delivery, TaskCompletionSource<long?> Done);

    /// <summary>The order of the inbox's unique key (source, kind, external id), the same in every batch.</summary>
    private sealed class KeyOrder : IComparer<NewRawEvent>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(NewRawEvent? x, NewRawEvent? y)
        {
            var order = string.CompareOrdinal(x!.Source, y!.Source);
            order = order != 0 ? order : string.CompareOrdinal(x.Kind, y.Kind);
            return order != 0 ? order : string.CompareOrdinal(x.ExternalId, y.ExternalId);
        }
    }

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Storing {Count} webhook deliveries failed; their senders get a 503: {Reason}")]
    private partial void LogBatchFailed(int count, string reason);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error, Message = "Storing {Count} webhook deliveries failed unexpectedly; their senders are refused")]
    private partial void LogBatchFaulted(int count, Exception exception);
}
