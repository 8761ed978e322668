using Dapper;
using DoraCollector.Catalog;
using Npgsql;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// What the domain tables already hold of a repository, so the poller asks GitHub only for what is
/// missing: parents that are not stored (a hole in the graph the projection walks), deployments
/// whose revisions are not stored, commits whose monorepo paths are not known.
/// </summary>
internal sealed class StoredGraph(NpgsqlDataSource db)
{
    // The stored history the default branch's head reaches, back to the floor (the window kept).
    private const string Walk = """
        WITH RECURSIVE walk (sha, parents, committed_at, paths) AS (
            SELECT sha, parents, committed_at, paths FROM commits WHERE repository_id = @repositoryId AND sha = @head
          UNION
            SELECT c.sha, c.parents, c.committed_at, c.paths
            FROM walk w CROSS JOIN LATERAL unnest(w.parents) AS p (sha)
            JOIN commits c ON c.repository_id = @repositoryId AND c.sha = p.sha
            WHERE c.committed_at >= @floor
        )
        """;

    private const string Holes = Walk + """
        SELECT DISTINCT p.sha FROM walk w CROSS JOIN LATERAL unnest(w.parents) AS p (sha)
        WHERE NOT EXISTS (SELECT 1 FROM commits c WHERE c.repository_id = @repositoryId AND c.sha = p.sha)
        UNION
        SELECT @head WHERE NOT EXISTS (SELECT 1 FROM commits WHERE repository_id = @repositoryId AND sha = @head)
        """;

    private const string WithoutPaths = Walk + """
        SELECT sha AS Sha, committed_at AS CommittedAt FROM walk WHERE @all OR paths IS NULL
        """;

    private const string Pending = """
        SELECT DISTINCT revision AS Revision, changes_base AS Base FROM deployments
        WHERE repository_id = @repositoryId AND changes_state = 'pending'
        ORDER BY 1, 2
        LIMIT @limit
        """;

    public async Task<int?> RepositoryIdAsync(string repository, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT id FROM repositories WHERE full_name = @name", new { name = ServiceDirectory.NormalizeRepository(repository) }, cancellationToken: ct));
    }

    /// <summary>SHAs the stored history from <paramref name="head"/> names as parents but does not hold (and the head itself if missing).</summary>
    public async Task<IReadOnlyList<string>> HolesAsync(int repositoryId, string head, DateTimeOffset floor, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(Holes, new { repositoryId, head, floor }, cancellationToken: ct))).ToList();
    }

    /// <summary>Commits of the stored history whose paths are unknown (or all of them, when the path set changed).</summary>
    public async Task<IReadOnlyList<(string Sha, DateTimeOffset CommittedAt)>> WithoutPathsAsync(
        int repositoryId, string head, DateTimeOffset floor, bool all, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ShaAt>(new CommandDefinition(WithoutPaths, new { repositoryId, head, floor, all }, cancellationToken: ct)))
            .Select(r => (r.Sha, r.CommittedAt)).ToList();
    }

    /// <summary>Deployments of the repository left pending because their revision or the previous one is not stored.</summary>
    public async Task<IReadOnlyList<(string Revision, string? Base)>> PendingAsync(int repositoryId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<PendingPair>(new CommandDefinition(Pending, new { repositoryId, limit }, cancellationToken: ct)))
            .Select(p => (p.Revision, p.Base)).ToList();
    }

    /// <summary>The monorepo paths of the repository's catalog services, sorted.</summary>
    public async Task<IReadOnlyList<string>> ServicePathsAsync(int repositoryId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT path FROM services WHERE repository_id = @repositoryId AND path IS NOT NULL ORDER BY path",
            new { repositoryId }, cancellationToken: ct))).ToList();
    }

    private sealed record ShaAt
    {
        public string Sha { get; init; } = "";
        public DateTimeOffset CommittedAt { get; init; }
    }

    private sealed record PendingPair
    {
        public string Revision { get; init; } = "";
        public string? Base { get; init; }
    }
}
