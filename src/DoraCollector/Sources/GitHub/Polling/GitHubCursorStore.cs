using System.Text.Json;
using Dapper;
using Npgsql;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// The GitHub rows of <c>ingest_cursors</c>: each repository's <see cref="RepositoryState"/>, and the
/// ETag of every conditional check (scope <c>repo:owner/name:commits</c>, <c>org:acme:1</c>, …).
/// </summary>
internal sealed class GitHubCursorStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const string Source = "github";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    private const string Upsert = """
        INSERT INTO ingest_cursors (source, scope, position, etag, updated_at, last_success_at, last_error)
        VALUES (@source, @scope, @position, @etag, @now, CASE WHEN @success THEN @now END, @error)
        ON CONFLICT (source, scope) DO UPDATE
           SET position = EXCLUDED.position, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at,
               last_success_at = COALESCE(EXCLUDED.last_success_at, ingest_cursors.last_success_at),
               last_error = EXCLUDED.last_error
        """;

    public static string RepositoryScope(string repository) => $"repo:{repository.ToLowerInvariant()}";

    public async Task<Cursor?> GetAsync(string scope, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Cursor>(new CommandDefinition(
            "SELECT position AS Position, etag AS ETag FROM ingest_cursors WHERE source = @source AND scope = @scope",
            new { source = Source, scope }, cancellationToken: ct));
    }

    public async Task SaveAsync(string scope, string? position, string? etag, bool success, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Upsert,
            new { source = Source, scope, position, etag, now = clock.GetUtcNow(), success, error }, cancellationToken: ct));
    }

    public async Task<RepositoryState> LoadStateAsync(string repository, CancellationToken ct) =>
        await GetAsync(RepositoryScope(repository), ct) is { Position: { } json }
            ? JsonSerializer.Deserialize<RepositoryState>(json, StateJson) ?? new RepositoryState()
            : new RepositoryState();

    public Task SaveStateAsync(string repository, RepositoryState state, bool success, CancellationToken ct, string? error = null) =>
        SaveAsync(RepositoryScope(repository), JsonSerializer.Serialize(state, StateJson), null, success, error, ct);

    /// <summary>When each repository's last pass succeeded (scope <c>repo:owner/name</c>, lower case).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LastSuccessesAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<LastSuccess>(new CommandDefinition(
            """
            SELECT scope AS Scope, last_success_at AS At FROM ingest_cursors
            WHERE source = @source AND scope LIKE 'repo:%' AND scope NOT LIKE 'repo:%:%' AND last_success_at IS NOT NULL
            """, new { source = Source }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Scope, r => r.At, StringComparer.Ordinal);
    }

    /// <summary>Records a failed pass of the repository without touching its state.</summary>
    public async Task RecordErrorAsync(string repository, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ingest_cursors (source, scope, updated_at, last_error) VALUES (@source, @scope, @now, @error)
            ON CONFLICT (source, scope) DO UPDATE SET last_error = EXCLUDED.last_error, updated_at = EXCLUDED.updated_at
            """, new { source = Source, scope = RepositoryScope(repository), now = clock.GetUtcNow(), error }, cancellationToken: ct));
    }

    private sealed record LastSuccess
    {
        public string Scope { get; init; } = "";
        public DateTimeOffset At { get; init; }
    }

    internal sealed record Cursor
    {
        public string? Position { get; init; }
        public string? ETag { get; init; }
    }
}
