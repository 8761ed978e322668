using System.Text.Json;
using Dapper;
using DoraCollector.Pipeline;

namespace DoraCollector.Ingestion;

/// <summary>
/// Set-based writing: a mapping batch of a few hundred events would otherwise write each event's
/// commits, attempt and queue rows in statements of their own, one round trip each. With
/// <see cref="DefersWrites"/> those writes are gathered and <see cref="FlushAsync"/> writes them
/// in one statement per table (a key written twice, in rounds). Nothing is read past a gathered
/// write: a Flux object's attempts are read once per batch and kept in memory with every write to
/// them, and any other read of what a gathered write changes (an object not read yet, the commit
/// graph) flushes first, so each event sees what the events before it wrote, as if written one by
/// one. Without it, every write is flushed at once.
/// </summary>
internal sealed partial class DomainWriter
{
    // Posted commits that keep what is stored, every repository in one statement; the key order
    // keeps two concurrent batches from waiting on each other's rows in opposite orders.
    private const string InsertMissingCommits = """
        INSERT INTO commits (repository_id, sha, parents, authored_at, committed_at, author, message, paths)
        SELECT r.repository_id, r.sha, r.parents, r.authored_at, r.committed_at, r.author, r.message, r.paths
        FROM jsonb_to_recordset(@rows::jsonb) AS r(repository_id int, sha text, parents text[], authored_at timestamptz,
                                                    committed_at timestamptz, author text, message text, paths text[])
        ORDER BY r.repository_id, r.sha
        ON CONFLICT DO NOTHING
        RETURNING repository_id
        """;

    // The services stored attempts belong to before they are written again (one may move), each
    // found by a probe of the key's index (see UpsertAttempts).
    private const string AttemptServices = """
        SELECT a.service_id FROM unnest(@sources::text[], @externalIds::text[]) AS k (source, external_id)
        JOIN LATERAL (SELECT a.service_id FROM deployment_attempts a
                      WHERE a.source = k.source AND a.external_id = k.external_id LIMIT 1) a ON true
        """;

    private const string ServicesOfRepositories = """
        SELECT repository_id AS RepositoryId, id AS ServiceId FROM services WHERE repository_id = ANY (@repositoryIds)
        UNION
        SELECT DISTINCT repository_id, service_id FROM deployment_attempts WHERE repository_id = ANY (@repositoryIds)
        """;

    // Images of attempts, each set after the attempts gathered before it are written. The keys
    // come as arrays, whose length the planner knows (from a JSON recordset it assumes 100 rows,
    // and then may scan every attempt rather than look each key up).
    private const string SetImages = """
        UPDATE deployment_attempts a SET images = v.images, updated_at = @now
        FROM (SELECT k.source, k.external_id, ARRAY(SELECT jsonb_array_elements_text(k.images::jsonb)) AS images
              FROM unnest(@sources::text[], @externalIds::text[], @images::text[]) AS k (source, external_id, images)) AS v
        WHERE a.source = v.source AND a.external_id = v.external_id AND a.images IS DISTINCT FROM v.images
        RETURNING a.service_id
        """;

    private readonly List<(int RepositoryId, CommitRow Commit)> _deferredCommits = [];
    private readonly List<AttemptRow> _deferredAttempts = [];

    // The last gathered write of each attempt, until the gathered attempts are written.
    private readonly Dictionary<(string Source, string ExternalId), AttemptRow> _lastGathered = [];
    private readonly List<AttemptImages> _deferredImages = [];

    // The (source, details.object) of every gathered attempt: the first read of an object not in memory flushes for them.
    private readonly HashSet<(string Source, string? Object)> _deferredStreams = [];

    // Services to queue (true: with their changes resolved again), not written yet.
    private readonly Dictionary<int, bool> _toQueue = [];

    // Services whose write lock this transaction holds (DomainWriteLock.ForServicesAsync).
    private readonly HashSet<int> _locked = [];

    // A service's repository, as read in this transaction.
    private readonly Dictionary<int, int?> _serviceRepositories = [];

    /// <summary>Gather the writes that need no answer until <see cref="FlushAsync"/> (a mapping batch does).</summary>
    public bool DefersWrites { get; init; }

    /// <summary>
    /// The transaction maps alone (the shared partition, or <c>recompute</c>: <see cref="DomainWriteLock.ForMappingAsync"/>):
    /// no other batch and no projection runs beside it, so no service lock is needed, nor the read that finds them.
    /// </summary>
    public bool MapsAlone { get; init; }

