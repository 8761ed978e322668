using System.Text.Json;
using Dapper;
using DoraCollector.Catalog;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>
/// Idempotent writes of source-neutral domain rows inside the caller's transaction, and the reads
/// mappers need to decide what to write. Every domain write goes through here (the connection and
/// transaction never leave it), and every write that can change a service's derived rows queues
/// the service for projection in the same transaction, so no change is lost between a write and
/// its projection. Every write checks its
/// instants, names and keys first (<see cref="Plausible"/>): one no real event holds throws
/// <see cref="ImplausibleEventException"/> before anything is written. With
/// <see cref="DefersWrites"/> (a mapping batch) the writes that need no answer are gathered and
/// written set-based by <see cref="FlushAsync"/> (see DomainWriter.Deferred.cs).
/// </summary>
internal sealed partial class DomainWriter(NpgsqlConnection conn, NpgsqlTransaction tx, TimeProvider clock)
{
    private const string UpsertCommits = """
        INSERT INTO commits (repository_id, sha, parents, authored_at, committed_at, author, message, paths)
        SELECT @repositoryId, r.sha, r.parents, r.authored_at, r.committed_at, r.author, r.message, r.paths
        FROM jsonb_to_recordset(@rows::jsonb) AS r(sha text, parents text[], authored_at timestamptz, committed_at timestamptz,
                                                    author text, message text, paths text[])
        ON CONFLICT (repository_id, sha) DO UPDATE
           SET parents = EXCLUDED.parents, authored_at = EXCLUDED.authored_at, committed_at = EXCLUDED.committed_at,
               author = COALESCE(EXCLUDED.author, commits.author), message = COALESCE(EXCLUDED.message, commits.message),
               paths = COALESCE(EXCLUDED.paths, commits.paths)
         WHERE (commits.parents, commits.authored_at, commits.committed_at, commits.author, commits.message, commits.paths)
               IS DISTINCT FROM (EXCLUDED.parents, EXCLUDED.authored_at, EXCLUDED.committed_at,
                                 COALESCE(EXCLUDED.author, commits.author), COALESCE(EXCLUDED.message, commits.message),
                                 COALESCE(EXCLUDED.paths, commits.paths))
        """;

