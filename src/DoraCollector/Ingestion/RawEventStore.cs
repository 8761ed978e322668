using System.Text;
using Dapper;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>
/// The inbox: payloads land here byte for byte before they are mapped. Webhook deliveries are
/// immutable (a redelivery is a duplicate); polled resources are replaced when they change.
/// </summary>
internal sealed class RawEventStore(NpgsqlDataSource db, TimeProvider clock)
{
    // The row and its body in one statement: a row never exists without the bytes it stands for.
    private const string Insert = """
        WITH stored AS (
            INSERT INTO raw_events (source, kind, external_id, received_at, digest)
            VALUES (@source, @kind, @externalId, @receivedAt, sha256(@body))
            ON CONFLICT (source, kind, external_id) DO NOTHING
            RETURNING id),
        body AS (INSERT INTO raw_event_bodies (raw_event_id, body) SELECT id, @body FROM stored)
        SELECT id FROM stored
        """;

    // A resource fetched again unchanged has the same digest, and its row is left as it is.
    private const string Upsert = """
        WITH stored AS (
            INSERT INTO raw_events (source, kind, external_id, received_at, digest)
            VALUES (@source, @kind, @externalId, @receivedAt, sha256(@body))
            ON CONFLICT (source, kind, external_id) DO UPDATE
               SET digest = EXCLUDED.digest, received_at = EXCLUDED.received_at,
                   state = 'pending', attempts = 0, error = NULL, processed_at = NULL
             WHERE raw_events.digest IS DISTINCT FROM EXCLUDED.digest
            RETURNING id),
        body AS (
            INSERT INTO raw_event_bodies (raw_event_id, body) SELECT id, @body FROM stored
            ON CONFLICT (raw_event_id) DO UPDATE SET body = EXCLUDED.body)
        SELECT id FROM stored
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
        body = raw.Body,
    };
}

/// <summary>A payload to store: source, upstream kind, delivery id or natural key, and the bytes as they came.</summary>
internal sealed record NewRawEvent(string Source, string Kind, string ExternalId, byte[] Body, DateTimeOffset? ReceivedAt = null)
{
    /// <summary>A payload the caller holds as text (a poller's JSON, a posted item), stored as UTF-8.</summary>
    public NewRawEvent(string source, string kind, string externalId, string payload, DateTimeOffset? receivedAt = null)
        : this(source, kind, externalId, Encoding.UTF8.GetBytes(payload), receivedAt)
    {
    }
}

/// <summary>A stored payload, as the mappers read it: its bytes decoded by <see cref="PayloadText"/>.</summary>
internal sealed record RawEventRecord
{
    public long Id { get; init; }
    public string Source { get; init; } = "";
    public string Kind { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }
    public string Payload { get; init; } = "";
}
