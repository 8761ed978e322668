using Dapper;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Reports;

/// <summary>
/// How current the ingested data is: the polling cursors every replica shares
/// (<c>ingest_cursors</c>), and the webhook counters of this replica (<see cref="CollectorTelemetry"/>),
/// which have no cursor. A report over a period that ends after a stale source's last success
/// may be missing that source's data.
/// </summary>
internal sealed class SourceHealth(NpgsqlDataSource db, CollectorTelemetry telemetry, IOptionsMonitor<ReportOptions> options)
{
    public const string ThisReplica = "this replica";

    private const string Cursors = """
        SELECT source AS Source, scope AS Scope, last_success_at AS LastSuccessAt, last_error AS LastError
        FROM ingest_cursors
        ORDER BY source, scope
        """;

    // The reason is what raw_events.error starts with: "implausible_time: ...".
    private const string Ignored = """
        SELECT source AS Source, split_part(error, ':', 1) AS Reason, count(*) AS Count
        FROM raw_events
        WHERE state = 'ignored' AND error IS NOT NULL AND received_at > @from AND received_at <= @to
        GROUP BY 1, 2
        ORDER BY 1, 2
        """;

    /// <summary>Events received in the window that were ignored for a reason, by source and reason.</summary>
    public async Task<IReadOnlyList<IgnoredEvents>> IgnoredAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<IgnoredEvents>(new CommandDefinition(Ignored, new { from, to }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<SourceStatus>> ReadAsync(DateTimeOffset now, CancellationToken ct)
    {
        var staleBefore = now - options.CurrentValue.StaleAfter;
        await using var conn = await db.OpenConnectionAsync(ct);
        var cursors = await conn.QueryAsync<CursorRow>(new CommandDefinition(Cursors, cancellationToken: ct));
        var statuses = cursors
            .Select(c => new SourceStatus(c.Source, c.Scope, c.LastSuccessAt, c.LastError, 0,
                Stale: c.LastError is not null || c.LastSuccessAt is not { } at || at < staleBefore))
            .ToList();

        // Webhooks arrive when something happens: a quiet source is not stale, a failing one is worth a note.
        statuses.AddRange(telemetry.Sources()
            .Where(s => statuses.All(c => c.Source != s.Source) || s.Errors > 0)
            .Select(s => new SourceStatus(s.Source, ThisReplica, s.LastSuccessAt, null, s.Errors, Stale: s.Errors > 0)));
        return statuses;
    }

    private sealed record CursorRow
    {
        public string Source { get; init; } = "";
        public string Scope { get; init; } = "";
        public DateTimeOffset? LastSuccessAt { get; init; }
        public string? LastError { get; init; }
    }
}