    // Every row of a batch in one statement: in the order written when the batch maps alone (so
    // new attempts are numbered as if written one by one), else in key order, so two concurrent
    // batches do not wait on each other's rows in opposite orders. A row that would not change (a snapshot repeating
    // the history it reported before) is not written again, nor locked: it is left out before the
    // insert (the conflict clause's own check stays for a row changed since); RETURNING gives the rows written, each
    // with the service it had before (the subquery reads the statement's snapshot). OFFSET 0 keeps the check a
    // subquery for each row, a probe of the key's index: turned into an anti-join, a plan made while the table held
    // thousands of rows hashed every stored attempt for every batch (docs/benchmarks.md, "Plans that stay right while
    // the tables grow").
    private const string UpsertAttempts = """
        INSERT INTO deployment_attempts AS a (source, external_id, service_id, environment, cluster, repository_id, revision, outcome,
                                              started_at, finished_at, rollback_hint, explicit_commits, details, raw_event_id, updated_at,
                                              application_revision, application_repository_id, resolution, source_path)
        SELECT r.source, r.external_id, r.service_id, r.environment, r.cluster, r.repository_id, r.revision, r.outcome,
               r.started_at, r.finished_at, r.rollback_hint, r.explicit_commits, r.details::jsonb, r.raw_event_id, @now,
               r.application_revision, r.application_repository_id, r.resolution, r.source_path
        FROM jsonb_to_recordset(@rows::jsonb) AS r(ord int, source text, external_id text, service_id int, environment text, cluster text,
                                                    repository_id int, revision text, outcome text, started_at timestamptz,
                                                    finished_at timestamptz, rollback_hint boolean, explicit_commits text[], details text,
                                                    raw_event_id bigint, application_revision text, application_repository_id int,
                                                    resolution text, source_path text)
        WHERE NOT EXISTS (
            SELECT 1 FROM deployment_attempts s
            WHERE s.source = r.source AND s.external_id = r.external_id
              AND (s.service_id, s.environment, s.cluster, s.repository_id, s.revision, s.outcome, s.started_at, s.finished_at,
                   s.rollback_hint, s.explicit_commits, s.details, s.application_revision, s.application_repository_id, s.resolution,
                   s.source_path)
                  IS NOT DISTINCT FROM
                  (r.service_id, r.environment, r.cluster, r.repository_id, r.revision, r.outcome, r.started_at, r.finished_at,
                   CASE WHEN r.source || ' ' || r.external_id = ANY(@keep) THEN s.rollback_hint ELSE r.rollback_hint END,
                   r.explicit_commits, r.details::jsonb,
                   COALESCE(r.application_revision, s.application_revision),
                   CASE WHEN r.application_revision IS NULL THEN s.application_repository_id ELSE r.application_repository_id END,
                   CASE WHEN r.application_revision IS NULL THEN s.resolution ELSE r.resolution END,
                   COALESCE(r.source_path, s.source_path))
            OFFSET 0)
        ORDER BY CASE WHEN @inOrder THEN r.ord END, r.source, r.external_id
        ON CONFLICT (source, external_id) DO UPDATE
           SET service_id = EXCLUDED.service_id, environment = EXCLUDED.environment, cluster = EXCLUDED.cluster,
               repository_id = EXCLUDED.repository_id,
               revision = EXCLUDED.revision, outcome = EXCLUDED.outcome, started_at = EXCLUDED.started_at,
               finished_at = EXCLUDED.finished_at,
               rollback_hint = CASE WHEN EXCLUDED.source || ' ' || EXCLUDED.external_id = ANY(@keep) THEN a.rollback_hint ELSE EXCLUDED.rollback_hint END,
               explicit_commits = EXCLUDED.explicit_commits, details = EXCLUDED.details,
               raw_event_id = COALESCE(EXCLUDED.raw_event_id, a.raw_event_id), updated_at = EXCLUDED.updated_at,
               application_revision = COALESCE(EXCLUDED.application_revision, a.application_revision),
               application_repository_id = CASE WHEN EXCLUDED.application_revision IS NULL THEN a.application_repository_id
                                                ELSE EXCLUDED.application_repository_id END,
               resolution = CASE WHEN EXCLUDED.application_revision IS NULL THEN a.resolution ELSE EXCLUDED.resolution END,
               source_path = COALESCE(EXCLUDED.source_path, a.source_path)
         WHERE (a.service_id, a.environment, a.cluster, a.repository_id, a.revision, a.outcome, a.started_at, a.finished_at,
                a.rollback_hint, a.explicit_commits, a.details, a.application_revision, a.application_repository_id, a.resolution,
                a.source_path)
               IS DISTINCT FROM
               (EXCLUDED.service_id, EXCLUDED.environment, EXCLUDED.cluster, EXCLUDED.repository_id, EXCLUDED.revision, EXCLUDED.outcome,
                EXCLUDED.started_at, EXCLUDED.finished_at,
                CASE WHEN EXCLUDED.source || ' ' || EXCLUDED.external_id = ANY(@keep) THEN a.rollback_hint ELSE EXCLUDED.rollback_hint END,
                EXCLUDED.explicit_commits, EXCLUDED.details,
                COALESCE(EXCLUDED.application_revision, a.application_revision),
                CASE WHEN EXCLUDED.application_revision IS NULL THEN a.application_repository_id ELSE EXCLUDED.application_repository_id END,
                CASE WHEN EXCLUDED.application_revision IS NULL THEN a.resolution ELSE EXCLUDED.resolution END,
                COALESCE(EXCLUDED.source_path, a.source_path))
        RETURNING a.service_id AS Service,
                  (SELECT d.service_id FROM deployment_attempts d WHERE d.source = a.source AND d.external_id = a.external_id) AS Previous
        """;


    // A commit of the batch that is not stored yet and that a stored commit names as its parent:
    // the batch fills a hole, so changes resolved before it arrived may have missed commits.
    private const string FillsHole = """
        SELECT EXISTS (
            SELECT 1 FROM commits c
            WHERE c.repository_id = @repositoryId AND c.parents && @shas AND NOT c.sha = ANY (@shas)
              AND EXISTS (SELECT 1 FROM unnest(c.parents) AS p (sha)
                          WHERE p.sha = ANY (@shas)
                            AND NOT EXISTS (SELECT 1 FROM commits s WHERE s.repository_id = @repositoryId AND s.sha = p.sha)))
        """;

    private const string SetPaths = """
        UPDATE commits c SET paths = v.paths
        FROM jsonb_to_recordset(@rows::jsonb) AS v (sha text, paths text[])
        WHERE c.repository_id = @repositoryId AND c.sha = v.sha AND c.paths IS DISTINCT FROM v.paths
        """;

    private const string RepositoryOfService = "SELECT repository_id FROM services WHERE id = @serviceId";

