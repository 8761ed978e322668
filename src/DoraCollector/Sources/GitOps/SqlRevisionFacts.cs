using Dapper;
using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

/// <summary>Commits and git tags as stored, read in the projection's transaction.</summary>
internal sealed class SqlRevisionFacts(ProjectionDb db) : IRevisionFacts
{
    public async Task<IReadOnlyList<string>> CommitsStartingWithAsync(int repositoryId, string prefix, CancellationToken ct) =>
        (await db.Connection.QueryAsync<string>(new CommandDefinition(
            // commits.sha has the C collation, so the prefix match uses the primary key.
            "SELECT sha FROM commits WHERE repository_id = @repositoryId AND sha LIKE @pattern LIMIT 2",
            new { repositoryId, pattern = prefix + "%" }, db.Transaction, cancellationToken: ct))).ToList();

    public Task<string?> TagCommitAsync(int repositoryId, IReadOnlyList<string> names, CancellationToken ct) =>
        db.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT commit_sha FROM git_tags WHERE repository_id = @repositoryId AND name = ANY(@names)
            ORDER BY array_position(@names, name) LIMIT 1
            """, new { repositoryId, names = names.ToArray() }, db.Transaction, cancellationToken: ct));
}
