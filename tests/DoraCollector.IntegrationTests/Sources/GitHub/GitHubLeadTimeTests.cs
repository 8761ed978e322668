using DoraCollector.Metrics;
using DoraCollector.Simulator.GitHub;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary>
/// Lead time through the GitHub source on every way a change reaches the default branch. Each
/// repository starts with one deployed commit (ten days ago); the change lands, GitHub Actions
/// deploys the new head twelve hours ago, and the collector backfills it all in one pass. The
/// expected lead time is the deployment's finish minus the change's first authored commit.
/// </summary>
public sealed class GitHubLeadTimeTests
{
    private const string Repo = "acme/shop";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_merge_commit_pull_request_is_one_change_from_its_first_branch_commit()
    {
        var (values, changes) = await DeployAsync(repo =>
            repo.MergeCommit([("b1", Ago(72)), ("b2", Ago(48))], opened: Ago(47), merged: Ago(24)));

        var change = Assert.Single(changes);
        Assert.Equal((1, 3), (change.PullRequest, change.Commits));   // b1, b2 and the merge commit
        Assert.Equal(new Quantiles(Hours(60), Hours(60)), values.LeadTime);
    }

    [Fact]
    public async Task A_squash_merge_keeps_the_lead_time_of_the_pull_requests_first_commit()
    {
        var (values, changes) = await DeployAsync(repo =>
            repo.Squash([("s1", Ago(72)), ("s2", Ago(48))], opened: Ago(47), merged: Ago(24)));

        var change = Assert.Single(changes);
        Assert.Equal((1, 1), (change.PullRequest, change.Commits));   // only the squash commit is on main
        Assert.Equal(new Quantiles(Hours(60), Hours(60)), values.LeadTime);
    }

    [Fact]
    public async Task A_rebase_merge_groups_the_rebased_copies_under_their_pull_request()
    {
        var (values, changes) = await DeployAsync(repo =>
            repo.Rebase([("r1", Ago(72)), ("r2", Ago(48)), ("r3", Ago(30))], opened: Ago(47), merged: Ago(24)));

        var change = Assert.Single(changes);
        Assert.Equal((1, 3), (change.PullRequest, change.Commits));
        Assert.Equal(new Quantiles(Hours(60), Hours(60)), values.LeadTime);
    }

    [Fact]
    public async Task A_direct_push_is_a_change_of_its_own()
    {
        var (values, changes) = await DeployAsync(repo => repo.Push("hotpatch", Ago(20)));

        var change = Assert.Single(changes);
        Assert.Equal(((int?)null, 1), (change.PullRequest, change.Commits));
        Assert.Equal(new Quantiles(Hours(8), Hours(8)), values.LeadTime);
    }

    [Fact]
    public async Task A_pull_request_of_300_commits_starts_at_its_earliest_commit_even_on_a_later_page()
    {
        // An interactive rebase can leave an early authored commit late in the list: the 250th
        // here, on the third page of the pull request's commits.
        var branch = Enumerable.Range(0, 300)
            .Select(i => ($"big-{i}", i == 249 ? Ago(24 * 6) : Ago(24 * 5).AddMinutes(i)))
            .ToList();
        var (values, changes) = await DeployAsync(repo => repo.Squash(branch, opened: Ago(40), merged: Ago(24)));

        Assert.Equal(1, Assert.Single(changes).PullRequest);
        Assert.Equal(new Quantiles(Hours(24 * 6 - 12), Hours(24 * 6 - 12)), values.LeadTime);
    }

    [Fact]
    public async Task After_a_force_push_a_deployment_brings_the_rewritten_commits_back_to_where_the_histories_meet()
    {
        string? a1 = null;
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            repo.Deploy(repo.Push("initial", Ago(24 * 10)), "production", Ago(24 * 9), ("success", Ago(24 * 9)));
            a1 = repo.Push("a1", Ago(72));
            repo.Deploy(repo.Push("a2", Ago(60)), "production", Ago(50), ("success", Ago(50)));
        });
        await host.PollAsync();

        // A day later main is rewritten from the initial commit: a1 amended (its author time kept), then b.
        host.Advance(TimeSpan.FromHours(24));
        var repo = host.GitHub.Repository(Repo);
        var initial = repo.Commits[a1!].Parents[0];
        var amended = repo.Commit("a1-amended", Ago(72), [initial], committed: Ago(-20));
        repo.Head = repo.Commit("b", Ago(-21), [amended]);
        repo.Deploy(repo.Head, "production", Ago(-23), ("success", Ago(-23)));
        await host.PollAsync();
        await host.SettleAsync();

        var changes = await host.QueryAsync<(string Head, double Lead)>(
            """
            SELECT c.head_sha, extract(epoch FROM d.finished_at - c.first_commit_at)::float8 FROM deployment_changes c
            JOIN deployments d ON d.id = c.deployment_id WHERE d.revision = @head ORDER BY 2
            """, new { head = repo.Head });
        Assert.Equal([(repo.Head, Hours(2)), (amended, Hours(95))], changes);
        Assert.False(await host.ScalarAsync<bool>("SELECT is_rollback FROM deployments WHERE revision = @head", new { head = repo.Head }));
    }

    private static async Task<(MetricValues Values, List<ChangeRow> Changes)> DeployAsync(Func<GitHubRepository, object> change)
    {
        await using var host = await GitHubHost.StartAsync(Now, [Repo], arrange: github =>
        {
            var repo = github.Repository(Repo);
            var first = repo.Push("initial", Ago(24 * 10));
            repo.Deploy(first, "production", Ago(24 * 9), ("in_progress", Ago(24 * 9)), ("success", Ago(24 * 9).AddMinutes(5)));
            change(repo);
            repo.Deploy(repo.Head!, "production", Ago(12).AddMinutes(-5), ("in_progress", Ago(12).AddMinutes(-5)), ("success", Ago(12)));
        });

        await host.PollAsync();
        var snapshot = await host.SettleAsync();

        var values = snapshot.Series.Single(s => s.Key is { Scope: "service", Service: "shop", Environment: "production" } && s.Window == "7d").Values;
        var changes = await host.QueryAsync<ChangeRow>(
            """
            SELECT c.pull_request_number AS PullRequest, c.commit_count AS Commits FROM deployment_changes c
            JOIN deployments d ON d.id = c.deployment_id WHERE d.revision = @head AND c.is_first
            """, new { head = host.GitHub.Repository(Repo).Head });
        return (values, changes);
    }

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);

    private static double Hours(double hours) => hours * 3600;

    private sealed record ChangeRow
    {
        public int? PullRequest { get; init; }
        public int Commits { get; init; }
    }
}
