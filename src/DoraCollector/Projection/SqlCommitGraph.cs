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
    // limited to commits newer than @horizon (a branch older than that is cut off), and to those
    // touching @path when one is given.
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
        ),
        c AS (
            SELECT c.sha, c.authored_at, c.message, cardinality(c.parents) AS parent_count
            FROM new_walk n JOIN commits c ON c.repository_id = @repositoryId AND c.sha = n.sha
            WHERE @path::text IS NULL OR c.paths IS NULL
               OR EXISTS (SELECT 1 FROM unnest(c.paths) AS f (path) WHERE f.path = @path OR f.path LIKE @path || '/%')
        ),
        """ + Grouped;

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

    // The commits given.
    private const string Listed = """
        WITH c AS (
            SELECT sha, authored_at, message, cardinality(parents) AS parent_count
            FROM commits WHERE repository_id = @repositoryId AND sha = ANY (@shas)
        ),
        """ + Grouped;

    // Follows a CTE `c` of commits: each commit with its pull request, the merged one whose merge
    // commit it is or that it belongs to (the earliest merged if several), and what the change
    // needs of that pull request.
    private const string Grouped = """
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
        ),
        pr AS (
            SELECT p.number, p.title, p.opened_at, p.merged_at, p.merge_commit_sha, p.labels,
                   COALESCE(p.first_commit_at, (SELECT min(pcc.authored_at) FROM pull_request_commits pc
                                                JOIN commits pcc ON pcc.repository_id = pc.repository_id AND pcc.sha = pc.sha
                                                WHERE pc.repository_id = p.repository_id AND pc.pull_request_number = p.number)) AS first_commit_at,
                   (SELECT m.message FROM commits m WHERE m.repository_id = p.repository_id AND m.sha = p.merge_commit_sha) AS merge_message
            FROM pull_requests p WHERE p.repository_id = @repositoryId AND p.number IN (SELECT number FROM owner)
        )
        SELECT c.sha AS Sha, c.authored_at AS AuthoredAt, c.message AS Message, c.parent_count AS ParentCount, owner.number AS PullRequest,
               pr.title AS Title, pr.opened_at AS OpenedAt, pr.merged_at AS MergedAt, pr.merge_commit_sha AS MergeCommitSha,
               pr.labels AS Labels, pr.first_commit_at AS FirstCommitAt, pr.merge_message AS MergeMessage
        FROM c LEFT JOIN owner ON owner.sha = c.sha LEFT JOIN pr ON pr.number = owner.number
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
            return new ChangeSet(ChangesStates.HeadOnly, await ListedAsync(repositoryId, [head.Sha], keepMerges: true, ct));
        }

        if (await FindAsync(repositoryId, previous, ct) is not { } before)
        {
            return ChangeSet.Pending;
        }

        var commits = await conn.QueryAsync<GroupedCommit>(new CommandDefinition(NewCommits, new
        {
            repositoryId, revision = head.Sha, previous = before.Sha, path, horizon = before.CommittedAt - maxBranchAge,
        }, tx, cancellationToken: ct));
        return new ChangeSet(ChangesStates.Resolved, Changes(repositoryId, commits.ToList(), keepMerges: false));
    }

    public async Task<ChangeSet> ExplicitChangesAsync(int? repositoryId, IReadOnlyList<string> shas, CancellationToken ct) =>
        repositoryId is int repository
            ? new ChangeSet(ChangesStates.Explicit, await ListedAsync(repository, shas.Select(Revisions.Normalize).ToArray(), keepMerges: true, ct))
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
            WHERE repository_id = @repositoryId AND (sha = @normalized OR (@abbreviates AND sha LIKE @normalized || '%'))
            ORDER BY sha = @normalized DESC LIMIT 2
            """,
            new { repositoryId, normalized, abbreviates = Revisions.IsSha(normalized) }, tx, cancellationToken: ct))).ToList();

        // An abbreviation that names two commits names none.
        return rows.Count > 0 && (rows[0].Sha == normalized || rows.Count == 1) ? (rows[0].Sha, rows[0].CommittedAt) : null;
    }

    private async Task<IReadOnlyList<ChangeRecord>> ListedAsync(int repositoryId, string[] shas, bool keepMerges, CancellationToken ct) =>
        shas.Length == 0
            ? []
            : Changes(repositoryId, (await conn.QueryAsync<GroupedCommit>(new CommandDefinition(Listed, new { repositoryId, shas }, tx, cancellationToken: ct))).ToList(), keepMerges);

    // Commits with a pull request become that pull request's change; a commit without one is a
    // direct change, except a merge commit nobody reviewed (it brings its parents' commits, which
    // are changes of their own).
    private static List<ChangeRecord> Changes(int repositoryId, List<GroupedCommit> commits, bool keepMerges)
    {
        var changes = new List<ChangeRecord>();
        foreach (var group in commits.Where(c => c.PullRequest is not null).GroupBy(c => c.PullRequest!.Value))
        {
            var pr = group.First();
            var head = pr.MergeCommitSha ?? group.OrderBy(c => c.AuthoredAt).Last().Sha;
            changes.Add(new ChangeRecord(
                $"pr:{repositoryId}:{group.Key}", repositoryId, group.Key, head, pr.Title, group.Count(),
                pr.FirstCommitAt is { } first && first < group.Min(c => c.AuthoredAt) ? first : group.Min(c => c.AuthoredAt),
                pr.OpenedAt, pr.MergedAt, pr.Labels ?? [],
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

    // A commit, and its pull request's facts when it has one.
    private sealed record GroupedCommit
    {
        public string Sha { get; init; } = "";
        public DateTimeOffset AuthoredAt { get; init; }
        public string? Message { get; init; }
        public int ParentCount { get; init; }
        public int? PullRequest { get; init; }
        public string? Title { get; init; }
        public DateTimeOffset? OpenedAt { get; init; }
        public DateTimeOffset? MergedAt { get; init; }
        public string? MergeCommitSha { get; init; }
        public string[]? Labels { get; init; }
        public DateTimeOffset? FirstCommitAt { get; init; }
        public string? MergeMessage { get; init; }
    }

    private sealed record StoredCommit
    {
        public string Sha { get; init; } = "";
        public DateTimeOffset CommittedAt { get; init; }
    }
}
