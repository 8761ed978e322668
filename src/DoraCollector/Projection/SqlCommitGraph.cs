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

    // The batched forms of the statements above, for PrepareAsync: one row set for many questions,
    // each row tagged with its question.
    private const string IsAncestorMany = """
        SELECT q.i FROM unnest(@questions::int[], @repositories::int[], @descendants::text[], @ancestors::text[], @horizons::timestamptz[])
                        AS q (i, repository_id, descendant, ancestor, horizon)
        WHERE (
        """ + IsAncestorFor + ")";

    private const string IsAncestorFor = """
        WITH RECURSIVE walk (sha, parents) AS (
            SELECT sha, parents FROM commits WHERE repository_id = q.repository_id AND sha = q.descendant
          UNION
            SELECT c.sha, c.parents
            FROM walk w CROSS JOIN LATERAL unnest(w.parents) AS p (sha)
            JOIN commits c ON c.repository_id = q.repository_id AND c.sha = p.sha
            WHERE c.committed_at >= q.horizon
        )
        SELECT EXISTS (SELECT 1 FROM walk WHERE sha = q.ancestor AND sha <> q.descendant)
        """;

    private const string FindMany = """
        SELECT c.repository_id AS Repository, c.sha AS Sha, c.committed_at AS CommittedAt
        FROM unnest(@repositories::int[], @shas::text[]) AS q (repository_id, sha)
        JOIN commits c ON c.repository_id = q.repository_id AND c.sha = q.sha
        """;

    private static readonly string NewCommitsMany = """
        SELECT q.i AS Question, x.*
        FROM unnest(@questions::int[], @repositories::int[], @revisions::text[], @previouses::text[], @paths::text[], @horizons::timestamptz[])
             AS q (i, repository_id, revision, previous, path, horizon)
        CROSS JOIN LATERAL (
        """ + NewCommits.Replace("@repositoryId", "q.repository_id", StringComparison.Ordinal).Replace("@revision", "q.revision", StringComparison.Ordinal)
            .Replace("@previous", "q.previous", StringComparison.Ordinal).Replace("@path", "q.path", StringComparison.Ordinal)
            .Replace("@horizon", "q.horizon", StringComparison.Ordinal) + ") AS x";

    private static readonly string ListedMany = """
        WITH q AS (
            SELECT i, repository_id, array_agg(sha) AS shas
            FROM unnest(@questions::int[], @repositories::int[], @shas::text[]) AS f (i, repository_id, sha)
            GROUP BY i, repository_id)
        SELECT q.i AS Question, x.* FROM q CROSS JOIN LATERAL (
        """ + Listed.Replace("@repositoryId", "q.repository_id", StringComparison.Ordinal).Replace("@shas", "q.shas", StringComparison.Ordinal) + ") AS x";

    private readonly Dictionary<(int Repository, string Revision), (string Sha, DateTimeOffset CommittedAt)?> _found = [];

    // Answers PrepareAsync read ahead: ancestry by (repository, ancestor, descendant), commits by the question's key.
    private readonly Dictionary<(int Repository, string Ancestor, string Descendant), bool> _ancestry = [];
    private readonly Dictionary<string, List<GroupedCommit>> _commits = new(StringComparer.Ordinal);

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

        if (_ancestry.TryGetValue((repositoryId, a.Value.Sha, d.Value.Sha), out var prepared))
        {
            return prepared;
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

        var commits = _commits.TryGetValue(WalkKey(repositoryId, head.Sha, before.Sha, path), out var prepared)
            ? prepared
            : (await conn.QueryAsync<GroupedCommit>(new CommandDefinition(NewCommits, new
            {
                repositoryId, revision = head.Sha, previous = before.Sha, path, horizon = before.CommittedAt - maxBranchAge,
            }, tx, cancellationToken: ct))).ToList();
        return new ChangeSet(ChangesStates.Resolved, Changes(repositoryId, commits, keepMerges: false));
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
            : Changes(repositoryId, _commits.TryGetValue(ListKey(repositoryId, shas), out var prepared)
                ? prepared
                : (await conn.QueryAsync<GroupedCommit>(new CommandDefinition(Listed, new { repositoryId, shas }, tx, cancellationToken: ct))).ToList(), keepMerges);

    private static string WalkKey(int repositoryId, string head, string before, string? path) => $"walk {repositoryId} {head} {before} {path}";

    private static string ListKey(int repositoryId, string[] shas) => $"list {repositoryId} {string.Join(',', shas)}";

    /// <summary>
    /// Reads ahead what the questions will need in a few statements: the revisions they name (each
    /// one not stored under its full name is still looked up alone, as it would be), which
    /// ancestors are ancestors, and the commits of each walk and listing. Every question then
    /// gets from memory the answer its own statement would give.
    /// </summary>
    public async Task PrepareAsync(IReadOnlyList<GraphQuestion> questions, CancellationToken ct)
    {
        var names = questions
            .SelectMany(q => new[] { q.Revision, q.Previous, q.Ancestor, q.Descendant }.OfType<string>().Select(r => (q.RepositoryId, Revisions.Normalize(r))))
            .Where(r => !_found.ContainsKey(r)).Distinct().ToList();
        if (names.Count > 0)
        {
            foreach (var row in await conn.QueryAsync<FoundCommit>(new CommandDefinition(FindMany, new
                     {
                         repositories = names.Select(n => n.RepositoryId).ToArray(), shas = names.Select(n => n.Item2).ToArray(),
                     }, tx, cancellationToken: ct)))
            {
                _found[(row.Repository, row.Sha)] = (row.Sha, row.CommittedAt);
            }
        }

        var ancestry = new List<(int Repository, string Ancestor, string Descendant, DateTimeOffset Horizon)>();
        var walks = new List<(string Key, int Repository, string Head, string Before, string? Path, DateTimeOffset Horizon)>();
        var listings = new List<(string Key, int Repository, string[] Shas)>();
        foreach (var q in questions)
        {
            if (q.Ancestor is not null && q.Descendant is not null)
            {
                if (await FindAsync(q.RepositoryId, q.Ancestor, ct) is { } a && await FindAsync(q.RepositoryId, q.Descendant, ct) is { } d
                    && a.Sha != d.Sha && !_ancestry.ContainsKey((q.RepositoryId, a.Sha, d.Sha)))
                {
                    ancestry.Add((q.RepositoryId, a.Sha, d.Sha, a.CommittedAt - TimeSpan.FromDays(1)));
                }
            }
            else if (q.Listed is not null)
            {
                var shas = q.Listed.Select(Revisions.Normalize).ToArray();
                listings.Add((ListKey(q.RepositoryId, shas), q.RepositoryId, shas));
            }
            else if (q.Revision is not null && await FindAsync(q.RepositoryId, q.Revision, ct) is { } head)
            {
                if (q.Previous is null)
                {
                    listings.Add((ListKey(q.RepositoryId, [head.Sha]), q.RepositoryId, [head.Sha]));
                }
                else if (await FindAsync(q.RepositoryId, q.Previous, ct) is { } before)
                {
                    walks.Add((WalkKey(q.RepositoryId, head.Sha, before.Sha, q.Path), q.RepositoryId, head.Sha, before.Sha, q.Path,
                        before.CommittedAt - maxBranchAge));
                }
            }
        }

        ancestry = ancestry.DistinctBy(x => (x.Repository, x.Ancestor, x.Descendant)).ToList();
        if (ancestry.Count > 0)
        {
            var yes = (await conn.QueryAsync<int>(new CommandDefinition(IsAncestorMany, new
            {
                questions = Enumerable.Range(0, ancestry.Count).ToArray(),
                repositories = ancestry.Select(x => x.Repository).ToArray(),
                descendants = ancestry.Select(x => x.Descendant).ToArray(),
                ancestors = ancestry.Select(x => x.Ancestor).ToArray(),
                horizons = ancestry.Select(x => x.Horizon).ToArray(),
            }, tx, cancellationToken: ct))).ToHashSet();
            for (var i = 0; i < ancestry.Count; i++)
            {
                _ancestry[(ancestry[i].Repository, ancestry[i].Ancestor, ancestry[i].Descendant)] = yes.Contains(i);
            }
        }

        walks = walks.DistinctBy(w => w.Key).Where(w => !_commits.ContainsKey(w.Key)).ToList();
        if (walks.Count > 0)
        {
            Keep(walks.Select(w => w.Key).ToList(), await conn.QueryAsync<GroupedCommit>(new CommandDefinition(NewCommitsMany, new
            {
                questions = Enumerable.Range(0, walks.Count).ToArray(),
                repositories = walks.Select(w => w.Repository).ToArray(),
                revisions = walks.Select(w => w.Head).ToArray(),
                previouses = walks.Select(w => w.Before).ToArray(),
                paths = walks.Select(w => w.Path).ToArray(),
                horizons = walks.Select(w => w.Horizon).ToArray(),
            }, tx, cancellationToken: ct)));
        }

        listings = listings.Where(l => l.Shas.Length > 0).DistinctBy(l => l.Key).Where(l => !_commits.ContainsKey(l.Key)).ToList();
        if (listings.Count > 0)
        {
            Keep(listings.Select(l => l.Key).ToList(), await conn.QueryAsync<GroupedCommit>(new CommandDefinition(ListedMany, new
            {
                questions = listings.SelectMany((l, i) => l.Shas.Select(_ => i)).ToArray(),
                repositories = listings.SelectMany(l => l.Shas.Select(_ => l.Repository)).ToArray(),
                shas = listings.SelectMany(l => l.Shas).ToArray(),
            }, tx, cancellationToken: ct)));
        }
    }

    // Every question's rows, in the order the statement gave them (none: an empty list).
    private void Keep(List<string> keys, IEnumerable<GroupedCommit> rows)
    {
        foreach (var key in keys)
        {
            _commits[key] = [];
        }

        foreach (var row in rows)
        {
            _commits[keys[row.Question]].Add(row);
        }
    }

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
        /// <summary>The question a batched statement answered with this row.</summary>
        public int Question { get; init; }

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

    private sealed record FoundCommit
    {
        public int Repository { get; init; }
        public string Sha { get; init; } = "";
        public DateTimeOffset CommittedAt { get; init; }
    }

    private sealed record StoredCommit
    {
        public string Sha { get; init; } = "";
        public DateTimeOffset CommittedAt { get; init; }
    }
}
