using System.Diagnostics;
using System.Threading.Channels;
using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>
/// Group commit for webhook deliveries: requests that arrive together are stored together, in one
/// statement and one transaction, so a burst costs a few commits instead of one per delivery.
/// Each request is still answered only once its delivery is durable (or its batch failed), so
/// an acknowledgement never outruns the database. Duplicates keep their first copy.
/// </summary>
internal sealed partial class DeliveryBatcher(NpgsqlDataSource db, TimeProvider clock, CollectorTelemetry telemetry, ILogger<DeliveryBatcher> logger) : BackgroundService
{
    // Small enough to keep a statement short (payloads are kilobytes), large enough to drain a
    // burst in a few; several writers keep one commit's wait from holding up the next batch. When
    // the disk holds a flush, every writer waits for it: with three, deliveries arriving meanwhile
    // waited for a writer as long as for their own commit (p99 50 ms against 20 ms at 2,000 a
    // second); with eight, 5 ms (docs/benchmarks.md, "Ingest latency against the machine's limits").
    private const int MaxBatch = 100;
    private const int Writers = 8;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    /// <summary>Stores a delivery with those that arrive alongside it; null when it was stored before.</summary>
    public Task<long?> AddAsync(NewRawEvent delivery, CancellationToken ct)
    {
        var pending = new Pending(delivery, new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
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

                // Every idle writer wakes for a delivery, and the first to run takes it with whatever
                // queued meanwhile: the others find nothing to write. ReadAsync would wake only one,
                // but hands each delivery to a writer of its own, so batches stay at one delivery and
                // PostgreSQL commits each (docs/benchmarks.md, "Ingest latency against the machine's
                // limits").
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
        var started = Stopwatch.GetTimestamp();
        foreach (var pending in batch)
        {
            telemetry.InboxWaited(Stopwatch.GetElapsedTime(pending.Queued, started));
        }

        try
        {
            Settle(batch, await InsertAsync(batch.Select(p => p.Delivery), ct));
        }
        catch (PostgresException e) when (IsRefusedData(e))
        {
            await WriteOneByOneAsync(batch, ct);
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
        finally
        {
            // Failed and refused batches too: the slowest writes are often those.
            telemetry.InboxWritten(Stopwatch.GetElapsedTime(started));
        }
    }

    // A value the database refuses (a data exception, a constraint, a key too large for its index)
    // fails the whole statement. The batch is stored again delivery by delivery, so only the one
    // that can never be stored is refused, with a 4xx; the others are answered as usual.
    private async Task WriteOneByOneAsync(List<Pending> batch, CancellationToken ct)
    {
        foreach (var pending in batch)
        {
            try
            {
                Settle([pending], await InsertAsync([pending.Delivery], ct));
            }
            catch (PostgresException e) when (IsRefusedData(e))
            {
                var delivery = pending.Delivery.ExternalId;
                LogRefused(pending.Delivery.Source, delivery.Length <= 100 ? delivery : delivery[..100] + "…", e.SqlState, e.MessageText);
                pending.Done.TrySetException(new UnstorableDeliveryException($"{e.MessageText} (SQLSTATE {e.SqlState})"));
            }
            catch (Exception e)
            {
                // The database went away meanwhile: this one and the rest get a 503, as a batch
                // would. Nothing else may escape: the writer must go on with the next batch.
                if (TransientFailures.IsTransient(e))
                {
                    LogBatchFailed(1, e.Message);
                }
                else
                {
                    LogBatchFaulted(1, e);
                }

                pending.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Class 22 (data exception), 23 (integrity constraint) and 54 (program limit exceeded): the input, not the database.</summary>
    private static bool IsRefusedData(PostgresException e) => e.SqlState.StartsWith("22", StringComparison.Ordinal)
        || e.SqlState.StartsWith("23", StringComparison.Ordinal) || e.SqlState.StartsWith("54", StringComparison.Ordinal);

    private async Task<Dictionary<(string, string, string), long?>> InsertAsync(IEnumerable<NewRawEvent> deliveries, CancellationToken ct)
    {
        // Rows go in key order: two batches that hold the same deliveries (a sender's retry, Argo
        // CD's two notifications of one sync) then wait for each other in one direction only;
        // in arrival order each could hold a key the other waits for, a deadlock PostgreSQL
        // takes a second (deadlock_timeout) to break by failing one batch. A stable sort keeps
        // the first copy first, and only it is sent.
        var rows = deliveries.OrderBy(d => d, KeyOrder.Instance).DistinctBy(d => (d.Source, d.Kind, d.ExternalId)).ToList();
        return await RawEventStore.WriteAsync(db, RawEventStore.Insert, rows, clock.GetUtcNow(), ct);
    }

    // A key twice in one batch: the first copy is the stored one, the second a duplicate.
    private static void Settle(List<Pending> batch, Dictionary<(string, string, string), long?> stored)
    {
        foreach (var pending in batch)
        {
            var key = (pending.Delivery.Source, pending.Delivery.Kind, pending.Delivery.ExternalId);
            pending.Done.TrySetResult(stored.Remove(key, out var id) ? id : null);
        }
    }

    private sealed record Pending(NewRawEvent Delivery, TaskCompletionSource<long?> Done, long Queued);

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

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Refused to store {Source} delivery {Delivery}: the database refuses it ({SqlState}): {Reason}")]
    private partial void LogRefused(string source, string delivery, string sqlState, string reason);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Storing {Count} webhook deliveries failed; their senders get a 503: {Reason}")]
    private partial void LogBatchFailed(int count, string reason);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error, Message = "Storing {Count} webhook deliveries failed unexpectedly; their senders are refused")]
    private partial void LogBatchFaulted(int count, Exception exception);
}

/// <summary>The database refuses a delivery as it is (not for want of a connection): sending it again will not help.</summary>
internal sealed class UnstorableDeliveryException(string message) : Exception(message);
