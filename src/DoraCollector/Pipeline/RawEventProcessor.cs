using DoraCollector.Ingestion;
using Dapper;
using Microsoft.Extensions.Options;
using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Maps pending raw events to domain rows, oldest first, in small batches of one inbox partition
/// each. Every replica runs one, and polling sources drain it after they fetch;
/// <see cref="DomainWriteLock"/> lets one batch of a partition map at a time (and one batch of the
/// shared partition alone), while batches of other partitions map on other replicas. A batch's
/// writes are gathered and written set-based at its end (<see cref="DomainWriter.FlushAsync"/>).
/// Receivers poke it after storing; a periodic sweep picks up what another replica stored or what
/// a crash left pending.
/// </summary>
internal sealed partial class RawEventProcessor(
    NpgsqlDataSource db,
    IEnumerable<IRawEventMapper> mappers,
    InboxSignal inbox,
    ProjectionSignal projection,
    WebhookPressure pressure,
    IOptions<SchedulingOptions> scheduling,
    CollectorTelemetry telemetry,
    TimeProvider clock,
    ILogger<RawEventProcessor> logger,
    GrownTables grownTables,
    InboxBacklog backlog) : BackgroundService
{
    // Larger batches pay a partition's claim, lock, settling and gathered writes fewer times: the
    // shared partition's map alone, each after the batches before it (a backfill is mostly its
    // events); a numbered one of 1,000 instead of 200 brought the generic workload's 60,000
    // deployments to the metrics in 38 s instead of 46 (docs/benchmarks.md, "Mapping and projection at scale").
    private const int BatchSize = 1000;

    // For a while after a burst of webhooks: a batch that is under way when the burst comes back
    // holds a core for a tenth of the time (docs/deploy.md, "Bursts of webhooks").
    private const int SmallSharedBatchSize = 100;

    // Mapping loops in this process: one per core it may use.
    private static readonly int Workers = Math.Max(1, Environment.ProcessorCount);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    // The oldest pending events of one partition (see DomainWriteLock), whose lock this transaction holds.
    private const string Claim = """
        SELECT r.id, r.source, r.kind, r.external_id AS ExternalId, r.received_at AS ReceivedAt, b.body AS Body
        FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id
        WHERE r.state = 'pending' AND r.lane = @lane
        ORDER BY r.id
        LIMIT @limit
        FOR UPDATE OF r SKIP LOCKED
        """;

    private const string ClaimShared = """
        SELECT r.id, r.source, r.kind, r.external_id AS ExternalId, r.received_at AS ReceivedAt, b.body AS Body
        FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id
        WHERE r.state = 'pending' AND r.lane IS NULL
        ORDER BY r.id
        LIMIT @limit
        FOR UPDATE OF r SKIP LOCKED
        """;

    // The partitions of the oldest pending events, oldest first, and how many of those there are:
    // InboxBacklog's threshold of them at most, so the count says whether the inbox holds a backlog.
    // The limit is written in the statement (a parameter would let PostgreSQL plan the prepared
    // statement for any limit).
    private static readonly string PendingLanes = $"""
        SELECT lane, sum(count(*)) OVER ()::bigint AS pending
        FROM (SELECT lane, id FROM raw_events WHERE state = 'pending' ORDER BY id LIMIT {InboxBacklog.Threshold}) AS p
        GROUP BY lane ORDER BY min(id)
        """;

    private const string ReadAll = """
        SELECT r.id, r.source, r.kind, r.external_id AS ExternalId, r.received_at AS ReceivedAt, b.body AS Body
        FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id
        WHERE r.id > @after ORDER BY r.id LIMIT 1000
        """;

    private const string Settle = """
        UPDATE raw_events r SET state = s.state, error = s.error, attempts = r.attempts + 1, processed_at = @now
        FROM unnest(@ids::bigint[], @states::text[], @errors::text[]) AS s (id, state, error)
        WHERE r.id = s.id
        """;

    private const string Processed = "processed";
    private const string Ignored = "ignored";
    private const string Failed = "failed";
    private const string BatchSavepoint = "raw_batch";
    private const string EventSavepoint = "raw_event";
    private const string NoMapperReason = "no_mapper";

    private readonly Dictionary<string, IRawEventMapper> _mappers = mappers.ToDictionary(m => m.Source, StringComparer.Ordinal);
    private long _mappedEvents;
    private long _mappingTicks;

    /// <summary>Raw events this process has mapped, and the time it spent on their batches.</summary>
    public (long Events, TimeSpan Time) Mapped =>
        (Interlocked.Read(ref _mappedEvents), TimeSpan.FromTicks(Interlocked.Read(ref _mappingTicks)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!scheduling.Value.Enabled)
        {
            return;
        }

        // Whatever a batch throws, the loop goes on: its transaction was rolled back (or died with
        // its connection), so its events are still pending and the next pass maps them.
        var retry = new RetryPause("Mapping raw events", logger, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One loop per core: batches of different partitions map at once (one of the shared
                // partition waits for the others, as it would on another replica).
                // Every batch gives way to a burst of webhooks first, the one right after a wake-up
                // too: the deliveries of a burst are what wakes this loop.
                await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => MapUntilDoneAsync(stoppingToken)));

                retry.Succeeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                await retry.FailedAsync(e, stoppingToken);
                continue;
            }

            await inbox.WaitAsync(SweepInterval, stoppingToken);
        }
    }

    // One mapping loop, until nothing is pending; a flood's full batches are HeldBackTime's.
    private async Task MapUntilDoneAsync(CancellationToken ct)
    {
        var heldBack = new HeldBackTime(pressure.LongestPause);
        while (true)
        {
            var waitStarted = Environment.TickCount64;
            var flood = await pressure.GiveWayAsync(ct);
            var full = heldBack.Waited(TimeSpan.FromMilliseconds(Environment.TickCount64 - waitStarted), flood);
            if (await ProcessBatchAsync(giveWay: !full, ct) == 0)
            {
                return;
            }

            heldBack.Mapped(full, pressure.IsHigh);
        }
    }

    /// <summary>Maps one batch; returns how many events it settled. Used directly by tests and <c>recompute</c>.</summary>
    public Task<int> ProcessBatchAsync(CancellationToken ct) => ProcessBatchAsync(giveWay: false, ct);

    // With giveWay, a batch stops early when a burst of webhooks begins, and one of the shared
    // partition (the webhooks' own) is small for a while after one (see WebhookPressure).
    internal async Task<int> ProcessBatchAsync(bool giveWay, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        await grownTables.RefreshAsync(ct);
        var settled = await MapBatchAsync(giveWay, ct);
        if (settled > 0)
        {
            Interlocked.Add(ref _mappedEvents, settled);
            Interlocked.Add(ref _mappingTicks, clock.GetElapsedTime(started).Ticks);
        }

        return settled;
    }

    private async Task<int> MapBatchAsync(bool giveWay, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await LockPartitionAsync(conn, tx, ct) is not { } partition)
        {
            return 0;
        }

        var batch = (await conn.QueryAsync<StoredEvent>(new CommandDefinition(partition.Lane is null ? ClaimShared : Claim,
                new { limit = partition.Lane is not null || !giveWay || !pressure.WasHighRecently ? BatchSize : SmallSharedBatchSize, lane = partition.Lane },
                tx, cancellationToken: ct)))
            .Select(e => e.Decoded()).ToList();
        if (batch.Count == 0)
        {
            // Another replica mapped them meanwhile: look again.
            inbox.Poke();
            return 0;
        }

        // Most batches map cleanly, and then need no savepoint per event (two round trips each).
        // When an event cannot be mapped, the batch starts over with one per event, so that event
        // is marked failed with its reason and does not hold back the others.
        var writer = new DomainWriter(conn, tx, clock) { DefersWrites = true, MapsAlone = partition.Lane is null };
        await tx.SaveAsync(BatchSavepoint, ct);
        List<Outcome> outcomes;
        try
        {
            // Preparing reads what the batch will ask for (it only fills the writer's caches); an
            // event it cannot read fails the batch's way like one that cannot be mapped, so it is
            // marked failed below and never holds the partition back.
            foreach (var group in batch.GroupBy(raw => raw.Source))
            {
                if (_mappers.TryGetValue(group.Key, out var mapper))
                {
                    await mapper.PrepareAsync(group.ToList(), writer, ct);
                }
            }

            outcomes = await MapAllAtOnceAsync(batch, writer, giveWay, ct);
        }
        catch (Exception e) when (IsMappingFailure(e))
        {
            await tx.RollbackAsync(BatchSavepoint, ct);
            writer.Forget();
            outcomes = [];
            foreach (var raw in batch)
            {
                outcomes.Add(await MapOneAsync(raw, writer, tx, ct));
            }
        }

        await SettleAsync(conn, tx, outcomes, ct);
        await tx.CommitAsync(ct);
        foreach (var group in outcomes.GroupBy(o => o.Source))
        {
            var ok = group.Count(o => o.State != Failed);
            if (ok > 0)
            {
                telemetry.Ingested(group.Key, ok);
            }

            if (ok < group.Count())
            {
                telemetry.IngestFailed(group.Key, group.Count() - ok);
            }

            foreach (var reason in group.Where(o => o.Reason is not null).GroupBy(o => o.Reason!))
            {
                telemetry.EventsIgnored(group.Key, reason.Key, reason.Count());
            }
        }

        projection.Poke();
        return outcomes.Count;
    }

    // The partition this batch maps, its lock taken: the first of the oldest pending events' partitions
    // that no other batch holds, else the oldest's, waited for. The shared partition is waited for
    // as soon as its event is the oldest, so numbered ones cannot keep it waiting. Null when nothing is pending.
    // What the lanes' question counts is what the projection needs to know of the backlog.
    private async Task<Partition?> LockPartitionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var askedAt = InboxBacklog.Now;
        var pending = (await conn.QueryAsync<(int? Lane, long Pending)>(new CommandDefinition(PendingLanes, transaction: tx, cancellationToken: ct))).ToList();
        backlog.Seen(pending.Count == 0 ? 0 : pending[0].Pending, askedAt);

        var lanes = pending.Select(p => p.Lane).ToList();
        if (lanes.Count == 0)
        {
            return null;
        }

        if (lanes[0] is not null)
        {
            foreach (var lane in lanes.OfType<int>())
            {
                if (await DomainWriteLock.ForLaneAsync(conn, tx, lane, wait: false, ct))
                {
                    return new Partition(lane);
                }
            }
        }

        await DomainWriteLock.ForLaneAsync(conn, tx, lanes[0], wait: true, ct);
        return new Partition(lanes[0]);
    }

    private sealed record Partition(int? Lane);

    /// <summary>Maps every event in the caller's transaction, for <c>recompute</c>; returns (mapped, failed).</summary>
    public async Task<(int Mapped, int Failed)> MapAllAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await DomainWriteLock.ForMappingAsync(conn, tx, ct);
        var writer = new DomainWriter(conn, tx, clock) { MapsAlone = true };
        var (mapped, failed) = (0, 0);
        long after = 0;
        while (true)
        {
            var batch = (await conn.QueryAsync<StoredEvent>(new CommandDefinition(ReadAll, new { after }, tx, cancellationToken: ct)))
                .Select(e => e.Decoded()).ToList();
            if (batch.Count == 0)
            {
                return (mapped, failed);
            }

            var outcomes = new List<Outcome>();
            foreach (var raw in batch)
            {
                outcomes.Add(await MapOneAsync(raw, writer, tx, ct));
            }

            await SettleAsync(conn, tx, outcomes, ct);
            failed += outcomes.Count(o => o.State == Failed);
            mapped += outcomes.Count(o => o.State != Failed);
            after = batch[^1].Id;
        }
    }

    private async Task<List<Outcome>> MapAllAtOnceAsync(List<RawEventRecord> batch, DomainWriter writer, bool giveWay, CancellationToken ct)
    {
        var outcomes = new List<Outcome>(batch.Count);
        foreach (var raw in batch)
        {
            // A burst of webhooks began: the events mapped so far are written and settled, the
            // rest stay pending (in order) for the next batch, so a batch of a thousand does not
            // hold a core while the burst waits for its acknowledgements.
            if (giveWay && outcomes.Count > 0 && pressure.IsHigh)
            {
                break;
            }

            writer.Arrived = raw.ReceivedAt;
            outcomes.Add(_mappers.TryGetValue(raw.Source, out var mapper)
                ? new Outcome(raw.Id, raw.Source, await mapper.MapAsync(raw, writer, ct) ? Processed : Ignored, null)
                : NoMapper(raw));
        }

        await writer.FlushAsync(ct);
        return outcomes;
    }

    // One event under a savepoint: a payload that cannot be mapped is marked failed with the
    // reason and does not hold back the others; one that holds an implausible value is ignored
    // with the reason, and nothing it wrote before the check stays.
    private async Task<Outcome> MapOneAsync(RawEventRecord raw, DomainWriter writer, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (!_mappers.TryGetValue(raw.Source, out var mapper))
        {
            return NoMapper(raw);
        }

        writer.Arrived = raw.ReceivedAt;
        await tx.SaveAsync(EventSavepoint, ct);
        try
        {
            var mapped = await mapper.MapAsync(raw, writer, ct);
            await writer.FlushAsync(ct);
            await tx.ReleaseAsync(EventSavepoint, ct);
            return new Outcome(raw.Id, raw.Source, mapped ? Processed : Ignored, null);
        }
        catch (ImplausibleEventException e)
        {
            await tx.RollbackAsync(EventSavepoint, ct);
            writer.Forget();
            LogImplausible(raw.Id, raw.Source, raw.Kind, e.Message);
            return new Outcome(raw.Id, raw.Source, Ignored, e.Message, e.Reason);
        }
        catch (Exception e) when (IsMappingFailure(e))
        {
            await tx.RollbackAsync(EventSavepoint, ct);
            writer.Forget();
            LogMappingFailed(raw.Id, raw.Source, raw.Kind, e.Message);
            return new Outcome(raw.Id, raw.Source, Failed, e.Message);
        }
    }

    private static Outcome NoMapper(RawEventRecord raw) =>
        new(raw.Id, raw.Source, Ignored, $"{NoMapperReason}: no mapper for source '{raw.Source}'", NoMapperReason);

    // A lost connection or a timeout is not the event's fault: the batch is retried as a whole.
    private static bool IsMappingFailure(Exception e) =>
        e is InvalidPayloadException or ImplausibleEventException or PostgresException { SqlState: not ("40001" or "40P01") } or FormatException
            or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException
        && !TransientFailures.IsTransient(e);

    // Every event of the batch settled in one statement.
    private async Task SettleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<Outcome> outcomes, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition(Settle, new
        {
            ids = outcomes.Select(o => o.Id).ToArray(),
            states = outcomes.Select(o => o.State).ToArray(),
            errors = outcomes.Select(o => o.Error).ToArray(),
            now = clock.GetUtcNow(),
        }, tx, cancellationToken: ct));

    /// <param name="Reason">Why an event was ignored, when it was for a reason worth counting (<c>implausible_time</c>, ...).</param>
    private sealed record Outcome(long Id, string Source, string State, string? Error, string? Reason = null);

    /// <summary>A raw event as stored: its body still bytes.</summary>
    private sealed record StoredEvent(long Id, string Source, string Kind, string ExternalId, DateTimeOffset ReceivedAt, byte[] Body)
    {
        public RawEventRecord Decoded() => new()
        {
            Id = Id, Source = Source, Kind = Kind, ExternalId = ExternalId, ReceivedAt = ReceivedAt, Payload = PayloadText.Decode(Body),
        };
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Raw event {Id} ({Source} {Kind}) cannot be mapped: {Reason}")]
    private partial void LogMappingFailed(long id, string source, string kind, string reason);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Raw event {Id} ({Source} {Kind}) is ignored: {Reason}")]
    private partial void LogImplausible(long id, string source, string kind, string reason);
}