    /// <summary>Writes everything gathered: commits, attempts, images, pull requests, signals, then the services they queue, one statement per table (a key written twice, in rounds).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var changedRepositories = await FlushCommitsAsync(ct);
        if (_deferredAttempts.Count > 0)
        {
            var attempts = _deferredAttempts.ToList();
            _deferredAttempts.Clear();
            _lastGathered.Clear();
            _deferredStreams.Clear();
            await WriteAttemptsAsync(attempts, ct);
        }

        if (_deferredImages.Count > 0)
        {
            var images = _deferredImages.ToList();
            _deferredImages.Clear();
            await WriteImagesAsync(images, ct);
        }

        var resolving = await FlushPullRequestsAsync(ct);
        await FlushSignalsAsync(ct);
        if (changedRepositories.Count > 0)
        {
            await QueueRepositoriesAsync(changedRepositories, resolveChanges: false, ct);
        }

        if (resolving.Count > 0)
        {
            await QueueRepositoriesAsync(resolving, resolveChanges: true, ct);
        }

        await FlushQueueAsync(ct);
    }

    /// <summary>The repository a service is deployed from; null when the catalog names none.</summary>
    public async Task<int?> RepositoryOfServiceAsync(int serviceId, CancellationToken ct)
    {
        if (!_serviceRepositories.TryGetValue(serviceId, out var repositoryId))
        {
            repositoryId = Services.Known(serviceId) is { } known
                ? known.RepositoryId
                : await conn.ExecuteScalarAsync<int?>(new CommandDefinition(RepositoryOfService, new { serviceId }, tx, cancellationToken: ct));
            _serviceRepositories[serviceId] = repositoryId;
        }

        return repositoryId;
    }

    private void ForgetDeferred()
    {
        _deferredCommits.Clear();
        _deferredAttempts.Clear();
        _lastGathered.Clear();
        _deferredImages.Clear();
        _deferredStreams.Clear();
        _deferredPullRequests.Clear();
        _deferredResolving.Clear();
        _deferredSignals.Clear();
        _toQueue.Clear();
        _locked.Clear();
        _serviceRepositories.Clear();
        ForgetObjects();
    }

    // A write the same as the one gathered before it for the same attempt is left out: the first
    // leaves the row as the second would (a snapshot repeats the history entries it sent before).
    private void DeferAttempts(IReadOnlyList<AttemptRow> attempts)
    {
        foreach (var a in attempts)
        {
            if (_lastGathered.TryGetValue((a.Source, a.ExternalId), out var before) && SameWrite(before, a))
            {
                continue;
            }

            _lastGathered[(a.Source, a.ExternalId)] = a;
            _deferredAttempts.Add(a);
            _deferredStreams.Add((a.Source, StreamObject(a.DetailsJson)));
        }
    }

    // The same row written: the raw event it came from is kept only when a write changes the row.
    private static bool SameWrite(AttemptRow a, AttemptRow b) =>
        a with { RawEventId = null, ExplicitCommits = null } == b with { RawEventId = null, ExplicitCommits = null }
        && (a.ExplicitCommits ?? []).SequenceEqual(b.ExplicitCommits ?? [], StringComparer.Ordinal)
        && a.ExplicitCommits is null == b.ExplicitCommits is null;

    // Whether a gathered attempt may be in the stream of this object: one whose details name it, or
    // name no object (an attempt that moves a stored one changes its details too).
    private bool DefersStreamWrite(string source, string streamObject) =>
        _deferredStreams.Contains((source, streamObject)) || _deferredStreams.Contains((source, null));

    // What the stream query reads (details ->> 'object'); null when the details name no object as a string.
    private static string? StreamObject(string? detailsJson)
    {
        if (detailsJson is null)
        {
            return null;
        }

        try
        {
            using var details = JsonDocument.Parse(detailsJson);
            return details.RootElement.ValueKind == JsonValueKind.Object
                   && details.RootElement.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String
                ? o.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Images in one statement, the last set for an attempt winning as if set one by one; their services are queued.
    private async Task WriteImagesAsync(IReadOnlyList<AttemptImages> images, CancellationToken ct)
    {
        var rows = images
            .Select((image, order) => (image, order)).GroupBy(i => (i.image.Source, i.image.ExternalId)).Select(g => g.Last().image)
            .OrderBy(i => i.Source, StringComparer.Ordinal).ThenBy(i => i.ExternalId, StringComparer.Ordinal).ToList();
        var services = (await conn.QueryAsync<int>(new CommandDefinition(SetImages, new
            {
                sources = rows.Select(i => i.Source).ToArray(),
                externalIds = rows.Select(i => i.ExternalId).ToArray(),
                images = rows.Select(i => JsonSerializer.Serialize(i.Sorted)).ToArray(),
                now = clock.GetUtcNow(),
            }, tx, cancellationToken: ct)))
            .Distinct().ToList();
        if (services.Count > 0)
        {
            await QueueAsync(services, false, ct);
        }
    }

    private sealed record AttemptImages(string Source, string ExternalId, string[] Sorted);

    private void DeferCommits(int repositoryId, IReadOnlyList<CommitRow> commits) =>
        _deferredCommits.AddRange(commits.Select(c => (repositoryId, c)));

    // The repositories in which a gathered commit was new.
    private async Task<HashSet<int>> FlushCommitsAsync(CancellationToken ct)
    {
        if (_deferredCommits.Count == 0)
        {
            return [];
        }

        var rows = JsonSerializer.Serialize(_deferredCommits.DistinctBy(c => (c.RepositoryId, c.Commit.Sha.ToLowerInvariant())).Select(c => new
        {
            repository_id = c.RepositoryId,
            sha = c.Commit.Sha.ToLowerInvariant(),
            parents = c.Commit.Parents.Select(p => p.ToLowerInvariant()),
            authored_at = c.Commit.AuthoredAt.ToUniversalTime(),
            committed_at = c.Commit.CommittedAt.ToUniversalTime(),
            author = c.Commit.Author,
            message = FirstLine(c.Commit.Message),
            paths = c.Commit.Paths,
        }), RowJson);
        _deferredCommits.Clear();
        return (await conn.QueryAsync<int>(new CommandDefinition(InsertMissingCommits, new { rows }, tx, cancellationToken: ct))).ToHashSet();
    }

    // Every service of the repositories (their own, and those deployed from them), in one read.
    private async Task QueueRepositoriesAsync(IReadOnlyCollection<int> repositoryIds, bool resolveChanges, CancellationToken ct)
    {
        if (Services.Discovered != _discoveredAtRead)
        {
            _repositoryServices.Clear();
            _discoveredAtRead = Services.Discovered;
        }

        var unknown = repositoryIds.Where(r => !_repositoryServices.ContainsKey(r)).ToArray();
        if (unknown.Length > 0)
        {
            var found = (await conn.QueryAsync<(int RepositoryId, int ServiceId)>(new CommandDefinition(
                ServicesOfRepositories, new { repositoryIds = unknown }, tx, cancellationToken: ct))).ToLookup(f => f.RepositoryId, f => f.ServiceId);
            foreach (var repositoryId in unknown)
            {
                _repositoryServices[repositoryId] = found[repositoryId].ToList();
            }
        }

        await QueueAsync(repositoryIds.SelectMany(r => _repositoryServices[r]).Distinct().ToList(), resolveChanges, ct);
    }

    private async Task FlushQueueAsync(CancellationToken ct)
    {
        if (_toQueue.Count == 0)
        {
            return;
        }

        var pending = _toQueue.ToList();
        _toQueue.Clear();
        await LockServicesAsync(pending.Select(p => p.Key), ct);
        foreach (var resolveChanges in (bool[])[false, true])
        {
            var serviceIds = pending.Where(p => p.Value == resolveChanges).Select(p => p.Key).Order().ToArray();
            if (serviceIds.Length > 0)
            {
                await conn.ExecuteAsync(new CommandDefinition(Queue,
                    new { serviceIds, now = clock.GetUtcNow(), resolveChanges }, tx, cancellationToken: ct));
                _queued.UnionWith(serviceIds);
                if (resolveChanges)
                {
                    _queuedResolving.UnionWith(serviceIds);
                }
            }
        }
    }

    // A projection of a service and a batch writing its rows would otherwise each hold what the
    // other waits for: see DomainWriteLock.
    private async Task LockServicesAsync(IEnumerable<int> serviceIds, CancellationToken ct)
    {
        if (MapsAlone)
        {
            return;
        }

        var fresh = serviceIds.Where(id => !_locked.Contains(id)).Distinct().Order().ToArray();
        if (fresh.Length > 0)
        {
            await DomainWriteLock.ForServicesAsync(conn, tx, fresh, ct);
            _locked.UnionWith(fresh);
        }
    }

    // The services attempts are stored under now, so their locks are taken before they are written.
    private async Task<IEnumerable<int>> StoredAttemptServicesAsync(IReadOnlyList<AttemptRow> attempts, CancellationToken ct) =>
        await conn.QueryAsync<int>(new CommandDefinition(AttemptServices, new
        {
            sources = attempts.Select(a => a.Source).ToArray(),
            externalIds = attempts.Select(a => a.ExternalId).ToArray(),
        }, tx, cancellationToken: ct));
}
