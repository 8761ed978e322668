using Dapper;
using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// How far the collector has read the bounded status history of each GitOps object (an Argo CD
/// Application's last history id, a Flux Kustomization's newest reconcile), in
/// <c>ingest_cursors</c>, so a history that rolled over between two reads is noticed even
/// across restarts; and when a source's poll last succeeded or why it failed.
/// </summary>
internal sealed class HistoryCursors(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Load = """
        SELECT scope AS Scope, position AS Position FROM ingest_cursors
        WHERE source = @source AND scope = ANY (@scopes) AND position IS NOT NULL
        """;

    private const string Save = """
        INSERT INTO ingest_cursors (source, scope, position, updated_at, last_success_at)
        SELECT @source, p.scope, p.position, @now, @now FROM unnest(@scopes::text[], @positions::text[]) AS p (scope, position)
        ON CONFLICT (source, scope) DO UPDATE
           SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at, last_success_at = EXCLUDED.last_success_at
         WHERE ingest_cursors.position IS DISTINCT FROM EXCLUDED.position
        """;

    private const string Run = """
        INSERT INTO ingest_cursors (source, scope, updated_at, last_success_at, last_error)
        VALUES (@source, @scope, @now, CASE WHEN @error::text IS NULL THEN @now END, @error)
        ON CONFLICT (source, scope) DO UPDATE
           SET updated_at = EXCLUDED.updated_at, last_error = EXCLUDED.last_error,
               last_success_at = COALESCE(EXCLUDED.last_success_at, ingest_cursors.last_success_at)
        """;

    public async Task<IReadOnlyDictionary<string, string>> LoadAsync(string source, IReadOnlyCollection<string> scopes, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Scope, string Position)>(new CommandDefinition(
            Load, new { source, scopes = scopes.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Scope, r => r.Position, StringComparer.Ordinal);
    }

    public async Task SaveAsync(string source, IReadOnlyDictionary<string, string> positions, CancellationToken ct)
    {
        if (positions.Count == 0)
        {
            return;
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Save, new
        {
            source, scopes = positions.Keys.ToArray(), positions = positions.Values.ToArray(), now = clock.GetUtcNow(),
        }, cancellationToken: ct));
    }

    /// <summary>Records a poll of <paramref name="scope"/>: success when <paramref name="error"/> is null.</summary>
    public async Task RecordRunAsync(string source, string scope, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Run, new { source, scope, error, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>
    /// Records a failed run. When the database is what failed, this cannot be recorded either, and
    /// the caller has already logged the reason, so that failure is swallowed.
    /// </summary>
    public async Task RecordFailureAsync(string source, string scope, string error, CancellationToken ct)
    {
        try
        {
            await RecordRunAsync(source, scope, error, ct);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // The database is what failed.
        }
    }
}
