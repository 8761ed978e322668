using System.Text.Json;
using Dapper;

namespace DoraCollector.Ingestion;

/// <summary>
/// Pull requests. A mapping batch (<see cref="DefersWrites"/>) gathers them and writes them at its
/// end: a poll of a repository's pull requests, or of commits naming the pull requests that
/// merged them, is thousands of upserts otherwise written one statement each. Nothing reads a
/// pull request while a batch maps, apart from a review, which writes what is gathered first.
/// </summary>
internal sealed partial class DomainWriter
{
    private const string PullRequestRows = """
        INSERT INTO pull_requests AS p (repository_id, number, title, url, author, base_branch, state, opened_at, merged_at, closed_at,
                                        merge_commit_sha, first_commit_at, first_review_at, labels, updated_at)
        SELECT r.repository_id, r.number, r.title, r.url, r.author, r.base_branch, r.state, r.opened_at, r.merged_at, r.closed_at,
               r.merge_commit_sha, r.first_commit_at, r.first_review_at, r.labels, r.updated_at
        FROM jsonb_to_recordset(@rows::jsonb) AS r (repository_id int, number int, title text, url text, author text, base_branch text,
                                                     state text, opened_at timestamptz, merged_at timestamptz, closed_at timestamptz,
                                                     merge_commit_sha text, first_commit_at timestamptz, first_review_at timestamptz,
                                                     labels text[], updated_at timestamptz)
        ORDER BY r.repository_id, r.number
        ON CONFLICT (repository_id, number) DO UPDATE
        """;

    // What a source that knows the whole pull request writes.
    private const string UpsertPullRequests = $"""
        {PullRequestRows}
           SET title = EXCLUDED.title, url = COALESCE(EXCLUDED.url, p.url), author = COALESCE(EXCLUDED.author, p.author),
               base_branch = COALESCE(EXCLUDED.base_branch, p.base_branch), state = EXCLUDED.state,
               opened_at = COALESCE(EXCLUDED.opened_at, p.opened_at), merged_at = EXCLUDED.merged_at,
               closed_at = EXCLUDED.closed_at, merge_commit_sha = COALESCE(EXCLUDED.merge_commit_sha, p.merge_commit_sha),
               first_commit_at = COALESCE(EXCLUDED.first_commit_at, p.first_commit_at),
               first_review_at = COALESCE(EXCLUDED.first_review_at, p.first_review_at),
               labels = EXCLUDED.labels, updated_at = EXCLUDED.updated_at
        """;

    // What a source that knows less writes: only what is missing.
    private const string FillPullRequests = $"""
        {PullRequestRows}
           SET title = COALESCE(p.title, EXCLUDED.title), url = COALESCE(p.url, EXCLUDED.url),
               opened_at = COALESCE(p.opened_at, EXCLUDED.opened_at),
               merged_at = COALESCE(p.merged_at, EXCLUDED.merged_at),
               first_commit_at = COALESCE(p.first_commit_at, EXCLUDED.first_commit_at),
               labels = CASE WHEN cardinality(p.labels) = 0 THEN EXCLUDED.labels ELSE p.labels END
        """;

    private const string AddPullRequestCommits = """
        INSERT INTO pull_request_commits (repository_id, pull_request_number, sha)
        SELECT c.repository_id, c.number, c.sha FROM unnest(@repositoryIds::int[], @numbers::int[], @shas::text[]) AS c (repository_id, number, sha)
        ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING
        """;

    private const string RaiseFirstReview = """
        UPDATE pull_requests SET first_review_at = LEAST(first_review_at, @submitted)
        WHERE repository_id = @repositoryId AND number = @number AND first_review_at IS DISTINCT FROM LEAST(first_review_at, @submitted)
        """;

    private readonly List<GatheredPullRequest> _deferredPullRequests = [];

    // Repositories whose services are queued with their changes resolved again (a pull request merged).
    private readonly HashSet<int> _deferredResolving = [];

