using Dapper;

namespace DoraCollector.Ingestion;

/// <summary>
/// Object streams in memory. A source that folds its reports onto an object's stored attempts
/// (Flux) asks for an attempt's neighbours at every event; a batch reads each object's attempts
/// once (all the objects its events name in one statement: <see cref="PrepareObjectsAsync"/>), and
/// every attempt it writes updates what it read, so each later event of the batch finds its
/// neighbours without a round trip and without the gathered attempts being written first. An
/// object's attempts are read on one cluster across services and environments: an attempt's key
/// names its object and cluster, so whatever the upsert of a key moves (another service, another
/// environment) is in the same set, with the order PostgreSQL gave it.
/// </summary>
internal sealed partial class DomainWriter
{
    // Every attempt of the objects, on their clusters (migrations/0016_attempt_objects.sql).
    private const string AttemptsOfObjects = """
        SELECT k.cluster AS Cluster, k.object AS Object, a.id AS Id, a.external_id AS ExternalId, a.service_id AS ServiceId,
               a.environment AS Environment, a.revision AS Revision, a.outcome = 'success' AS Succeeded, a.finished_at AS FinishedAt,
               a.rollback_hint AS RollbackHint, a.source_path AS SourcePath
        FROM unnest(@clusters::text[], @objects::text[]) AS k (cluster, object)
        JOIN deployment_attempts a ON a.source = @source AND a.cluster = k.cluster AND a.details ->> 'object' = k.object
                                   AND a.details ? 'object'
        """;

    // Read objects: (source, cluster, object) → their attempts, in no particular order.
    private readonly Dictionary<(string Source, string Cluster, string Object), List<ObjectAttempt>> _objects = [];

    // Where a read attempt is: its key → the object it belongs to.
    private readonly Dictionary<(string Source, string ExternalId), (string Source, string Cluster, string Object)> _objectOf = [];

    // The order of attempts not stored yet, after every stored one: PostgreSQL numbers them in the
    // order they are written, which is the order they came in a batch that maps alone (the only
    // ones that fold Flux events: Flux is in the shared partition).
    private long _unstoredOrder = long.MaxValue / 2;

    /// <summary>
    /// Reads the attempts of these objects (each on its cluster) in one statement, for the
    /// neighbour lookups of a batch's events (<see cref="NeighbouringAttemptsAsync"/>). When an
    /// attempt of one of them is gathered, everything gathered is written first.
    /// </summary>
    public async Task PrepareObjectsAsync(string source, IEnumerable<(string Cluster, string Object)> objects, CancellationToken ct)
    {
        var unread = objects.Distinct().Where(o => !_objects.ContainsKey((source, o.Cluster, o.Object))).ToList();
        if (unread.Count == 0)
        {
            return;
        }

        // Only a gathered attempt of one of these objects can be one of their attempts (or move
        // one away): then what is gathered is written first.
        if (unread.Any(o => DefersStreamWrite(source, o.Object)))
        {
            await FlushAsync(ct);
        }

        var found = (await conn.QueryAsync<ReadAttempt>(new CommandDefinition(AttemptsOfObjects, new
        {
            source, clusters = unread.Select(o => o.Cluster).ToArray(), objects = unread.Select(o => o.Object).ToArray(),
        }, tx, cancellationToken: ct))).ToLookup(a => (a.Cluster, a.Object));
        foreach (var (cluster, streamObject) in unread)
        {
            var key = (source, cluster, streamObject);
            var attempts = found[(cluster, streamObject)].Select(a => new ObjectAttempt
            {
                ExternalId = a.ExternalId, ServiceId = a.ServiceId, Environment = a.Environment, Revision = a.Revision, Succeeded = a.Succeeded,
                FinishedAt = a.FinishedAt, RollbackHint = a.RollbackHint, SourcePath = a.SourcePath, Order = a.Id,
            }).ToList();
            _objects[key] = attempts;
            foreach (var attempt in attempts)
            {
                _objectOf[(source, attempt.ExternalId)] = key;
            }
        }
    }

