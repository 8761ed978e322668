using Dapper;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Mapping raw events and projecting services write overlapping rows in different orders: a
/// mapping batch upserts repositories, commits, attempts and then queues services, while a
/// projection holds its queued service and inserts deployments that reference those rows. Run
/// concurrently, they deadlock. A transaction-level advisory lock orders them instead: a mapping
/// batch takes it exclusively (one batch at a time, across replicas and the polling sources that
/// drain after fetching), projections share it (they run side by side, one service each). One
/// batch at a time also means a report of a GitOps object is folded onto what the batch before
/// wrote (a repeat is not stored twice, a rollback hint is not lost).
/// </summary>
internal static class DomainWriteLock
{
    private const string Exclusive = "SELECT pg_advisory_xact_lock(hashtextextended('dora.domain_writes', 0))";
    private const string Shared = "SELECT pg_advisory_xact_lock_shared(hashtextextended('dora.domain_writes', 0))";

    /// <summary>Taken first by a transaction that maps raw events.</summary>
    public static Task ForMappingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(Exclusive, transaction: tx, cancellationToken: ct));

    /// <summary>Taken first by a transaction that projects a service.</summary>
    public static Task ForProjectionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(Shared, transaction: tx, cancellationToken: ct));
}
