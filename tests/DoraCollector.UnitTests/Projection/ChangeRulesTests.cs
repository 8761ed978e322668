using DoraCollector.Projection;
using static DoraCollector.UnitTests.Projection.Scenario;

namespace DoraCollector.UnitTests.Projection;

/// <summary>What a deployment brings: reachable commits grouped by pull request, first deployment only.</summary>
public sealed class ChangeRulesTests
{
    [Fact]
    public async Task A_squash_merged_pull_request_is_one_change_starting_at_its_first_commit_though_that_commit_never_reached_main()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(0))
            .Commit("p1", At(-300)).Commit("p2", At(-200), "p1")
            .Commit("sq", At(50), "c0")
            .PullRequest(1, At(-250), At(50), "sq", ["p1", "p2"]);
        s.Deploy("c0", 10).Deploy("sq", 60);

        var change = (await s.ProjectAsync()).Deployments[1].Changes.Single();

        Assert.Equal("pr:1:1", change.Change.Key);
        Assert.Equal(At(-300), change.Change.FirstCommitAt);
        Assert.Equal(At(-250), change.Change.OpenedAt);
        Assert.Equal(At(50), change.Change.MergedAt);
        Assert.True(change.IsFirst);
    }

    [Fact]
    public async Task A_pull_request_merged_with_a_merge_commit_is_one_change_of_all_its_commits()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(0)).Commit("b1", At(1), "c0").Commit("b2", At(2), "b1").Commit("b3", At(3), "b2")
            .Commit("c1", At(4), "c0").Commit("m", At(5), "c1", "b3")
            .PullRequest(2, At(2), At(5), "m", ["b1", "b2", "b3"]);
        s.Deploy("c0", 10).Deploy("m", 20);

        var changes = (await s.ProjectAsync()).Deployments[1].Changes.Select(c => c.Change).ToList();

        Assert.Equal(["pr:1:2", "commit:c1"], changes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).Reverse().ToList());
        var pr = changes.Single(c => c.PullRequestNumber == 2);
        Assert.Equal(4, pr.CommitCount);
        Assert.Equal(At(1), pr.FirstCommitAt);
    }

    [Fact]
    public async Task Direct_pushes_are_a_change_each()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(0)).Commit("d1", At(1), "c0").Commit("d2", At(2), "d1");
        s.Deploy("c0", 10).Deploy("d2", 20);

        var changes = (await s.ProjectAsync()).Deployments[1].Changes;

        Assert.Equal(["commit:d1", "commit:d2"], changes.Select(c => c.Change.Key));
        Assert.All(changes, c => Assert.Equal(1, c.Change.CommitCount));
    }

    [Fact]
    public async Task The_first_deployment_ever_seen_brings_only_its_head_change()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(0)).Commit("c1", At(1), "c0").Commit("c2", At(2), "c1");
        s.Deploy("c2", 10);

        var d = (await s.ProjectAsync()).Deployments.Single();

        Assert.Equal(ChangesStates.HeadOnly, d.ChangesState);
        Assert.Equal("commit:c2", d.Changes.Single().Change.Key);
    }

    [Fact]
    public async Task A_change_counts_only_for_the_first_deployment_that_brings_it()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("c3", At(2), "c2");
        s.Deploy("c1", 10).Deploy("c2", 20).Deploy("c1", 30).Deploy("c3", 40);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.True(d[1].Changes.Single(c => c.Change.Key == "commit:c2").IsFirst);
        var forward = d[3].Changes.ToDictionary(c => c.Change.Key, c => c.IsFirst);
        Assert.Equal(new Dictionary<string, bool> { ["commit:c2"] = false, ["commit:c3"] = true }, forward);
    }

    [Fact]
    public async Task Revisions_not_stored_yet_leave_the_changes_pending_never_guessed()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0));
        s.Deploy("c1", 10).Deploy("ffffffffff", 20);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(ChangesStates.Pending, d[1].ChangesState);
        Assert.Empty(d[1].Changes);
    }

    [Fact]
    public async Task Commits_listed_by_the_source_are_the_changes_even_when_none()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("c3", At(2), "c2");
        s.Deploy("c1", 10).Deploy("c3", 20, commits: ["c3"]).Deploy("c3x", 30, commits: []);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(ChangesStates.Explicit, d[1].ChangesState);
        Assert.Equal("commit:c3", d[1].Changes.Single().Change.Key);
        Assert.Equal(ChangesStates.Explicit, d[2].ChangesState);
        Assert.Empty(d[2].Changes);
    }
}