    private const string Queue = """
        INSERT INTO projection_queue (service_id, queued_at, resolve_changes)
        SELECT s, @now, @resolveChanges FROM unnest(@serviceIds::int[]) AS s ORDER BY s
        ON CONFLICT (service_id) DO UPDATE
           SET resolve_changes = projection_queue.resolve_changes OR EXCLUDED.resolve_changes
        """;

    private static readonly JsonSerializerOptions RowJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>When the event being mapped arrived: an instant more than a day after it is implausible. Now when not set.</summary>
    public DateTimeOffset? Arrived { get; set; }

    /// <summary>Checks an instant a mapper reads from an event (see <see cref="Plausible.Instant"/>).</summary>
    public void CheckInstant(DateTimeOffset? at, string what) => Plausible.Instant(at, Arrived ?? clock.GetUtcNow(), what);

    // Services queued in this transaction (and those queued to resolve their changes): a batch
    // queues the same services again and again, and the queue row, once written, stays written.
    private readonly HashSet<int> _queued = [];
    private readonly HashSet<int> _queuedResolving = [];

    // The services of a repository (its own, and those deployed from it), as this transaction
    // read them: until it discovers a service or stores an attempt deployed from that repository.
    private readonly Dictionary<int, List<int>> _repositoryServices = [];
    private int _discoveredAtRead;

    public ServiceDirectory Services { get; } = new(conn, tx);

    // Payloads a mapper read to prepare a batch, until it maps them.
    private readonly Dictionary<long, object> _prepared = [];

    /// <summary>
    /// A stored event's payload as <paramref name="read"/> reads it, to prepare a batch: kept
    /// for <see cref="Payload{T}"/>, so mapping the event does not read it again.
    /// </summary>
    public T Prepared<T>(RawEventRecord raw, Func<RawEventRecord, T> read)
        where T : class
    {
        var payload = Payload(raw, read);
        _prepared[raw.Id] = payload;
        return payload;
    }

    /// <summary>
    /// A stored event's payload as <paramref name="read"/> reads it: as read to prepare the
    /// batch (<see cref="Prepared{T}"/>, then forgotten), else read now. A payload that cannot be read throws each time.
    /// </summary>
    public T Payload<T>(RawEventRecord raw, Func<RawEventRecord, T> read)
        where T : class =>
        _prepared.Remove(raw.Id, out var prepared) && prepared is T payload ? payload : read(raw);

    /// <summary>Forgets what this transaction wrote, after a rollback to a savepoint undid part of it.</summary>
    public void Forget()
    {
        _queued.Clear();
        _queuedResolving.Clear();
        _repositoryServices.Clear();
        _serviceRepositories.Clear();
        Services.Forget();
        ForgetDeferred();
    }

    /// <summary>
    /// Stores commits; the services of the repository are projected again if any was new or changed.
    /// With <paramref name="keepExisting"/> (a source that knows less than the graph, such as a
    /// posted deployment's commit list without parents) stored commits are left as they are.
    /// </summary>
    public async Task UpsertCommitsAsync(int repositoryId, IReadOnlyList<CommitRow> commits, CancellationToken ct, bool keepExisting = false)
    {
        if (commits.Count == 0)
        {
            return;
        }

        foreach (var c in commits)
        {
            Plausible.Key(c.Sha, "commit sha");
            Plausible.CommitInstant(c.AuthoredAt, $"commit {Short(c.Sha)} authored at");
            Plausible.CommitInstant(c.CommittedAt, $"commit {Short(c.Sha)} committed at");
            foreach (var parent in c.Parents)
            {
                Plausible.Key(parent, "parent sha");
            }
        }

        if (keepExisting)
        {
            DeferCommits(repositoryId, commits);
            if (!DefersWrites)
            {
                await FlushAsync(ct);
            }

            return;
        }

        await FlushAsync(ct);
        var rows = JsonSerializer.Serialize(commits.Select(c => new
        {
            sha = c.Sha.ToLowerInvariant(),
            parents = c.Parents.Select(p => p.ToLowerInvariant()),
            authored_at = c.AuthoredAt.ToUniversalTime(),
            committed_at = c.CommittedAt.ToUniversalTime(),
            author = c.Author,
            message = FirstLine(c.Message),
            paths = c.Paths,
        }), RowJson);
        var changed = await conn.ExecuteAsync(new CommandDefinition(UpsertCommits, new { repositoryId, rows }, tx, cancellationToken: ct));
        if (changed > 0)
        {
            await QueueRepositoryAsync(repositoryId, resolveChanges: false, ct);
        }
    }

