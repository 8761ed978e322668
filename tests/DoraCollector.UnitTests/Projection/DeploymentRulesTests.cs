using static DoraCollector.UnitTests.Projection.Scenario;

namespace DoraCollector.UnitTests.Projection;

/// <summary>Collapse of retried attempts, redeploys, rollbacks and failure verdicts (docs/metrics.md, "What is counted").</summary>
public sealed class DeploymentRulesTests
{
    [Fact]
    public async Task Failed_attempts_then_a_success_of_the_same_revision_are_one_successful_deployment_finishing_at_the_success()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 5).Deploy("c2", 10, success: false).Deploy("c2", 20, success: false).Deploy("c2", 30);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(2, d.Count);
        var c2 = d[1];
        Assert.True(c2.Succeeded);
        Assert.Equal(At(30), c2.FinishedAt);
        Assert.Equal(3, c2.Attempts.Count);
        Assert.False(c2.IsFailed);
        Assert.Same(d[0], c2.Previous);
    }

    [Fact]
    public async Task A_failed_rollout_then_a_fix_is_a_failed_deployment_recovered_when_the_fix_goes_live()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("c3", At(2), "c2");
        s.Deploy("c1", 5).Deploy("c2", 10, success: false).Deploy("c3", 25);

        var d = (await s.ProjectAsync()).Deployments;

        var broken = d[1];
        Assert.False(broken.Succeeded);
        Assert.True(broken.IsFailed);
        Assert.Equal("outcome", broken.FailureReason);
        Assert.Equal(At(25), broken.RecoveredAt);
        Assert.False(d[2].IsFailed);
        Assert.Same(d[0], d[2].Previous);
    }

    [Fact]
    public async Task A_redeploy_of_the_live_revision_is_stored_not_counted_and_leaves_the_live_finish_alone()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0));
        s.Deploy("c1", 10).Deploy("c1", 20).Deploy("c1", 30, success: false);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count);
        Assert.False(d[0].IsRedeploy);
        Assert.Equal(At(10), d[0].FinishedAt);
        Assert.All(d.Skip(1), r => Assert.True(r.IsRedeploy));
        Assert.All(d.Skip(1), r => Assert.Same(d[0], r.LiveDeployment));
        Assert.All(d.Skip(1), r => Assert.False(r.IsFailed));
        Assert.Empty(d[1].Changes);
    }

    [Fact]
    public async Task Rolling_back_to_an_ancestor_is_a_rollback_that_fails_the_deployment_it_replaces()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 10).Deploy("c2", 20).Deploy("c1", 30);

        var d = (await s.ProjectAsync()).Deployments;

        var (first, bad, rollback) = (d[0], d[1], d[2]);
        Assert.True(rollback.IsRollback);
        Assert.False(rollback.IsRedeploy);
        Assert.True(bad.IsFailed);
        Assert.Equal("rolled_back", bad.FailureReason);
        Assert.Same(rollback, bad.RolledBackBy);
        Assert.Equal(At(30), bad.RecoveredAt);
        Assert.True(rollback.IsRework);
        Assert.Equal("rollback", rollback.ReworkReason);
        Assert.Empty(rollback.Changes);
        Assert.False(first.IsFailed);
    }

    [Fact]
    public async Task Returning_to_an_earlier_revision_without_graph_data_is_a_rollback_but_rolling_forward_again_is_not()
    {
        var s = new Scenario();
        s.Deploy("aaaaaaa1", 10).Deploy("bbbbbbb2", 20).Deploy("aaaaaaa1", 30).Deploy("bbbbbbb2", 40);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal([false, false, true, false], d.Select(x => x.IsRollback));
        Assert.Equal([false, true, false, false], d.Select(x => x.IsFailed));
    }

    [Fact]
    public async Task The_source_saying_rollback_is_enough()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("c3", At(2), "c2");
        s.Deploy("c1", 10).Deploy("c3", 20).Deploy("c2", 30, rollbackHint: true);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.True(d[2].IsRollback);
        Assert.Equal("rolled_back", d[1].FailureReason);
    }

    [Fact]
    public async Task A_retried_failure_does_not_collapse_across_another_revision()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("c3", At(2), "c2");
        s.Deploy("c1", 5).Deploy("c2", 10, success: false).Deploy("c3", 20).Deploy("c2", 30);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(4, d.Count);
        Assert.False(d[1].Succeeded);
        Assert.True(d[3].Succeeded);
        Assert.True(d[3].IsRollback); // c2 is an ancestor of the live c3
    }

    [Fact]
    public async Task The_next_deployment_bringing_a_hotfix_fails_the_one_before_and_is_rework()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("h1", At(2), "c2").Commit("m3", At(3), "c2", "h1")
            .PullRequest(7, At(2), At(3), "m3", ["h1"], "Fix checkout crash", "hotfix");
        s.Deploy("c1", 10).Deploy("c2", 20).Deploy("m3", 30);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal("hotfix", d[1].FailureReason);
        Assert.Equal(At(30), d[1].RecoveredAt);
        Assert.Equal("hotfix", d[2].ReworkReason);
        Assert.True(d[2].Changes.Single().IsHotfix);
    }

    [Fact]
    public async Task A_revert_commit_fails_the_deployment_before_it_and_is_rework()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").CommitWithMessage("r3", At(2), "Revert \"Add cache\"", "c2");
        s.Deploy("c1", 10).Deploy("c2", 20).Deploy("r3", 30);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal("revert", d[1].FailureReason);
        Assert.Equal("revert", d[2].ReworkReason);
        Assert.False(d[0].IsFailed);
    }

    [Fact]
    public async Task Each_environment_is_its_own_stream()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 5, environment: "staging").Deploy("c1", 6).Deploy("c2", 10, environment: "staging").Deploy("c2", 20);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.All(d, x => Assert.False(x.IsRedeploy));
        var production = d.Where(x => x.Environment == "production").ToList();
        Assert.Equal("commit:c2", production[1].Changes.Single().Change.Key);
        Assert.True(production[1].Changes.Single().IsFirst);
        Assert.True(d.Single(x => x.Environment == "staging" && x.Revision == "c2").Changes.Single().IsFirst);
    }
}
