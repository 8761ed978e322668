using System.Text.Json;
using Dapper;

namespace DoraCollector.Ingestion;

/// <summary>
/// Incident signals. A batch that maps alone (<see cref="MapsAlone"/>) and gathers its writes
/// gathers them too, and writes them at its end: a backfill's Alertmanager notifications are
/// thousands of upserts otherwise written one statement each. A read of a signal (a vanished
/// alert's) writes what is gathered first.
/// </summary>
internal sealed partial class DomainWriter
{
    // A resolve, once seen, sticks: a late or re-ordered "firing" does not reopen a signal. Only
    // the source's own resolve replaces a reconciliation's estimate (closed when it vanished).
    // New signals are numbered in the order they came. RETURNING gives each row's service before
    // (the subquery reads the statement's snapshot).
    private const string UpsertSignals = """
        INSERT INTO incident_signals AS i (source, external_id, service_id, service_hint, environment, cluster, title, severity, url,
                                           started_at, resolved_at, last_seen_at, closed_by, deployment_ref, revision_ref, labels,
                                           raw_event_id, updated_at)
        SELECT r.source, r.external_id, r.service_id, r.service_hint, r.environment, r.cluster, r.title, r.severity, r.url,
               r.started_at, r.resolved_at, r.last_seen_at, r.closed_by, r.deployment_ref, r.revision_ref, r.labels::jsonb,
               r.raw_event_id, @now
        FROM jsonb_to_recordset(@rows::jsonb) AS r (ord int, source text, external_id text, service_id int, service_hint text,
                                                     environment text, cluster text, title text, severity text, url text,
                                                     started_at timestamptz, resolved_at timestamptz, last_seen_at timestamptz,
                                                     closed_by text, deployment_ref text, revision_ref text, labels text, raw_event_id bigint)
        ORDER BY r.ord
        ON CONFLICT (source, external_id) DO UPDATE
           SET service_id = EXCLUDED.service_id, service_hint = EXCLUDED.service_hint, environment = EXCLUDED.environment,
               cluster = EXCLUDED.cluster,
               title = EXCLUDED.title, severity = EXCLUDED.severity, url = COALESCE(EXCLUDED.url, i.url),
               started_at = EXCLUDED.started_at,
               resolved_at = CASE WHEN i.closed_by = 'reconciliation' AND EXCLUDED.closed_by = 'source' AND EXCLUDED.resolved_at IS NOT NULL
                                  THEN EXCLUDED.resolved_at ELSE COALESCE(i.resolved_at, EXCLUDED.resolved_at) END,
               closed_by = CASE WHEN i.closed_by = 'reconciliation' AND EXCLUDED.closed_by = 'source' AND EXCLUDED.resolved_at IS NOT NULL
                                THEN EXCLUDED.closed_by ELSE COALESCE(i.closed_by, EXCLUDED.closed_by) END,
               last_seen_at = GREATEST(i.last_seen_at, EXCLUDED.last_seen_at),
               deployment_ref = EXCLUDED.deployment_ref, revision_ref = EXCLUDED.revision_ref,
               labels = COALESCE(EXCLUDED.labels, i.labels),
               raw_event_id = COALESCE(EXCLUDED.raw_event_id, i.raw_event_id), updated_at = EXCLUDED.updated_at
        RETURNING (SELECT s.service_id FROM incident_signals s WHERE s.source = i.source AND s.external_id = i.external_id) AS Previous
        """;

    private const string LoadOpenSignal = """
        SELECT service_id AS ServiceId, service_hint AS ServiceHint, environment AS Environment, cluster AS Cluster, title AS Title,
               severity AS Severity, url AS Url, started_at AS StartedAt, last_seen_at AS LastSeenAt,
               deployment_ref AS DeploymentRef, revision_ref AS RevisionRef, labels::text AS Labels
        FROM incident_signals
        WHERE source = @source AND external_id = @externalId AND resolved_at IS NULL
        """;

    private readonly List<SignalRow> _deferredSignals = [];

