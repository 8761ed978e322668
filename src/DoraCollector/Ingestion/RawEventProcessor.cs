using Dapper;
using Microsoft.Extensions.Options;
using DoraCollector.Hosting;
using DoraCollector.Projection;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>New raw events are stored: map them soon.</summary>
internal sealed class InboxSignal : WorkSignal;

/// <summary>
/// Maps pending raw events to domain rows, oldest first, in small batches. Every replica runs one,
/// and polling sources drain it after they fetch; <see cref="DomainWriteLock"/> lets one batch map
/// at a time. Receivers poke it after storing; a periodic sweep picks up what another replica
/// stored or what a crash left pending.
/// </summary>
internal sealed partial class RawEventProcessor(
    NpgsqlDataSource db,
    IEnumerable<IRawEventMapper> mappers,
    InboxSignal inbox,
    ProjectionSignal projection,
    IOptions<SchedulingOptions> scheduling,
    CollectorTelemetry telemetry,
    TimeProvider clock,
    ILogger<RawEventProcessor> logger) : BackgroundService
{
    private const int BatchSize = 200;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    private const string Claim = """
        SELECT id, source, kind, external_id AS ExternalId, received_at AS ReceivedAt, payload::text AS Payload
        FROM raw_events WHERE state = 'pending'
        ORDER BY id
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    private const string Settle = """
        UPDATE raw_events SET state = @state, error = @error, attempts = attempts + 1, processed_at = @now WHERE id = @id
        """;

    private readonly Dictionary<string, IRawEventMapper> _mappers = mappers.ToDictionary(m => m.Source, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!scheduling.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessBatchAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(e.Message);
            }

            await inbox.WaitAsync(SweepInterval, stoppingToken);
        }
    }

    /// <summary>Maps one batch; returns how many events it settled. Used directly by tests and <c>recompute</c>.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await DomainWriteLock.ForMappingAsync(conn, tx, ct);
        var batch = (await conn.QueryAsync<RawEventRecord>(new CommandDefinition(Claim, new { limit = BatchSize }, tx, cancellationToken: ct))).ToList();
        if (batch.Count == 0)
        {
            return 0;
        }

        var writer = new DomainWriter(conn, tx, clock);
        var outcomes = new List<(string Source, bool Ok)>();
        foreach (var raw in batch)
        {
            outcomes.Add((raw.Source, await MapOneAsync(raw, writer, ct)));
        }

        await tx.CommitAsync(ct);
        foreach (var group in outcomes.GroupBy(o => o.Source))
        {
            var ok = group.Count(o => o.Ok);
            if (ok > 0)
            {
                telemetry.Ingested(group.Key, ok);
            }

            if (ok < group.Count())
            {
                telemetry.IngestFailed(group.Key, group.Count() - ok);
            }
        }

        projection.Poke();
        return batch.Count;
    }

    /// <summary>Maps every event in the caller's transaction, for <c>recompute</c>; returns (mapped, failed).</summary>
    public async Task<(int Mapped, int Failed)> MapAllAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await DomainWriteLock.ForMappingAsync(conn, tx, ct);
        var writer = new DomainWriter(conn, tx, clock);
        var (mapped, failed) = (0, 0);
        long after = 0;
        while (true)
        {
            var batch = (await conn.QueryAsync<RawEventRecord>(new CommandDefinition(
                """
                SELECT id, source, kind, external_id AS ExternalId, received_at AS ReceivedAt, payload::text AS Payload
                FROM raw_events WHERE id > @after ORDER BY id LIMIT 1000
                """, new { after }, tx, cancellationToken: ct))).ToList();
            if (batch.Count == 0)
            {
                return (mapped, failed);
            }

            foreach (var raw in batch)
            {
                if (await MapOneAsync(raw, writer, ct))
                {
                    mapped++;
                }
                else
                {
                    failed++;
                }
            }

            after = batch[^1].Id;
        }
    }

    // One event under a savepoint: a payload that cannot be mapped is marked failed with the
    // reason and does not hold back the others.
    private async Task<bool> MapOneAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct)
    {
        var (conn, tx) = (writer.Connection, writer.Transaction);
        if (!_mappers.TryGetValue(raw.Source, out var mapper))
        {
            await SettleAsync(conn, tx, raw.Id, "ignored", $"no mapper for source '{raw.Source}'", ct);
            return true;
        }

        await tx.SaveAsync("raw_event", ct);
        try
        {
            var mapped = await mapper.MapAsync(raw, writer, ct);
            await tx.ReleaseAsync("raw_event", ct);
            await SettleAsync(conn, tx, raw.Id, mapped ? "processed" : "ignored", null, ct);
            return true;
        }
        catch (Exception e) when (e is InvalidPayloadException or PostgresException { SqlState: not ("40001" or "40P01") } or FormatException
                                      or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await tx.RollbackAsync("raw_event", ct);
            LogMappingFailed(raw.Id, raw.Source, raw.Kind, e.Message);
            await SettleAsync(conn, tx, raw.Id, "failed", e.Message, ct);
            return false;
        }
    }

    private async Task SettleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, string state, string? error, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition(Settle, new { id, state, error, now = clock.GetUtcNow() }, tx, cancellationToken: ct));

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Raw event {Id} ({Source} {Kind}) cannot be mapped: {Reason}")]
    private partial void LogMappingFailed(long id, string source, string kind, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Mapping raw events failed, retrying: {Reason}")]
    private partial void LogBatchFailed(string reason);
}
