using Dapper;
using Npgsql;

namespace DoraCollector.Projection;

/// <summary>
/// The commit graph in PostgreSQL: reachability by recursive SQL over <c>commits.parents</c>,
/// bounded in time so a walk never crosses the whole history; grouping of commits into pull
/// requests through merge commits and <c>pull_request_commits</c>.
/// </summary>
internal sealed class SqlCommitGraph(NpgsqlConnection conn, NpgsqlTransaction? tx, TimeSpan maxBranchAge) : ICommitGraph
{
    // Commits reachable from @revision and not from @previous: `git rev-list revision ^previous`,
    // limited to commits newer than @horizon (a branch older than that is cut off).
    private const string NewCommits = """
        WITH RECURSIVE
        old_walk (sha, parents) AS (
            SELECT sha, parents FROM commits WHERE repository_id = @repositoryId AND sha = @previous
          UNION
            SELECT c.sha, c.parents
            FROM old_walk o CROSS JOIN LATERAL unnest(o.parents) AS p (sha)
            JOIN commits c ON c.repository_id = @repositoryId AND c.sha = p.sha
            WHERE c.committed_at >= @horizon
        ),
        new_walk (sha, parents) AS (
            SELECT sha, parents FROM commits
            WHERE repository_id = @repositoryId AND sha = @revision AND sha NOT IN (SELECT sha FROM old_walk)
          UNION
            SELECT c.sha, c.parents
            FROM new_walk n CROSS JOIN LATERAL unnest(n.parents) AS p (sha)
            JOIN commits c ON c.repository_id = @repositoryId AND c.sha = p.sha
            WHERE c.committed_at >= @horizon AND c.sha NOT IN (SELECT sha FROM old_walk)
        )
        SELECT n.sha FROM new_walk n JOIN commits c ON c.repository_id = @repositoryId AND c.sha = n.sha
        WHERE @path::text IS NULL OR c.paths IS NULL
           OR EXISTS (SELECT 1 FROM unnest(c.paths) AS f (path) WHERE f.path = @path OR f.path LIKE @path || '/%')
        """;

    private const string IsAncestor = """
        WITH RECURSIVE walk (sha, parents) AS (
            SELECT sha, parents FROM commits WHERE repository_id = @repositoryId AND sha = @descendant
          UNION
            SELECT c.sha, c.parents
            FROM walk w CROSS JOIN LATERAL unnest(w.parents) AS p (sha)
            JOIN commits c ON c.repository_id = @repositoryId AND c.sha = p.sha
            WHERE c.committed_at >= @horizon
        )
        SELECT EXISTS (SELECT 1 FROM walk WHERE sha = @ancestor AND sha <> @descendant)
        """;

    // Each commit's pull request: the merged one whose merge commit it is or that it belongs to
    // (the earliest merged if several).
    private const string Group = """
        WITH c AS (
            SELECT sha, authored_at, message, cardinality(parents) AS parent_count
            FROM commits WHERE repository_id = @repositoryId AND sha = ANY (@shas)
        ),
        candidates AS (
            SELECT p.number, c.sha FROM c
            JOIN pull_requests p ON p.repository_id = @repositoryId AND p.merge_commit_sha = c.sha
          UNION
            SELECT pc.pull_request_number, pc.sha FROM c
            JOIN pull_request_commits pc ON pc.repository_id = @repositoryId AND pc.sha = c.sha
        ),
        owner AS (
            SELECT DISTINCT ON (k.sha) k.sha, p.number
            FROM candidates k JOIN pull_requests p ON p.repository_id = @repositoryId AND p.number = k.number
            WHERE p.state = 'merged'
            ORDER BY k.sha, p.merged_at, p.number
        )
        SELECT c.sha AS Sha, c.authored_at AS AuthoredAt, c.message AS Message, c.parent_count AS ParentCount, owner.number AS PullRequest
        FROM c LEFT JOIN owner ON owner.sha = c.sha
        """;

    private const string PullRequests = """
        SELECT p.number AS Number, p.title AS Title, p.opened_at AS OpenedAt, p.merged_at AS MergedAt,
               p.merge_commit_sha AS MergeCommitSha, p.labels AS Labels,
               COALESCE(p.first_commit_at, (SELECT min(c.authored_at) FROM pull_request_commits pc
                                            JOIN commits c ON c.repository_id = pc.repository_id AND c.sha = pc.sha
                                            WHERE pc.repository_id = p.repository_id AND pc.pull_request_number = p.number)) AS FirstCommitAt,
               (SELECT c.message FROM commits c WHERE c.repository_id = p.repository_id AND c.sha = p.merge_commit_sha) AS MergeMessage
        FROM pull_requests p WHERE p.repository_id = @repositoryId AND p.number = ANY (@numbers)
        """;

    private readonly Dictionary<(int Repository, string Revision), (string Sha, DateTimeOffset CommittedAt)?> _found = [];