    /// <summary>
    /// Stores commits of the repository's graph, as <see cref="UpsertCommitsAsync"/>. A batch that
    /// fills a hole (a commit a stored commit names as its parent, not stored until now) has the
    /// repository's changes resolved again: changes resolved before it arrived may have missed commits.
    /// </summary>
    public async Task UpsertGraphCommitsAsync(int repositoryId, IReadOnlyList<CommitRow> commits, CancellationToken ct)
    {
        await FlushAsync(ct);
        var shas = commits.Select(c => c.Sha.ToLowerInvariant()).ToArray();
        var fillsHole = shas.Length > 0 && await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            FillsHole, new { repositoryId, shas }, tx, cancellationToken: ct));
        await UpsertCommitsAsync(repositoryId, commits, ct);
        if (fillsHole)
        {
            await QueueRepositoryAsync(repositoryId, resolveChanges: true, ct);
        }
    }

    /// <summary>
    /// Sets the monorepo paths stored commits touch (empty: none of them), in one statement. The
    /// repository's changes are resolved again when any changed, since a path filter now applies.
    /// </summary>
    public async Task SetCommitPathsAsync(int repositoryId, IReadOnlyList<CommitPathsRow> commits, CancellationToken ct)
    {
        if (commits.Count == 0)
        {
            return;
        }

        await FlushAsync(ct);
        var rows = JsonSerializer.Serialize(commits.Select(c => new { sha = c.Sha.ToLowerInvariant(), paths = c.Paths }), RowJson);
        var changed = await conn.ExecuteAsync(new CommandDefinition(SetPaths, new { repositoryId, rows }, tx, cancellationToken: ct));
        if (changed > 0)
        {
            await QueueRepositoryAsync(repositoryId, resolveChanges: true, ct);
        }
    }

    public Task UpsertAttemptAsync(AttemptRow attempt, CancellationToken ct) => UpsertAttemptsAsync([attempt], ct);

    /// <summary>
    /// Stores the attempts a source reports at once (an Argo CD snapshot's whole history) in one
    /// statement. Only attempts that change are written, and only their services (and a service
    /// an attempt moved from) are queued.
    /// </summary>
    public async Task UpsertAttemptsAsync(IReadOnlyList<AttemptRow> attempts, CancellationToken ct)
    {
        if (attempts.Count == 0)
        {
            return;
        }

        foreach (var a in attempts)
        {
            Plausible.Key(a.ExternalId, "deployment id");
            Plausible.Name(a.Environment, "environment");
            Plausible.Name(a.Cluster, "cluster");
            Plausible.Key(a.Revision, "revision");
            Plausible.Key(a.ApplicationRevision, "application revision");
            if (a.Resolution is { } method && (a.ApplicationRevision is null || !Projection.ResolutionMethods.Found.Contains(method)))
            {
                // A mapper's mistake, not the event's: the batch fails and is retried once the mapper is fixed.
                throw new ArgumentException($"deployment {Short(a.ExternalId)}: resolution '{method}' is not a method that links a revision", nameof(attempts));
            }

            CheckInstant(a.StartedAt, $"deployment {Short(a.ExternalId)} started at");
            CheckInstant(a.FinishedAt, $"deployment {Short(a.ExternalId)} finished at");
            foreach (var sha in a.ExplicitCommits ?? [])
            {
                Plausible.Key(sha, "deployment commit sha");
            }
        }

        foreach (var a in attempts)
        {
            Remember(a);
        }

        if (DefersWrites)
        {
            DeferAttempts(attempts);
            return;
        }

        await WriteAttemptsAsync(attempts, ct);
    }

    // Attempts in one statement, under their services' locks; their services are queued.
    private async Task WriteAttemptsAsync(IReadOnlyList<AttemptRow> attempts, CancellationToken ct)
    {
        // One statement cannot write a row twice: attempts named more than once (a report naming
        // one twice, or several events of a batch) are written in rounds, the n-th write of each
        // attempt in the n-th, so every attempt's writes land in the order they came, the later winning.
        if (attempts.Count > 1 && attempts.DistinctBy(a => (a.Source, a.ExternalId)).Count() < attempts.Count)
        {
            var rounds = attempts.Select((attempt, i) => (attempt, i))
                .GroupBy(w => (w.attempt.Source, w.attempt.ExternalId))
                .SelectMany(g => g.Select((w, n) => (w.attempt, w.i, n)))
                .GroupBy(w => w.n)
                .OrderBy(r => r.Key);
            foreach (var round in rounds)
            {
                await WriteAttemptsAsync(round.OrderBy(w => w.i).Select(w => w.attempt).ToList(), ct);
            }

            return;
        }

        if (!MapsAlone)
        {
            await LockServicesAsync(attempts.Select(a => a.ServiceId).Concat(await StoredAttemptServicesAsync(attempts, ct)), ct);
        }

        var rows = JsonSerializer.Serialize(attempts.Select((a, i) => new
        {
            ord = i,
            source = a.Source,
            external_id = a.ExternalId,
            service_id = a.ServiceId,
            environment = a.Environment,
            cluster = a.Cluster,
            repository_id = a.RepositoryId,
            revision = a.Revision.Trim().ToLowerInvariant(),
            outcome = a.Succeeded ? "success" : "failure",
            started_at = a.StartedAt is { } started ? Stored(started) : (DateTimeOffset?)null,
            finished_at = Stored(a.FinishedAt),
            rollback_hint = a.RollbackHint,
            explicit_commits = a.ExplicitCommits?.Select(s => s.ToLowerInvariant()),
            details = a.DetailsJson,
            raw_event_id = a.RawEventId,
            application_revision = a.ApplicationRevision?.Trim().ToLowerInvariant(),
            application_repository_id = a.ApplicationRevision is null ? null : a.ApplicationRepositoryId,
            resolution = a.ApplicationRevision is null ? null : a.Resolution ?? Projection.ResolutionMethods.Explicit,
            source_path = Sources.GitOps.GitOpsFolder.Normalize(a.SourcePath),
        }), RowJson);
        foreach (var repositoryId in attempts.Select(a => a.RepositoryId).OfType<int>())
        {
            _repositoryServices.Remove(repositoryId);
        }

        var keep = attempts.Where(a => a.KeepStoredHint).Select(a => $"{a.Source} {a.ExternalId}").ToArray();
        var written = await conn.QueryAsync<(int Service, int? Previous)>(new CommandDefinition(UpsertAttempts,
            new { rows, keep, inOrder = MapsAlone, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        var services = written.SelectMany(w => w.Previous is { } previous ? new[] { w.Service, previous } : [w.Service]).Distinct().ToList();
        await QueueAsync(services, false, ct);
    }

    // As PostgreSQL keeps it: UTC, to the microsecond (as Npgsql writes a parameter).
    private static DateTimeOffset Stored(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>
    /// Records the images an attempt ran (as a source saw them live); the service is projected
    /// again when they change, since they may name its application revision. No-op for an attempt
    /// not stored or images already recorded.
    /// </summary>
    public async Task SetAttemptImagesAsync(string source, string externalId, IReadOnlyList<string> images, CancellationToken ct)
    {
        // An image reference is at most a few hundred characters; a longer string is not one, and not worth failing the rollout for.
        var sorted = images.Select(i => i.Trim()).Where(i => i.Length is > 0 and <= 512).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (DefersWrites)
        {
            _deferredImages.Add(new AttemptImages(source, externalId, sorted));
            return;
        }

        await WriteImagesAsync([new AttemptImages(source, externalId, sorted)], ct);
    }

    /// <summary>Queues services for projection (with <paramref name="resolveChanges"/>: resolve their changes from scratch).</summary>
    public async Task QueueAsync(IReadOnlyCollection<int> serviceIds, bool resolveChanges, CancellationToken ct)
    {
        var queued = resolveChanges ? _queuedResolving : _queued;
        foreach (var id in serviceIds.Where(id => !queued.Contains(id)))
        {
            _toQueue[id] = _toQueue.GetValueOrDefault(id) || resolveChanges;
        }

        if (!DefersWrites)
        {
            await FlushQueueAsync(ct);
        }
    }

    private async Task QueueRepositoryAsync(int repositoryId, bool resolveChanges, CancellationToken ct)
    {
        // The services deployed from it are read from the attempts: gathered ones count too.
        await FlushAsync(ct);
        if (Services.Discovered != _discoveredAtRead)
        {
            _repositoryServices.Clear();
            _discoveredAtRead = Services.Discovered;
        }

        if (!_repositoryServices.TryGetValue(repositoryId, out var services))
        {
            services = (await conn.QueryAsync<int>(new CommandDefinition(
                """
                SELECT id FROM services WHERE repository_id = @repositoryId
                UNION
                SELECT DISTINCT service_id FROM deployment_attempts WHERE repository_id = @repositoryId
                """, new { repositoryId }, tx, cancellationToken: ct))).ToList();
            _repositoryServices[repositoryId] = services;
        }

        await QueueAsync(services, resolveChanges, ct);
    }

    // Enough of a key to find the event by, however long the key.
    private static string Short(string key) => key.Length <= 80 ? key : key[..80] + "…";

    private static string? FirstLine(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
