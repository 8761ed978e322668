using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Projection;
using Npgsql;

namespace DoraCollector.IntegrationTests.Projection;

/// <summary>The commit graph in SQL on every merge style, the shapes the unit tests give the in-memory graph.</summary>
public sealed class SqlCommitGraphTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _db = _database.CreateDataSource();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_squash_merge_is_one_change_that_starts_at_the_pull_requests_first_commit()
    {
        var changes = await ChangesAsync(async (w, repo) =>
        {
            await Commits(w, repo, ("c0", 0, []), ("sq", 50, ["c0"]), ("p1", -300, []), ("p2", -200, ["p1"]));
            await Merged(w, repo, 1, opened: -250, merged: 50, "sq", ["p1", "p2"]);
        }, revision: "sq", previous: "c0");

        var change = Assert.Single(changes.Changes);
        Assert.Equal((1, "sq", T0.AddMinutes(-300)), (change.PullRequestNumber!.Value, change.HeadSha, change.FirstCommitAt));
    }

    [Fact]
    public async Task A_merge_commit_brings_the_pull_request_and_a_direct_commit_beside_it()
    {
        var changes = await ChangesAsync(async (w, repo) =>
        {
            await Commits(w, repo, ("c0", 0, []), ("b1", 1, ["c0"]), ("b2", 2, ["b1"]), ("c1", 3, ["c0"]), ("m", 4, ["c1", "b2"]));
            await Merged(w, repo, 2, opened: 1, merged: 4, "m", ["b1", "b2"]);
        }, revision: "m", previous: "c0");

        Assert.Equal(["commit:c1", $"pr:{changes.Repository}:2"], changes.Changes.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal(3, changes.Changes.Single(c => c.PullRequestNumber == 2).CommitCount);
    }

    [Fact]
    public async Task A_rebase_merge_groups_the_rebased_copies_under_their_pull_request()
    {
        var changes = await ChangesAsync(async (w, repo) =>
        {
            // r1', r2' are the rebased copies on main; the source associates them with the pull request.
            await Commits(w, repo, ("c0", 0, []), ("r1", -30, []), ("r2", -20, ["r1"]), ("r1x", -30, ["c0"]), ("r2x", -20, ["r1x"]));
            await Merged(w, repo, 3, opened: -25, merged: 10, "r2x", ["r1", "r2", "r1x", "r2x"]);
        }, revision: "r2x", previous: "c0");

        var change = Assert.Single(changes.Changes);
        Assert.Equal((3, 2), (change.PullRequestNumber!.Value, change.CommitCount));
        Assert.Equal(T0.AddMinutes(-30), change.FirstCommitAt);
    }

    [Fact]
    public async Task Direct_pushes_are_a_change_each_and_a_merge_nobody_reviewed_is_not_one()
    {
        var changes = await ChangesAsync(async (w, repo) =>
            await Commits(w, repo, ("c0", 0, []), ("d1", 1, ["c0"]), ("d2", 2, ["c0"]), ("mm", 3, ["d1", "d2"])),
            revision: "mm", previous: "c0");

        Assert.Equal(["commit:d1", "commit:d2"], changes.Changes.Select(c => c.Key));
    }

    [Fact]
    public async Task A_monorepo_service_gets_only_the_commits_that_touch_its_path()
    {
        var changes = await ChangesAsync(async (w, repo) => await w.UpsertCommitsAsync(repo,
        [
            new CommitRow("c0", [], T0, T0, null, null, []),
            new CommitRow("a1", ["c0"], T0.AddMinutes(1), T0.AddMinutes(1), null, null, ["services/checkout/app.cs"]),
            new CommitRow("b1", ["a1"], T0.AddMinutes(2), T0.AddMinutes(2), null, null, ["services/cart/app.cs"]),
            new CommitRow("x1", ["b1"], T0.AddMinutes(3), T0.AddMinutes(3), null, null, ["services/checkout-legacy/x.cs"]),
            new CommitRow("u1", ["x1"], T0.AddMinutes(4), T0.AddMinutes(4), null, null, null),
        ], CancellationToken.None), revision: "u1", previous: "c0", path: "services/checkout");

        Assert.Equal(["commit:a1", "commit:u1"], changes.Changes.Select(c => c.Key));
    }

    [Fact]
    public async Task Unknown_revisions_are_pending_and_abbreviated_ones_resolve()
    {
        var shaA = new string('a', 40);
        var shaB = "b" + new string('0', 39);
        var pending = await ChangesAsync(async (w, repo) => await Commits(w, repo, (shaA, 0, []), (shaB, 1, [shaA])),
            revision: "ffffffffff", previous: shaA);
        Assert.Equal(ChangesStates.Pending, pending.State);

        var abbreviated = await ChangesAsync(async (w, repo) => await Commits(w, repo, (shaA, 0, []), (shaB, 1, [shaA])),
            revision: shaB[..8].ToUpperInvariant(), previous: shaA[..7]);
        Assert.Equal([$"commit:{shaB}"], abbreviated.Changes.Select(c => c.Key));
    }

    [Fact]
    public async Task Ancestry_is_known_only_for_stored_commits()
    {
        await using var conn = await _db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var writer = new DomainWriter(conn, tx, TimeProvider.System);
        var repo = await writer.Services.RepositoryAsync("acme/graph", CancellationToken.None);
        await Commits(writer, repo, ("c1", 0, []), ("c2", 1, ["c1"]), ("c3", 2, ["c2"]));
        var graph = new SqlCommitGraph(conn, tx, TimeSpan.FromDays(90));

        Assert.True(await graph.IsAncestorAsync(repo, "c1", "c3", CancellationToken.None));
        Assert.False(await graph.IsAncestorAsync(repo, "c3", "c1", CancellationToken.None));
        Assert.False(await graph.IsAncestorAsync(repo, "c2", "c2", CancellationToken.None));
        Assert.Null(await graph.IsAncestorAsync(repo, "zz", "c1", CancellationToken.None));
    }

    [Fact]
    public async Task A_branch_older_than_the_horizon_is_cut_off_instead_of_walking_all_history()
    {
        var changes = await ChangesAsync(async (w, repo) =>
            await Commits(w, repo, ("old", -200 * 24 * 60, []), ("c0", 0, ["old"]), ("c1", 1, ["c0"])),
            revision: "c1", previous: "c0", maxBranchAge: TimeSpan.FromDays(90));

        Assert.Equal(["commit:c1"], changes.Changes.Select(c => c.Key));
    }

    private async Task<(string State, IReadOnlyList<ChangeRecord> Changes, int Repository)> ChangesAsync(
        Func<DomainWriter, int, Task> arrange, string revision, string? previous, string? path = null, TimeSpan? maxBranchAge = null)
    {
        await using var conn = await _db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var writer = new DomainWriter(conn, tx, TimeProvider.System);
        var repo = await writer.Services.RepositoryAsync($"acme/r{Guid.NewGuid():N}", CancellationToken.None);
        await arrange(writer, repo);
        var set = await new SqlCommitGraph(conn, tx, maxBranchAge ?? TimeSpan.FromDays(90)).ChangesAsync(repo, revision, previous, path, CancellationToken.None);
        await tx.RollbackAsync();
        return (set.State, set.Changes.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(), repo);
    }

    private static Task Commits(DomainWriter writer, int repo, params (string Sha, double Minutes, string[] Parents)[] commits) =>
        writer.UpsertCommitsAsync(repo, commits.Select(c => new CommitRow(c.Sha, c.Parents, T0.AddMinutes(c.Minutes), T0.AddMinutes(c.Minutes), null, null)).ToList(),
            CancellationToken.None);

    private static Task Merged(DomainWriter writer, int repo, int number, double opened, double merged, string mergeCommit, string[] commits) =>
        writer.UpsertPullRequestAsync(repo, new PullRequestRow(number, $"PR {number}", null, null, "main", "merged",
            T0.AddMinutes(opened), T0.AddMinutes(merged), T0.AddMinutes(merged), mergeCommit, null, null, [], commits, T0), CancellationToken.None);
}