    public async Task<bool?> IsAncestorAsync(int repositoryId, string ancestor, string descendant, CancellationToken ct)
    {
        var a = await FindAsync(repositoryId, ancestor, ct);
        var d = await FindAsync(repositoryId, descendant, ct);
        if (a is null || d is null)
        {
            return null;
        }

        if (a.Value.Sha == d.Value.Sha)
        {
            return false;
        }

        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(IsAncestor,
            new { repositoryId, ancestor = a.Value.Sha, descendant = d.Value.Sha, horizon = a.Value.CommittedAt - TimeSpan.FromDays(1) },
            tx, cancellationToken: ct));
    }

    public async Task<ChangeSet> ChangesAsync(int repositoryId, string revision, string? previous, string? path, CancellationToken ct)
    {
        if (await FindAsync(repositoryId, revision, ct) is not { } head)
        {
            return ChangeSet.Pending;
        }

        if (previous is null)
        {
            return new ChangeSet(ChangesStates.HeadOnly, await GroupAsync(repositoryId, [head.Sha], keepMerges: true, ct));
        }

        if (await FindAsync(repositoryId, previous, ct) is not { } before)
        {
            return ChangeSet.Pending;
        }

        var shas = (await conn.QueryAsync<string>(new CommandDefinition(NewCommits, new
        {
            repositoryId, revision = head.Sha, previous = before.Sha, path, horizon = before.CommittedAt - maxBranchAge,
        }, tx, cancellationToken: ct))).ToArray();
        return new ChangeSet(ChangesStates.Resolved, await GroupAsync(repositoryId, shas, keepMerges: false, ct));
    }

    public async Task<ChangeSet> ExplicitChangesAsync(int? repositoryId, IReadOnlyList<string> shas, CancellationToken ct) =>
        repositoryId is int repository
            ? new ChangeSet(ChangesStates.Explicit, await GroupAsync(repository, shas.Select(Revisions.Normalize).ToArray(), keepMerges: true, ct))
            : new ChangeSet(ChangesStates.None, []);

    private async Task<(string Sha, DateTimeOffset CommittedAt)?> FindAsync(int repositoryId, string revision, CancellationToken ct)
    {
        // A projection asks for each revision twice (a deployment's, then as its successor's
        // previous one), and the graph does not change while it runs.
        var normalized = Revisions.Normalize(revision);
        if (!_found.TryGetValue((repositoryId, normalized), out var found))
        {
            found = await LookUpAsync(repositoryId, normalized, ct);
            _found[(repositoryId, normalized)] = found;
        }

        return found;
    }

    private async Task<(string Sha, DateTimeOffset CommittedAt)?> LookUpAsync(int repositoryId, string normalized, CancellationToken ct)
    {
        var rows = (await conn.QueryAsync<StoredCommit>(new CommandDefinition(
            """
            SELECT sha AS Sha, committed_at AS CommittedAt FROM commits
            WHERE repository_id = @repositoryId AND (sha = @normalized OR (length(@normalized) >= 7 AND sha LIKE @normalized || '%'))
            ORDER BY sha = @normalized DESC LIMIT 2
            """,
            new { repositoryId, normalized }, tx, cancellationToken: ct))).ToList();

        // An abbreviation that names two commits names none.
        return rows.Count > 0 && (rows[0].Sha == normalized || rows.Count == 1) ? (rows[0].Sha, rows[0].CommittedAt) : null;
    }

    // Commits with a pull request become that pull request's change; a commit without one is a
    // direct change, except a merge commit nobody reviewed (it brings its parents' commits, which
    // are changes of their own).
    private async Task<IReadOnlyList<ChangeRecord>> GroupAsync(int repositoryId, string[] shas, bool keepMerges, CancellationToken ct)
    {
        if (shas.Length == 0)
        {
            return [];
        }

        var commits = (await conn.QueryAsync<GroupedCommit>(new CommandDefinition(Group, new { repositoryId, shas }, tx, cancellationToken: ct))).ToList();
        var numbers = commits.Where(c => c.PullRequest is not null).Select(c => c.PullRequest!.Value).Distinct().ToArray();
        var prs = numbers.Length == 0
            ? new Dictionary<int, PullRequestInfo>()
            : (await conn.QueryAsync<PullRequestInfo>(new CommandDefinition(PullRequests, new { repositoryId, numbers }, tx, cancellationToken: ct)))
                .ToDictionary(p => p.Number);

        var changes = new List<ChangeRecord>();
        foreach (var group in commits.Where(c => c.PullRequest is not null).GroupBy(c => c.PullRequest!.Value))
        {
            var pr = prs[group.Key];
            var head = pr.MergeCommitSha ?? group.OrderBy(c => c.AuthoredAt).Last().Sha;
            changes.Add(new ChangeRecord(
                $"pr:{repositoryId}:{pr.Number}", repositoryId, pr.Number, head, pr.Title, group.Count(),
                pr.FirstCommitAt is { } first && first < group.Min(c => c.AuthoredAt) ? first : group.Min(c => c.AuthoredAt),
                pr.OpenedAt, pr.MergedAt, pr.Labels,
                new[] { pr.Title, pr.MergeMessage }.OfType<string>().ToList()));
        }

        foreach (var commit in commits.Where(c => c.PullRequest is null && (keepMerges || c.ParentCount <= 1)))
        {
            changes.Add(new ChangeRecord(
                $"commit:{commit.Sha}", repositoryId, null, commit.Sha, commit.Message, 1, commit.AuthoredAt, null, null, [],
                commit.Message is null ? [] : [commit.Message]));
        }

        return changes.OrderBy(c => c.FirstCommitAt).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
    }

    private sealed record GroupedCommit
    {
        public string Sha { get; init; } = "";
        public DateTimeOffset AuthoredAt { get; init; }
        public string? Message { get; init; }
        public int ParentCount { get; init; }
        public int? PullRequest { get; init; }
    }

    private sealed record PullRequestInfo
    {
        public int Number { get; init; }
        public string? Title { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateTimeOffset? MergedAt { get; init; }
        public string? MergeCommitSha { get; init; }
        public string[] Labels { get; init; } = [];
        public DateTimeOffset? FirstCommitAt { get; init; }
        public string? MergeMessage { get; init; }
    }

    private sealed record StoredCommit
    {
        public string Sha { get; init; } = "";
        public DateTimeOffset CommittedAt { get; init; }
    }
}
