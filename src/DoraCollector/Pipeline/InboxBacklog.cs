using System.Diagnostics;
using Dapper;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Whether the inbox holds a backlog: at least <see cref="Threshold"/> pending raw events, counted
/// across replicas. The background projection leaves queued services alone during one
/// (<see cref="ProjectionRunner"/>); the mapping loops see the count with every partition they
/// look for (<see cref="RawEventProcessor"/>) and tell it here. The answer that ends a backlog,
/// whoever asked, wakes the projectors of this process at once instead of at their next look a
/// second later; they ask the inbox themselves only while nobody has looked lately (a projector
/// of another replica finds out at its own next look, within a second).
/// </summary>
internal sealed class InboxBacklog(ProjectionSignal projectors)
{
    /// <summary>
    /// Pending events that make a backlog: a single delivery or a trickle that mapping keeps up
    /// with never does. The mapping loops choose their partition among this many of the oldest
    /// pending events, which is how they count up to it.
    /// </summary>
    public const int Threshold = 1000;

    /// <summary>How long an answer stands: the inbox is asked at most this often by a process's projectors.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    // The walk over the pending index stops at the threshold (a burst fills the index with entries of
    // events already mapped, which every walk passes over).
    private static readonly string Query = $"SELECT count(*) FROM (SELECT 1 FROM raw_events WHERE state = 'pending' LIMIT {Threshold}) AS p";

    private readonly Lock _gate = new();
    private long? _askedAt;
    private bool _backlog;

    /// <summary>
    /// The time to pass to <see cref="Seen"/>, taken before the question is sent: the stopwatch's,
    /// fine enough that two questions asked a moment apart are told apart.
    /// </summary>
    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>The last answer, however old (false before any).</summary>
    public bool LastSeen
    {
        get
        {
            lock (_gate)
            {
                return _backlog;
            }
        }
    }

    /// <summary>
    /// A count of pending events, up to <see cref="Threshold"/>, from a question sent at
    /// <paramref name="askedAt"/> (<see cref="Now"/>); an answer to an older question than the one
    /// that stands is ignored. True when it ends a backlog, and then the projectors waiting it out
    /// are woken.
    /// </summary>
    public bool Seen(long pending, long askedAt)
    {
        bool ended;
        lock (_gate)
        {
            if (_askedAt is { } standing && askedAt < standing)
            {
                return false;
            }

            ended = _backlog && pending < Threshold;
            _askedAt = askedAt;
            _backlog = pending >= Threshold;
        }

        if (ended)
        {
            projectors.Poke();
        }

        return ended;
    }

    /// <summary>
    /// Whether the inbox holds a backlog, as seen less than <see cref="Recheck"/> ago, else asked now.
    /// Measured on the real clock, not the collector's TimeProvider, which tests stop: how recently
    /// the inbox was looked at is about this machine now.
    /// </summary>
    public async Task<bool> IsBacklogAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var now = Now;
        lock (_gate)
        {
            if (_askedAt is { } askedAt && Stopwatch.GetElapsedTime(askedAt, now) < Recheck)
            {
                return _backlog;
            }
        }

        var pending = await conn.ExecuteScalarAsync<long>(new CommandDefinition(Query, transaction: tx, cancellationToken: ct));
        Seen(pending, now);
        return LastSeen;
    }
}
