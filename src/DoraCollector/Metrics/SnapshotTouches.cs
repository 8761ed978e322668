using Dapper;
using Npgsql;

namespace DoraCollector.Metrics;

/// <summary>
/// The services whose domain rows changed since a snapshot last read them, on every replica
/// (migration 0014): a writer records them in its transaction, a reader asks for those written by
/// transactions its previous snapshot of the database did not see.
/// </summary>
internal static class SnapshotTouches
{
    /// <summary>Records that the caller's transaction wrote the domain rows of <paramref name="serviceIds"/>.</summary>
    public static Task MarkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyCollection<int> serviceIds, CancellationToken ct) =>
        serviceIds.Count == 0 ? Task.CompletedTask : conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO snapshot_touches (service_id, touched_xid) SELECT id, pg_current_xact_id() FROM unnest(@ids) id
            ON CONFLICT (service_id) DO UPDATE SET touched_xid = EXCLUDED.touched_xid
            """, new { ids = serviceIds.ToArray() }, tx, cancellationToken: ct));

    /// <summary>
    /// The horizon of the caller's snapshot: every transaction with a lower id had ended when it was
    /// taken, so it saw their rows. Read it in the same repeatable-read transaction as the facts.
    /// </summary>
    public static Task<string> HorizonAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", transaction: tx, cancellationToken: ct))!;

    /// <summary>The services written by a transaction at or after <paramref name="horizon"/> (some of them seen already: read again, harmlessly).</summary>
    public static async Task<IReadOnlyList<int>> SinceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string horizon, CancellationToken ct) =>
        (await conn.QueryAsync<int>(new CommandDefinition(
            "SELECT service_id FROM snapshot_touches WHERE touched_xid >= @horizon::xid8", new { horizon }, tx, cancellationToken: ct))).ToList();
}
