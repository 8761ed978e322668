using Dapper;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// The transaction-level advisory locks that order domain writes across replicas.
/// <list type="bullet">
/// <item><b>Partitions of the inbox.</b> Raw events of one partition (<c>raw_events.lane</c>) are
/// mapped one batch at a time, oldest first, so each stream within it (a GitOps object, a service
/// posting to the generic API) is folded onto what the batch before wrote (a repeat is not stored
/// twice, a rollback hint is not lost). Batches of different numbered partitions map at once, on
/// one replica or several. The shared partition (no lane: the webhook and polling sources, whose
/// streams cross repositories and services) maps exclusively, as every batch did before partitions:
/// no other batch and no projection runs beside it.</item>
/// <item><b>Services.</b> A mapping batch upserts attempts and signals and then queues their
/// services, while a projection holds its queued service and links those attempts and signals to
/// its deployments and incidents: run concurrently on one service, each would wait for what the
/// other holds. So a batch takes the lock of every service whose rows it writes, in id order,
/// before writing them (<see cref="ForServicesAsync"/>), and a projection takes its service's lock
/// as it claims the service (<see cref="ClaimServicesAsync"/>): a service is mapped or
/// projected, never both at once, and different services are mapped and projected side by side.</item>
/// </list>
/// </summary>
internal static class DomainWriteLock
{
    /// <summary>How many numbered partitions the generic API spreads its streams over.</summary>
    public const int Lanes = 64;

    // Key spaces of the two-key advisory locks (an int each): the partitions and the services.
    private const int LaneSpace = 0x646F7261;
    private const int ServiceSpace = 0x646F7273;

    private const string Exclusive = "SELECT pg_advisory_xact_lock(hashtextextended('dora.domain_writes', 0))";
    private const string Shared = "SELECT pg_advisory_xact_lock_shared(hashtextextended('dora.domain_writes', 0))";
    private const string TryExclusive = "SELECT pg_try_advisory_xact_lock(hashtextextended('dora.domain_writes', 0))";
    private const string TryShared = "SELECT pg_try_advisory_xact_lock_shared(hashtextextended('dora.domain_writes', 0))";
    private const string Lane = "SELECT pg_advisory_xact_lock(@space, @lane)";
    private const string TryLane = "SELECT pg_try_advisory_xact_lock(@space, @lane)";

    private const string Services = """
        SELECT count(pg_advisory_xact_lock(@space, s.id)) FROM (SELECT id FROM unnest(@ids::int[]) AS u (id) ORDER BY id) AS s
        """;

    // A projection's claim: the due services in the order they were queued, each taken only if its
    // lock is free and its queue row is not another projection's, until the limit. The loop is
    // PostgreSQL's: the nested loop asks for the next due service only while the limit is not
    // reached, so a lock is tried (and, when free, held to the end of the transaction) for exactly
    // the services tried one by one before, in the same order, in one round trip. An ORDER BY on
    // the outer query would put a sort above the loop, which would try every candidate's lock.
    private const string ClaimServices = """
        SELECT q.service_id AS ServiceId, q.resolve_changes AS ResolveChanges
        FROM (SELECT service_id FROM projection_queue WHERE queued_at <= @dueBy ORDER BY queued_at, service_id LIMIT @candidates) AS due
        CROSS JOIN LATERAL (
            SELECT service_id, resolve_changes FROM projection_queue
            WHERE service_id = due.service_id AND queued_at <= @dueBy AND pg_try_advisory_xact_lock(@space, due.service_id)
            FOR UPDATE SKIP LOCKED) AS q
        LIMIT @limit
        """;

    /// <summary>Taken first by a transaction that maps the shared partition (or everything, as <c>recompute</c>): alone.</summary>
    public static Task ForMappingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(Exclusive, transaction: tx, cancellationToken: ct));

    /// <summary>
    /// Taken first by a transaction that maps partition <paramref name="lane"/> (null: the shared
    /// one); with <paramref name="wait"/> false, false when another transaction holds it.
    /// </summary>
    public static async Task<bool> ForLaneAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int? lane, bool wait, CancellationToken ct)
    {
        if (lane is not { } number)
        {
            if (!wait)
            {
                return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(TryExclusive, transaction: tx, cancellationToken: ct));
            }

            await ForMappingAsync(conn, tx, ct);
            return true;
        }

        if (!wait)
        {
            return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(TryShared, transaction: tx, cancellationToken: ct))
                   && await conn.ExecuteScalarAsync<bool>(new CommandDefinition(TryLane, new { space = LaneSpace, lane = number }, tx, cancellationToken: ct));
        }

        await conn.ExecuteAsync(new CommandDefinition(Shared, transaction: tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(Lane, new { space = LaneSpace, lane = number }, tx, cancellationToken: ct));
        return true;
    }

    /// <summary>Taken first by a transaction that projects services: beside any numbered partition's batch.</summary>
    public static Task ForProjectionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(Shared, transaction: tx, cancellationToken: ct));

    /// <summary>Taken by a mapping batch before it writes rows of these services, in id order.</summary>
    public static Task ForServicesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int[] serviceIds, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(Services, new { space = ServiceSpace, ids = serviceIds }, tx, cancellationToken: ct));

    /// <summary>
    /// Claims up to <paramref name="limit"/> of the first <paramref name="candidates"/> services queued
    /// by <paramref name="dueBy"/>, in the order they were queued: each with its lock taken (no batch
    /// writes its rows) and its queue row locked (no other projection has it).
    /// </summary>
    public static async Task<List<(int ServiceId, bool ResolveChanges)>> ClaimServicesAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset dueBy, int candidates, int limit, CancellationToken ct) =>
        (await conn.QueryAsync<(int, bool)>(new CommandDefinition(
            ClaimServices, new { dueBy, candidates, limit, space = ServiceSpace }, tx, cancellationToken: ct))).ToList();

    /// <summary>The numbered partition of a stream key (for the generic API: the service's name).</summary>
    public static int LaneOf(string streamKey)
    {
        // FNV-1a over the UTF-16 code units: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in streamKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Lanes);
    }
}
