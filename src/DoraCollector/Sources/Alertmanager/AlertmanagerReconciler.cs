using DoraCollector.Pipeline;
using System.Text;
using System.Text.Json;
using Dapper;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// One reconciliation pass against Alertmanager's active alerts (<c>GET /api/v2/alerts</c>), for
/// what the webhook can miss: a notification that never arrived (retries exhausted, a
/// <c>max_alerts</c> truncation) or a resolve that never came. Every qualifying active alert is
/// stored in the inbox under its natural key with the time it was seen (a lost firing opens its
/// incident, a known one records it is still active); every open alert Alertmanager no longer
/// lists, and that nobody saw active for <c>VanishedAfter</c>, is stored as vanished and closed
/// at the time it was last seen. The mapper does the rest, so <c>recompute</c> replays it.
/// </summary>
internal sealed partial class AlertmanagerReconciler(
    AlertmanagerClient client,
    RawEventStore store,
    InboxSignal inbox,
    NpgsqlDataSource db,
    AlertRules rules,
    IOptions<AlertmanagerOptions> options,
    CollectorTelemetry telemetry,
    TimeProvider clock,
    ILogger<AlertmanagerReconciler> logger)
{
    private const string Source = AlertmanagerMapper.SourceName;
    private const string Scope = "active-alerts";

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    private const string LoadOpen = """
        SELECT external_id AS ExternalId, started_at AS StartedAt, COALESCE(last_seen_at, started_at) AS LastSeenAt
        FROM incident_signals WHERE source = @source AND resolved_at IS NULL
        """;

    private const string SaveCursor = """
        INSERT INTO ingest_cursors (source, scope, position, updated_at, last_success_at, last_error)
        VALUES (@source, @scope, @position, @now, CASE WHEN @error IS NULL THEN @now END, @error)
        ON CONFLICT (source, scope) DO UPDATE
           SET position = COALESCE(EXCLUDED.position, ingest_cursors.position), updated_at = EXCLUDED.updated_at,
               last_success_at = COALESCE(EXCLUDED.last_success_at, ingest_cursors.last_success_at), last_error = EXCLUDED.last_error
        """;

    /// <summary>
    /// Polls once and stores what changed. Does nothing without <c>Dora:Alertmanager:Url</c>.
    /// A failure is recorded (cursor, telemetry, log) and rethrown.
    /// </summary>
    /// <exception cref="HttpRequestException">Alertmanager could not be asked or did not answer 2xx.</exception>
    /// <exception cref="InvalidDataException">Its answer is not a list of alerts.</exception>
    public async Task<ReconcileResult> RunAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Url))
        {
            return ReconcileResult.NotConfigured;
        }

        var observedAt = clock.GetUtcNow();
        string json;
        try
        {
            json = await client.GetActiveAlertsAsync(rules.ApiFilter, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var failure = e as HttpRequestException ?? new HttpRequestException($"Alertmanager did not answer in time ({e.Message})", e);
            await FailAsync(failure.Message, ct);
            throw failure;
        }

        var (alerts, raws) = Read(json, observedAt);
        if (alerts is null)
        {
            await FailAsync(raws, ct);
            throw new InvalidDataException($"Alertmanager's GET /api/v2/alerts answer is not a list of alerts: {raws}");
        }

        var seen = alerts.Select(a => a.Alert.Key).ToHashSet(StringComparer.Ordinal);
        var qualifying = alerts.Where(a => rules.Qualifies(a.Alert)).ToList();
        var vanished = await VanishedAsync(seen, observedAt, ct);
        var changed = await store.UpsertAllAsync(
            qualifying.Select(a => new NewRawEvent(Source, AlertmanagerMapper.AlertKind, a.Alert.Key, a.Payload, observedAt))
                .Concat(vanished.Select(v => new NewRawEvent(Source, AlertmanagerMapper.VanishedKind,
                    AlertmanagerAlert.KeyOf(v.Fingerprint, v.StartsAt), JsonSerializer.Serialize(v, PayloadJson), observedAt)))
                .ToList(), ct);
        inbox.Poke();
        await SaveCursorAsync(observedAt.ToString("O"), null, ct);
        telemetry.Ingested(Source, 0);
        var result = new ReconcileResult(true, alerts.Count, qualifying.Count, vanished.Count, changed.Count(id => id is not null));
        LogReconciled(result.Active, result.Qualifying, result.Vanished);
        return result;
    }

    // Each alert is kept as Alertmanager sent it, wrapped with the moment it was seen active.
    private static (List<(AlertmanagerAlert Alert, string Payload)>? Alerts, string Problem) Read(string json, DateTimeOffset observedAt)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return (null, $"not JSON ({e.Message})");
        }

        using (document)
        {
            var problems = new RequestProblems();
            var alerts = AlertmanagerPayloadReader.ReadActiveAlerts(document.RootElement, problems);
            if (alerts is null)
            {
                return (null, problems.Summary);
            }

            var elements = document.RootElement.EnumerateArray().ToList();
            return (alerts.Select((alert, i) => (alert, Wrap(observedAt, elements[i]))).ToList(), "");
        }
    }

    private static string Wrap(DateTimeOffset observedAt, JsonElement alert)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("observedAt", observedAt);
            writer.WritePropertyName("alert");
            alert.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // Open alerts Alertmanager no longer lists and nobody has seen active for the grace period:
    // after a restart Alertmanager knows no alert until Prometheus sends them again.
    private async Task<List<AlertmanagerVanished>> VanishedAsync(HashSet<string> seen, DateTimeOffset observedAt, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var open = await conn.QueryAsync<OpenSignal>(new CommandDefinition(LoadOpen, new { source = Source }, cancellationToken: ct));
        var cutoff = observedAt - options.Value.VanishedAfter;
        return open
            .Where(s => !seen.Contains(s.ExternalId) && s.LastSeenAt <= cutoff && s.LastSeenAt < observedAt && s.ExternalId.Contains('@', StringComparison.Ordinal))
            .Select(s => new AlertmanagerVanished(s.ExternalId[..s.ExternalId.LastIndexOf('@')], s.StartedAt, observedAt))
            .ToList();
    }

    private async Task FailAsync(string error, CancellationToken ct)
    {
        telemetry.IngestFailed(Source);
        LogFailed(error);
        try
        {
            await SaveCursorAsync(null, error, ct);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e) && !ct.IsCancellationRequested)
        {
            // The database being down too is no reason to hide Alertmanager's failure.
            LogCursorNotSaved(e.Message);
        }
    }

    private async Task SaveCursorAsync(string? position, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(SaveCursor,
            new { source = Source, scope = Scope, position, error, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug,
        Message = "Alertmanager reconciliation: {Active} active alerts, {Qualifying} qualifying, {Vanished} vanished")]
    private partial void LogReconciled(int active, int qualifying, int vanished);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Alertmanager reconciliation failed: {Reason}")]
    private partial void LogFailed(string reason);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Could not record the Alertmanager reconciliation cursor: {Reason}")]
    private partial void LogCursorNotSaved(string reason);

    private sealed record OpenSignal
    {
        public string ExternalId { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
    }
}

/// <summary>What one reconciliation pass did.</summary>
/// <param name="Ran">False when no <c>Dora:Alertmanager:Url</c> is configured.</param>
/// <param name="Active">Alerts Alertmanager listed.</param>
/// <param name="Qualifying">Of those, the ones the matchers let through, stored as seen.</param>
/// <param name="Vanished">Open alerts it no longer listed, stored to be closed.</param>
/// <param name="Stored">Inbox rows new or changed (and so mapped again).</param>
internal sealed record ReconcileResult(bool Ran, int Active, int Qualifying, int Vanished, int Stored)
{
    public static readonly ReconcileResult NotConfigured = new(false, 0, 0, 0, 0);
}
