using DoraCollector.Projection;
using System.Data;
using Dapper;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Pipeline;

/// <summary>
/// Projects the services in <c>projection_queue</c>, several in one transaction, on every
/// replica (<c>SKIP LOCKED</c> shares the queue), beside the mapping of any numbered inbox
/// partition but never of the service it projects (<see cref="DomainWriteLock"/>). A service queued again while it is being
/// projected is projected again afterwards; a failure leaves it queued and retries a minute later,
/// except a deadlock or serialization failure with a concurrent writer, retried at once.
/// </summary>
internal sealed partial class ProjectionRunner(
    NpgsqlDataSource db,
    IOptionsMonitor<MetricsOptions> metrics,
    IOptions<SchedulingOptions> scheduling,
    ProjectionSignal signal,
    SnapshotSignal snapshot,
    WebhookPressure pressure,
    CollectorTelemetry telemetry,
    TimeProvider clock,
    ILogger<ProjectionRunner> logger,
    IEnumerable<IApplicationRevisionResolver> resolvers,
    GrownTables grownTables,
    InboxBacklog backlog) : BackgroundService
{
    private readonly IReadOnlyList<IApplicationRevisionResolver> _resolvers = resolvers.ToList();

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    // Services projected in one transaction: enough to spread its commit over many, few enough
    // that a batch waiting for one of them waits for a fraction of a second.
    private const int ClaimLimit = 8;

    private const string ServiceSavepoint = "projected_service";
    private const string TogetherSavepoint = "projected_services";

    // Services projected together by recompute: its transaction is all or nothing.
    private const int RecomputeChunk = 64;

    private static readonly int Workers = Math.Max(1, Environment.ProcessorCount);

    // While the inbox holds a backlog (InboxBacklog), the background projection leaves a queued
    // service until the backlog is mapped, or until it has been queued this long: mapping would name
    // most of them again, and each projection before that is done again after it. A delivery or a
    // trickle of them never makes a backlog, so its effect is projected at once.
    private static readonly TimeSpan LongestDeferral = TimeSpan.FromSeconds(30);

    // How many of the services due, in the order they were queued, a projection tries to claim.
    private const int Candidates = 32;

    private const string BumpDataVersion = """
        INSERT INTO collector_state (key, value, updated_at) VALUES ('data_version', '1', @now)
        ON CONFLICT (key) DO UPDATE SET value = (collector_state.value::bigint + 1)::text, updated_at = EXCLUDED.updated_at
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!scheduling.Value.Enabled)
        {
            return;
        }

        // Whatever a pass throws, the loop goes on: a failed service stays queued for the next one.
        var retry = new RetryPause("Projection", logger, clock);
        var rulesChecked = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!rulesChecked)
                {
                    await QueueAllIfRulesChangedAsync(stoppingToken);
                    rulesChecked = true;
                }

                // One projector per core: each claims services no other holds.
                await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => DrainAsync(deferDuringBacklog: true, stoppingToken)));
                retry.Succeeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                await retry.FailedAsync(e, stoppingToken);
                continue;
            }

            // During a backlog, deferred services are looked at again as soon as it may have been mapped.
            await signal.WaitAsync(backlog.LastSeen ? InboxBacklog.Recheck : SweepInterval, stoppingToken);
        }
    }

    /// <summary>Projects queued services until the queue is empty (giving way to a burst of webhooks); returns how many.</summary>
    public Task<int> DrainAsync(CancellationToken ct) => DrainAsync(deferDuringBacklog: false, ct);

    // With deferDuringBacklog, until no service is due (see LongestDeferral).
    internal async Task<int> DrainAsync(bool deferDuringBacklog, CancellationToken ct)
    {
        // Each transaction gives way to a burst of webhooks first, the first one too (a burst's
        // mapping is what pokes the projectors).
        var projected = 0;
        await pressure.GiveWayAsync(ct);
        await grownTables.RefreshAsync(ct);
        while (await ProjectNextAsync(deferDuringBacklog, ct) is { } count)
        {
            projected += count;
            await pressure.GiveWayAsync(ct);
        }

        if (projected > 0)
        {
            snapshot.Poke();
        }

        return projected;
    }

    /// <summary>Projects every service in the caller's transaction, from scratch (the <c>recompute</c> verb).</summary>
    public async Task<int> ProjectAllAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var rules = ProjectionRules.From(metrics.CurrentValue);
        await DomainWriteLock.ForProjectionAsync(conn, tx, ct);
        var services = (await conn.QueryAsync<int>(new CommandDefinition("SELECT id FROM services ORDER BY id", transaction: tx, cancellationToken: ct))).ToList();
        foreach (var chunk in services.Chunk(RecomputeChunk))
        {
            await ProjectAsync(conn, tx, chunk.Select(id => new QueuedService(id, ResolveChanges: true)).ToList(), rules, ct);
        }

        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM projection_queue", transaction: tx, cancellationToken: ct));
        await SnapshotTouches.MarkAsync(conn, tx, services, ct);
        await RecordRulesAsync(conn, tx, rules, ct);
        await conn.ExecuteAsync(new CommandDefinition(BumpDataVersion, new { now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        return services.Count;
    }

    // Several services per transaction (one commit, one data version bump for all), projected
    // together; when that fails, each under a savepoint, so one that fails is retried without
    // undoing the others. How many it projected; null when no service was due.
    private async Task<int?> ProjectNextAsync(bool deferDuringBacklog, CancellationToken ct)
    {
        var rules = ProjectionRules.From(metrics.CurrentValue);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await DomainWriteLock.ForProjectionAsync(conn, tx, ct);
        var dueBy = clock.GetUtcNow();
        if (deferDuringBacklog && await backlog.IsBacklogAsync(conn, tx, ct))
        {
            dueBy -= LongestDeferral;
        }

        var claimed = await ClaimAsync(conn, tx, dueBy, ct);
        if (claimed.Count == 0)
        {
            return null;
        }

        var projected = claimed.Count > 1 && await TryProjectTogetherAsync(conn, tx, claimed, rules, ct)
            ? claimed.Select(c => c.ServiceId).ToList()
            : await ProjectEachAsync(conn, tx, claimed, rules, ct);

        if (projected.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM projection_queue WHERE service_id = ANY (@ids)", new { ids = projected.ToArray() }, tx, cancellationToken: ct));

            // Every replica's incremental snapshot reloads these services' facts (and only these).
            await SnapshotTouches.MarkAsync(conn, tx, projected, ct);
            await conn.ExecuteAsync(new CommandDefinition(BumpDataVersion, new { now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return projected.Count;
    }

    // The claimed services one by one, each under a savepoint: one that fails is retried without
    // undoing the others. Which it projected.
    private async Task<List<int>> ProjectEachAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, List<QueuedService> claimed, ProjectionRules rules, CancellationToken ct)
    {
        var projected = new List<int>();
        foreach (var next in claimed)
        {
            var started = clock.GetTimestamp();
            await tx.SaveAsync(ServiceSavepoint, ct);
            try
            {
                await ProjectAsync(conn, tx, [next], rules, ct);
                await tx.ReleaseAsync(ServiceSavepoint, ct);
                projected.Add(next.ServiceId);
                telemetry.JobFinished("projection", clock.GetElapsedTime(started), succeeded: true);
            }
            catch (Exception e) when (e is PostgresException or InvalidOperationException or FormatException && !ct.IsCancellationRequested)
            {
                telemetry.JobFinished("projection", clock.GetElapsedTime(started), succeeded: false);
                if (conn.FullState != ConnectionState.Open)
                {
                    // The connection is lost (rolling back on it would throw too): the services stay
                    // queued, and the loop waits for the database before it tries again.
                    throw;
                }

                await tx.RollbackAsync(ServiceSavepoint, ct);
                if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
                {
                    // A writer without the service's lock (a recompute, a rule change) wrote its rows and
                    // queued it again while this projection, holding the queue row, waited for those rows:
                    // PostgreSQL aborted one of the two. The service stays queued and is projected again
                    // as soon as the writer has committed.
                    LogProjectionRetried(next.ServiceId, e.Message);
                    continue;
                }

                LogProjectionFailed(next.ServiceId, e.Message);
                await conn.ExecuteAsync(new CommandDefinition(
                    "UPDATE projection_queue SET queued_at = @retryAt WHERE service_id = @id",
                    new { id = next.ServiceId, retryAt = clock.GetUtcNow().AddMinutes(1) }, tx, cancellationToken: ct));
            }
        }

        return projected;
    }

    // The claimed services together: their facts read and their projections written in one
    // statement per table. False (and nothing written) when one of them fails: they are then
    // projected one by one, so that only that one waits for its retry.
    private async Task<bool> TryProjectTogetherAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, List<QueuedService> claimed, ProjectionRules rules, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        await tx.SaveAsync(TogetherSavepoint, ct);
        try
        {
            await ProjectAsync(conn, tx, claimed, rules, ct);
            await tx.ReleaseAsync(TogetherSavepoint, ct);
        }
        catch (Exception e) when (e is PostgresException or InvalidOperationException or FormatException && !ct.IsCancellationRequested)
        {
            if (conn.FullState != ConnectionState.Open)
            {
                throw;
            }

            await tx.RollbackAsync(TogetherSavepoint, ct);
            LogProjectedOneByOne(claimed.Count, e.Message);
            return false;
        }

        var each = clock.GetElapsedTime(started) / claimed.Count;
        foreach (var _ in claimed)
        {
            telemetry.JobFinished("projection", each, succeeded: true);
        }

        return true;
    }

    // Up to ClaimLimit services queued by dueBy, in the order they were queued, each whose lock this
    // transaction gets (no batch is writing its rows, no other projection has it).
    private static async Task<List<QueuedService>> ClaimAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset dueBy, CancellationToken ct) =>
        (await DomainWriteLock.ClaimServicesAsync(conn, tx, dueBy, Candidates, ClaimLimit, ct))
        .Select(c => new QueuedService(c.ServiceId, c.ResolveChanges)).ToList();

    private async Task ProjectAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<QueuedService> services, ProjectionRules rules, CancellationToken ct)
    {
        var loaded = await ProjectionStore.LoadAsync(conn, tx, services.Select(s => (s.ServiceId, UseCache: !s.ResolveChanges)).ToList(), ct);
        var projections = new List<(int ServiceId, ServiceProjection Projection)>(loaded.Count);
        foreach (var (facts, cache) in loaded)
        {
            var projector = new ServiceProjector(new SqlCommitGraph(conn, tx, rules.MaxBranchAge), rules, _resolvers, new ProjectionDb(conn, tx));
            projections.Add((facts.ServiceId, await projector.ProjectAsync(facts, cache, ct)));
        }

        await ProjectionStore.SaveAsync(conn, tx, projections, ct);
    }

    // Results computed under other rules (attribution window, hotfix labels, ...) are recomputed.
    internal async Task QueueAllIfRulesChangedAsync(CancellationToken ct)
    {
        var rules = ProjectionRules.From(metrics.CurrentValue);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var stored = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM collector_state WHERE key = 'projection_rules' FOR UPDATE", transaction: tx, cancellationToken: ct));
        if (stored != rules.Fingerprint)
        {
            var queued = await conn.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO projection_queue (service_id, queued_at, resolve_changes) SELECT id, @now, true FROM services
                ON CONFLICT (service_id) DO UPDATE SET resolve_changes = true
                """, new { now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await RecordRulesAsync(conn, tx, rules, ct);
            if (stored is not null)
            {
                LogRulesChanged(queued);
            }
        }

        await tx.CommitAsync(ct);
    }

    private async Task RecordRulesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ProjectionRules rules, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO collector_state (key, value, updated_at) VALUES ('projection_rules', @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
            """, new { value = rules.Fingerprint, now = clock.GetUtcNow() }, tx, cancellationToken: ct));

    private sealed record QueuedService(int ServiceId, bool ResolveChanges);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Projecting service {ServiceId} failed; retrying in a minute: {Reason}")]
    private partial void LogProjectionFailed(int serviceId, string reason);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Projecting service {ServiceId} gave way to a concurrent writer; retrying: {Reason}")]
    private partial void LogProjectionRetried(int serviceId, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Projecting {Count} services together failed; projecting them one by one: {Reason}")]
    private partial void LogProjectedOneByOne(int count, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Metric rules changed: {Count} services are projected again")]
    private partial void LogRulesChanged(int count);
}
