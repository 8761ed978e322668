using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace DoraCollector.Ingestion;

/// <summary>
/// The inbox: payloads land here byte for byte before they are mapped. Webhook deliveries are
/// immutable (a redelivery is a duplicate); polled resources are replaced when they change.
/// </summary>
internal sealed class RawEventStore(NpgsqlDataSource db, TimeProvider clock)
{
    // Rows and their bodies in one statement, so a row never exists without the bytes it
    // stands for. Each key is sent once, so every stored row finds exactly one body.
    private const string Rows = "WITH d AS (SELECT * FROM unnest(@sources, @kinds, @externalIds, @receivedAts, @bodies, @lanes) AS d (s, k, e, r, b, l)),";

    /// <summary>New keys only: a duplicate changes nothing. Returns the id and key of each row stored.</summary>
    internal const string Insert = Rows + """

        stored AS (
            INSERT INTO raw_events (source, kind, external_id, received_at, digest, lane)
            SELECT s, k, e, r, sha256(b), l FROM d
            ON CONFLICT (source, kind, external_id) DO NOTHING
            RETURNING id, source, kind, external_id),
        body AS (
            INSERT INTO raw_event_bodies (raw_event_id, body)
            SELECT stored.id, d.b FROM stored JOIN d ON d.s = stored.source AND d.k = stored.kind AND d.e = stored.external_id)
        SELECT id, source, kind, external_id FROM stored
        """;

    // A resource fetched again unchanged has the same digest, and its row is left as it is.
    private const string Upsert = Rows + """

        stored AS (
            INSERT INTO raw_events (source, kind, external_id, received_at, digest, lane)
            SELECT s, k, e, r, sha256(b), l FROM d
            ON CONFLICT (source, kind, external_id) DO UPDATE
               SET digest = EXCLUDED.digest, received_at = EXCLUDED.received_at, lane = EXCLUDED.lane,
                   state = 'pending', attempts = 0, error = NULL, processed_at = NULL
             WHERE raw_events.digest IS DISTINCT FROM EXCLUDED.digest
            RETURNING id, source, kind, external_id),
        body AS (
            INSERT INTO raw_event_bodies (raw_event_id, body)
            SELECT stored.id, d.b FROM stored JOIN d ON d.s = stored.source AND d.k = stored.kind AND d.e = stored.external_id
            ON CONFLICT (raw_event_id) DO UPDATE SET body = EXCLUDED.body)
        SELECT id, source, kind, external_id FROM stored
        """;

    /// <summary>Stores a delivery; null when it was stored before (a duplicate changes nothing).</summary>
    public async Task<long?> AddAsync(NewRawEvent raw, CancellationToken ct) => (await AddAllAsync([raw], ct))[0];

    /// <summary>
    /// Stores several deliveries in one statement: all or nothing. Returns, in order, the id of
    /// each new one and null for each duplicate (a key twice in the list: the first copy is stored).
    /// </summary>
    public async Task<IReadOnlyList<long?>> AddAllAsync(IReadOnlyList<NewRawEvent> raws, CancellationToken ct)
    {
        var firsts = raws.Select((raw, i) => (raw, i)).DistinctBy(r => Key(r.raw)).ToList();
        var stored = await WriteAsync(db, Insert, firsts.Select(r => r.raw).ToList(), clock.GetUtcNow(), ct);
        var ids = new long?[raws.Count];
        foreach (var (raw, i) in firsts)
        {
            ids[i] = stored.GetValueOrDefault(Key(raw));
        }

        return ids;
    }

    /// <summary>
    /// Stores several resources under their natural keys in one statement (all or nothing):
    /// returns, in order, the id of each new or changed one and null for each unchanged repeat
    /// (a key twice in the list: the last copy is stored, as it would be one after the other).
    /// </summary>
    public async Task<IReadOnlyList<long?>> UpsertAllAsync(IReadOnlyList<NewRawEvent> raws, CancellationToken ct)
    {
        var lasts = raws.Select((raw, i) => (raw, i)).Reverse().DistinctBy(r => Key(r.raw)).Reverse().ToList();
        var stored = await WriteAsync(db, Upsert, lasts.Select(r => r.raw).ToList(), clock.GetUtcNow(), ct);
        var ids = new long?[raws.Count];
        foreach (var (raw, i) in lasts)
        {
            ids[i] = stored.GetValueOrDefault(Key(raw));
        }

        return ids;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (<see cref="Insert"/>, or the upsert) over rows with distinct
    /// keys, in the order given; returns the id of each row it stored, by key.
    /// </summary>
    internal static async Task<Dictionary<(string, string, string), long?>> WriteAsync(
        NpgsqlDataSource db, string sql, IReadOnlyList<NewRawEvent> rows, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(Texts("sources", rows.Select(d => d.Source)));
        cmd.Parameters.Add(Texts("kinds", rows.Select(d => d.Kind)));
        cmd.Parameters.Add(Texts("externalIds", rows.Select(d => d.ExternalId)));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("receivedAts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = rows.Select(d => (d.ReceivedAt ?? now).ToUniversalTime()).ToArray(),
        });
        cmd.Parameters.Add(new NpgsqlParameter<byte[][]>("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        {
            TypedValue = rows.Select(d => d.Body).ToArray(),
        });
        cmd.Parameters.Add(new NpgsqlParameter<int?[]>("lanes", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            TypedValue = rows.Select(d => d.Lane).ToArray(),
        });

        var stored = new Dictionary<(string, string, string), long?>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored[(reader.GetString(1), reader.GetString(2), reader.GetString(3))] = reader.GetInt64(0);
        }

        return stored;
    }

    private static (string, string, string) Key(NewRawEvent raw) => (raw.Source, raw.Kind, raw.ExternalId);

    private static NpgsqlParameter<string[]> Texts(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values.ToArray() };
}

/// <summary>A payload to store: source, upstream kind, delivery id or natural key, and the bytes as they came.</summary>
internal sealed record NewRawEvent(string Source, string Kind, string ExternalId, byte[] Body, DateTimeOffset? ReceivedAt = null)
{
    /// <summary>The inbox partition it is mapped in (see <see cref="Pipeline.DomainWriteLock"/>); null: the shared one.</summary>
    public int? Lane { get; init; }

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