    public async Task UpsertSignalAsync(SignalRow signal, CancellationToken ct)
    {
        Plausible.Key(signal.ExternalId, "incident id");
        Plausible.Name(signal.ServiceHint, "incident service");
        Plausible.Name(signal.Environment, "environment");
        Plausible.Name(signal.Cluster, "cluster");
        Plausible.Key(signal.DeploymentRef, "incident deployment");
        Plausible.Key(signal.RevisionRef, "incident revision");
        CheckInstant(signal.StartedAt, $"incident {Short(signal.ExternalId)} started at");
        CheckInstant(signal.ResolvedAt, $"incident {Short(signal.ExternalId)} resolved at");
        CheckInstant(signal.LastSeenAt, $"incident {Short(signal.ExternalId)} last seen at");
        // The service the signal had before is queued too (it may move). A batch that maps alone
        // takes no locks, and reads it in the upsert's own snapshot; others lock it before writing.
        if (MapsAlone)
        {
            _deferredSignals.Add(signal);
            if (!DefersWrites)
            {
                await FlushAsync(ct);
            }

            return;
        }

        var before = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT service_id FROM incident_signals WHERE source = @Source AND external_id = @ExternalId",
            new { signal.Source, signal.ExternalId }, tx, cancellationToken: ct));
        await LockServicesAsync(new[] { signal.ServiceId, before }.OfType<int>(), ct);
        await WriteSignalsAsync([signal], ct);
        await QueueAsync(new[] { signal.ServiceId, before }.OfType<int>().Distinct().ToArray(), false, ct);
    }

    /// <summary>A source's signal as stored, when it is still open (not resolved); null otherwise.</summary>
    public async Task<OpenSignalRow?> OpenSignalAsync(string source, string externalId, CancellationToken ct)
    {
        await FlushSignalsAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OpenSignalRow>(new CommandDefinition(
            LoadOpenSignal, new { source, externalId }, tx, cancellationToken: ct));
    }

    // The gathered signals: a signal written more than once is written in rounds (its n-th write
    // in the n-th), each round one statement in the order they came; their services (and the
    // services they had) are queued.
    private async Task FlushSignalsAsync(CancellationToken ct)
    {
        if (_deferredSignals.Count == 0)
        {
            return;
        }

        var gathered = _deferredSignals.ToList();
        _deferredSignals.Clear();
        var rounds = gathered.Select((signal, i) => (signal, i))
            .GroupBy(w => (w.signal.Source, w.signal.ExternalId))
            .SelectMany(g => g.Select((w, n) => (w.signal, w.i, n)))
            .GroupBy(w => w.n)
            .OrderBy(r => r.Key);
        var services = new HashSet<int>(gathered.Select(s => s.ServiceId).OfType<int>());
        foreach (var round in rounds)
        {
            services.UnionWith(await WriteSignalsAsync(round.OrderBy(w => w.i).Select(w => w.signal).ToList(), ct));
        }

        await QueueAsync(services, false, ct);
    }

    // Signals of distinct keys in one statement; returns the services they had before.
    private async Task<IEnumerable<int>> WriteSignalsAsync(IReadOnlyList<SignalRow> signals, CancellationToken ct)
    {
        var rows = JsonSerializer.Serialize(signals.Select((s, ord) => new
        {
            ord,
            source = s.Source,
            external_id = s.ExternalId,
            service_id = s.ServiceId,
            service_hint = s.ServiceHint,
            environment = s.Environment,
            cluster = s.Cluster,
            title = s.Title,
            severity = s.Severity,
            url = s.Url,
            started_at = Stored(s.StartedAt),
            resolved_at = StoredOrNull(s.ResolvedAt),
            last_seen_at = StoredOrNull(s.LastSeenAt),
            closed_by = s.ClosedBy,
            deployment_ref = s.DeploymentRef,
            revision_ref = s.RevisionRef?.ToLowerInvariant(),
            labels = s.LabelsJson,
            raw_event_id = s.RawEventId,
        }), RowJson);
        return (await conn.QueryAsync<int?>(new CommandDefinition(UpsertSignals, new { rows, now = clock.GetUtcNow() }, tx, cancellationToken: ct)))
            .OfType<int>().ToList();
    }
}