    /// <summary>
    /// Stores a pull request and the commits that belong to it; its repository's changes are
    /// resolved again. With <paramref name="fillMissing"/> (a source that knows less) only what is
    /// not known yet is written.
    /// </summary>
    public async Task UpsertPullRequestAsync(int repositoryId, PullRequestRow pr, CancellationToken ct, bool fillMissing = false)
    {
        var what = $"pull request #{pr.Number}";
        CheckInstant(pr.OpenedAt, $"{what} opened at");
        CheckInstant(pr.MergedAt, $"{what} merged at");
        CheckInstant(pr.ClosedAt, $"{what} closed at");
        Plausible.CommitInstant(pr.FirstCommitAt, $"{what} first commit at");
        CheckInstant(pr.FirstReviewAt, $"{what} first review at");
        Plausible.Key(pr.MergeCommitSha, $"{what} merge commit sha");
        foreach (var sha in pr.Commits)
        {
            Plausible.Key(sha, $"{what} commit sha");
        }

        _deferredPullRequests.Add(new GatheredPullRequest(repositoryId, pr, fillMissing));
        if (pr.State == "merged")
        {
            _deferredResolving.Add(repositoryId);
        }

        if (!DefersWrites)
        {
            await FlushAsync(ct);
        }
    }

    /// <summary>
    /// A review submitted at <paramref name="submitted"/>: the pull request is stored as with
    /// <c>fillMissing</c> (what is missing is filled), and its first review is the earliest seen.
    /// </summary>
    public async Task UpsertReviewAsync(int repositoryId, PullRequestRow pr, DateTimeOffset submitted, CancellationToken ct)
    {
        CheckInstant(submitted, $"review of pull request #{pr.Number} submitted at");
        await UpsertPullRequestAsync(repositoryId, pr, ct, fillMissing: true);
        await FlushAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(RaiseFirstReview,
            new { repositoryId, number = pr.Number, submitted = submitted.ToUniversalTime() }, tx, cancellationToken: ct));
    }

    // The gathered pull requests: one statement cannot write a row twice, so a pull request
    // written more than once is written in rounds (its n-th write in the n-th), each round one
    // statement per kind of write, in the order they came; then every commit they name, in one.
    // Returns the repositories whose changes are resolved again.
    private async Task<IReadOnlyCollection<int>> FlushPullRequestsAsync(CancellationToken ct)
    {
        if (_deferredPullRequests.Count == 0)
        {
            return [];
        }

        var gathered = _deferredPullRequests.ToList();
        _deferredPullRequests.Clear();
        var rounds = gathered.GroupBy(g => (g.RepositoryId, g.Row.Number))
            .SelectMany(g => g.Select((write, n) => (write, n)))
            .GroupBy(w => w.n, w => w.write)
            .OrderBy(r => r.Key);
        foreach (var round in rounds)
        {
            foreach (var fill in round.GroupBy(w => w.FillMissing))
            {
                var rows = JsonSerializer.Serialize(fill.Select(w => new
                {
                    repository_id = w.RepositoryId,
                    number = w.Row.Number,
                    title = w.Row.Title,
                    url = w.Row.Url,
                    author = w.Row.Author,
                    base_branch = w.Row.BaseBranch,
                    state = w.Row.State,
                    opened_at = StoredOrNull(w.Row.OpenedAt),
                    merged_at = StoredOrNull(w.Row.MergedAt),
                    closed_at = StoredOrNull(w.Row.ClosedAt),
                    merge_commit_sha = w.Row.MergeCommitSha?.ToLowerInvariant(),
                    first_commit_at = StoredOrNull(w.Row.FirstCommitAt),
                    first_review_at = StoredOrNull(w.Row.FirstReviewAt),
                    labels = w.Row.Labels,
                    updated_at = Stored(w.Row.UpdatedAt),
                }), RowJson);
                await conn.ExecuteAsync(new CommandDefinition(fill.Key ? FillPullRequests : UpsertPullRequests, new { rows }, tx, cancellationToken: ct));
            }
        }

        var commits = gathered.SelectMany(g => g.Row.Commits.Select(sha => (g.RepositoryId, g.Row.Number, Sha: sha.ToLowerInvariant()))).Distinct().ToList();
        if (commits.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition(AddPullRequestCommits, new
            {
                repositoryIds = commits.Select(c => c.RepositoryId).ToArray(),
                numbers = commits.Select(c => c.Number).ToArray(),
                shas = commits.Select(c => c.Sha).ToArray(),
            }, tx, cancellationToken: ct));
        }

        var resolving = _deferredResolving.ToList();
        _deferredResolving.Clear();
        return resolving;
    }

    private static DateTimeOffset? StoredOrNull(DateTimeOffset? at) => at is { } value ? Stored(value) : null;

    private sealed record GatheredPullRequest(int RepositoryId, PullRequestRow Row, bool FillMissing);
}
