using Dapper;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Whether the inbox holds a backlog: at least <see cref="Threshold"/> pending raw events, counted
/// across replicas. The background projection leaves queued services alone during one
/// (<see cref="ProjectionRunner"/>); the mapping loops see the count with every partition they
/// look for (<see cref="RawEventProcessor"/>) and tell it here, so the projection starts as soon as
/// a batch finds the backlog mapped instead of up to a second later, and asks the inbox itself
/// only while no batch has looked lately.
/// </summary>
internal sealed class InboxBacklog
{
    /// <summary>Pending events that make a backlog: a single delivery or a trickle that mapping keeps up with never does.</summary>
    public const int Threshold = 1000;

    /// <summary>How long an answer stands: the inbox is asked at most this often by a process's projectors.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    // The walk over the pending index stops at the threshold (a burst fills the index with entries of
    // events already mapped, which every walk passes over).
    private const string Query = "SELECT count(*) FROM (SELECT 1 FROM raw_events WHERE state = 'pending' LIMIT @threshold) AS p";

    private readonly Lock _gate = new();
    private long? _seenAt;
    private bool _backlog;

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

    /// <summary>A count of pending events, up to <see cref="Threshold"/>, that a mapping loop or the inbox just gave.</summary>
    public void Seen(long pending)
    {
        lock (_gate)
        {
            _seenAt = Environment.TickCount64;
            _backlog = pending >= Threshold;
        }
    }

    /// <summary>
    /// Whether the inbox holds a backlog, as seen less than <see cref="Recheck"/> ago, else asked now.
    /// Measured on the real clock, not the collector's TimeProvider, which tests stop: how recently
    /// the inbox was looked at is about this machine now.
    /// </summary>
    public async Task<bool> IsBacklogAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_seenAt is { } seenAt && Environment.TickCount64 - seenAt < Recheck.TotalMilliseconds)
            {
                return _backlog;
            }
        }

        var pending = await conn.ExecuteScalarAsync<long>(new CommandDefinition(Query, new { threshold = Threshold }, tx, cancellationToken: ct));
        Seen(pending);
        return pending >= Threshold;
    }
}