    /// <summary>
    /// The neighbouring attempts of one object's stream (a source's attempts of a service,
    /// environment and cluster whose <c>details.object</c> is <paramref name="streamObject"/>): the stored attempt
    /// at or just before <paramref name="at"/>, and the one just after it, in time order (ties: the
    /// one stored first comes first). What this transaction wrote, gathered or not, counts.
    /// </summary>
    public async Task<(StoredAttempt? Before, StoredAttempt? After)> NeighbouringAttemptsAsync(
        string source, int serviceId, string environment, string cluster, string streamObject, DateTimeOffset at, CancellationToken ct)
    {
        await PrepareObjectsAsync(source, [(cluster, streamObject)], ct);
        var instant = Stored(at);
        ObjectAttempt? before = null, after = null;
        foreach (var a in _objects[(source, cluster, streamObject)])
        {
            if (a.ServiceId != serviceId || a.Environment != environment)
            {
                continue;
            }

            if (a.FinishedAt <= instant)
            {
                if (before is null || (a.FinishedAt, a.Order).CompareTo((before.FinishedAt, before.Order)) > 0)
                {
                    before = a;
                }
            }
            else if (after is null || (a.FinishedAt, a.Order).CompareTo((after.FinishedAt, after.Order)) < 0)
            {
                after = a;
            }
        }

        return (before?.Stored(after: false), after?.Stored(after: true));
    }

    // An attempt as the upsert leaves it, in the objects read (and out of the one it leaves).
    private void Remember(AttemptRow a)
    {
        var key = (a.Source, a.ExternalId);
        ObjectAttempt? stored = null;
        if (_objectOf.Remove(key, out var was))
        {
            var attempts = _objects[was];
            stored = attempts.Find(s => s.ExternalId == a.ExternalId);
            attempts.Remove(stored!);
        }

        if (StreamObject(a.DetailsJson) is not { } streamObject || !_objects.TryGetValue((a.Source, a.Cluster, streamObject), out var into))
        {
            return;
        }

        // An attempt not read is not stored: its key names this object on this cluster, which was read.
        into.Add(new ObjectAttempt
        {
            ExternalId = a.ExternalId, ServiceId = a.ServiceId, Environment = a.Environment, Revision = a.Revision.Trim().ToLowerInvariant(),
            Succeeded = a.Succeeded, FinishedAt = Stored(a.FinishedAt),
            RollbackHint = stored is not null && a.KeepStoredHint ? stored.RollbackHint : a.RollbackHint,
            SourcePath = Sources.GitOps.GitOpsFolder.Normalize(a.SourcePath) ?? stored?.SourcePath,
            Order = stored?.Order ?? ++_unstoredOrder,
        });
        _objectOf[key] = (a.Source, a.Cluster, streamObject);
    }

    // A read attempt's folder, as SetAttemptSourcePathAsync wrote it.
    private void RememberSourcePath(string source, string externalId, string folder)
    {
        if (_objectOf.TryGetValue((source, externalId), out var key) && _objects[key].Find(a => a.ExternalId == externalId) is { } attempt)
        {
            attempt.SourcePath = folder;
        }
    }

    private void ForgetObjects()
    {
        _objects.Clear();
        _objectOf.Clear();
    }

    private sealed record ReadAttempt
    {
        public string Cluster { get; init; } = "";
        public string Object { get; init; } = "";
        public long Id { get; init; }
        public string ExternalId { get; init; } = "";
        public int ServiceId { get; init; }
        public string Environment { get; init; } = "";
        public string Revision { get; init; } = "";
        public bool Succeeded { get; init; }
        public DateTimeOffset FinishedAt { get; init; }
        public bool RollbackHint { get; init; }
        public string? SourcePath { get; init; }
    }

    private sealed class ObjectAttempt
    {
        public required string ExternalId { get; init; }
        public required int ServiceId { get; init; }
        public required string Environment { get; init; }
        public required string Revision { get; init; }
        public required bool Succeeded { get; init; }
        public required DateTimeOffset FinishedAt { get; init; }
        public required bool RollbackHint { get; init; }
        public string? SourcePath { get; set; }

        // Its id when stored, else after every stored one in the order written.
        public required long Order { get; init; }

        public StoredAttempt Stored(bool after) => new()
        {
            After = after, ExternalId = ExternalId, Revision = Revision, Succeeded = Succeeded, RollbackHint = RollbackHint, SourcePath = SourcePath,
        };
    }
}
