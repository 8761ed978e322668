using Dapper;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>
/// The inbox: payloads land here verbatim before they are mapped. Webhook deliveries are
/// immutable (a redelivery is a duplicate); polled resources are replaced when they change.
/// </summary>
internal sealed class RawEventStore(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Insert = """
        INSERT INTO raw_events (source, kind, external_id, received_at, payload)
        VALUES (@source, @kind, @externalId, @receivedAt, @payload::jsonb)
        ON CONFLICT (source, kind, external_id) DO NOTHING
        RETURNING id
        """;

    private const string Upsert = """
        INSERT INTO raw_events (source, kind, external_id, received_at, payload)
        VALUES (@source, @kind, @externalId, @receivedAt, @payload::jsonb)
        ON CONFLICT (source, kind, external_id) DO UPDATE
           SET payload = EXCLUDED.payload, received_at = EXCLUDED.received_at,
               state = 'pending', attempts = 0, error = NULL, processed_at = NULL
         WHERE raw_events.payload IS DISTINCT FROM EXCLUDED.payload
        RETURNING id
        """;

    /// <summary>Stores a delivery; null when it was stored before (a duplicate changes nothing).</summary>
    public async Task<long?> AddAsync(NewRawEvent raw, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Insert, Parameters(raw), cancellationToken: ct));
    }

    /// <summary>
    /// Stores several deliveries in one transaction: all or nothing. Returns, in order, the id of
    /// each new one and null for each duplicate.
    /// </summary>
    public async Task<IReadOnlyList<long?>> AddAllAsync(IReadOnlyList<NewRawEvent> raws, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = new List<long?>(raws.Count);
        foreach (var raw in raws)
        {
            ids.Add(await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Insert, Parameters(raw), tx, cancellationToken: ct)));
        }

        await tx.CommitAsync(ct);
        return ids;
    }

    /// <summary>
    /// Stores several resources under their natural keys in one transaction (all or nothing):
    /// returns, in order, the id of each new or changed one and null for each unchanged repeat.
    /// </summary>
    public async Task<IReadOnlyList<long?>> UpsertAllAsync(IReadOnlyList<NewRawEvent> raws, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = new List<long?>(raws.Count);
        foreach (var raw in raws)
        {
            ids.Add(await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Upsert, Parameters(raw), tx, cancellationToken: ct)));
        }

        await tx.CommitAsync(ct);
        return ids;
    }

    /// <summary>Stores a polled resource under its natural key; a changed payload is mapped again. Null when unchanged.</summary>
    public async Task<long?> UpsertAsync(NewRawEvent raw, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition(Upsert, Parameters(raw), cancellationToken: ct));
    }

    private object Parameters(NewRawEvent raw) => new
    {
        source = raw.Source,
        kind = raw.Kind,
        externalId = raw.ExternalId,
        receivedAt = raw.ReceivedAt ?? clock.GetUtcNow(),
        payload = raw.Payload,
    };
}

/// <summary>A payload to store: source, upstream kind, delivery id or natural key, JSON text.</summary>
internal sealed record NewRawEvent(string Source, string Kind, string ExternalId, string Payload, DateTimeOffset? ReceivedAt = null);

/// <summary>A stored payload, as the mappers read it.</summary>
internal sealed record RawEventRecord
{
    public long Id { get; init; }
    public string Source { get; init; } = "";
    public string Kind { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }
    public string Payload { get; init; } = "";
}
