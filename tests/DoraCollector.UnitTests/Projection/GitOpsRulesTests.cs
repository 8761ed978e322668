using DoraCollector.Projection;
using static DoraCollector.UnitTests.Projection.Scenario;

namespace DoraCollector.UnitTests.Projection;

/// <summary>
/// Deployments of a GitOps repository (docs/metrics.md, "GitOps repositories and promotion"): the
/// synced revision is a commit of the manifests' repository; changes, lead time and rollbacks come
/// from the application revision. The service's repository holds c*, the GitOps repository g*.
/// </summary>
public sealed class GitOpsRulesTests
{
    [Fact]
    public async Task The_tag_bump_committed_a_minute_before_the_sync_is_not_the_change_the_application_commit_is()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(-100)).Commit("c1", At(0), "c0");
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(59), "g0");
        s.DeployGitOps("g0", 10, "c0").DeployGitOps("g1", 60, "c1");

        var d = (await s.ProjectAsync()).Deployments;

        var change = d[1].Changes.Single();
        Assert.Equal("commit:c1", change.Change.Key);
        Assert.Equal(At(0), change.Change.FirstCommitAt); // lead time 60 minutes, not the bump's 1
        Assert.True(change.IsFirst);
        Assert.Equal("c0", d[1].ChangesBase);
        Assert.Equal(ChangesStates.Resolved, d[1].ChangesState);
        Assert.Equal(("g1", Scenario.GitOpsRepository), (d[1].Revision, d[1].RepositoryId));
    }

    [Fact]
    public async Task A_configuration_only_change_is_a_redeploy_of_the_application_revision()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(-100)).Commit("c1", At(0), "c0");
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(59), "g0").Commit("g2", At(100), "g1");
        s.DeployGitOps("g0", 10, "c0").DeployGitOps("g1", 60, "c1").DeployGitOps("g2", 120, "c1");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count);
        Assert.True(d[2].IsRedeploy);
        Assert.False(d[2].IsLive);
        Assert.Same(d[1], d[2].LiveDeployment);
        Assert.Empty(d[2].Changes);
        Assert.Equal(2, d.Count(x => x.IsLive));
        Assert.False(d[1].IsFailed);
    }

    [Fact]
    public async Task With_configuration_changes_counted_a_configuration_only_change_is_a_deployment_without_changes()
    {
        var s = new Scenario { Rules = DefaultRules() with { CountConfigurationChanges = true } };
        s.Graph.Commit("c0", At(-100)).Commit("c1", At(0), "c0");
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(59), "g0").Commit("g2", At(100), "g1");
        s.DeployGitOps("g0", 10, "c0").DeployGitOps("g1", 60, "c1").DeployGitOps("g2", 120, "c1");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count(x => x.IsLive));
        Assert.False(d[2].IsRedeploy);
        Assert.False(d[2].IsRollback);
        Assert.Same(d[1], d[2].Previous);
        Assert.Equal(ChangesStates.Resolved, d[2].ChangesState);
        Assert.Equal("c1", d[2].ChangesBase);
        Assert.Empty(d[2].Changes);
        Assert.Equal("commit:c1", d[1].Changes.Single().Change.Key);
    }

    [Fact]
    public async Task Promoted_from_staging_to_production_the_application_revision_is_a_deployment_of_each_with_lead_time_from_its_commits()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(-100)).Commit("c1", At(0), "c0");
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(19), "g0").Commit("g2", At(239), "g1");
        s.DeployGitOps("g0", 10, "c0", environment: "staging").DeployGitOps("g0", 12, "c0")
            .DeployGitOps("g1", 30, "c1", environment: "staging").DeployGitOps("g2", 250, "c1");

        var d = (await s.ProjectAsync()).Deployments;

        var staging = d.Single(x => x.Environment == "staging" && x.Revision == "g1");
        var production = d.Single(x => x.Environment == "production" && x.Revision == "g2");
        Assert.True(staging.IsLive);
        Assert.True(production.IsLive);
        Assert.False(production.IsRedeploy);
        var atStaging = staging.Changes.Single();
        var atProduction = production.Changes.Single();
        Assert.Equal(("commit:c1", true, At(0)), (atStaging.Change.Key, atStaging.IsFirst, atStaging.Change.FirstCommitAt));
        Assert.Equal(("commit:c1", true, At(0)), (atProduction.Change.Key, atProduction.IsFirst, atProduction.Change.FirstCommitAt));
        Assert.Equal(At(30), staging.FinishedAt);    // lead time to staging 30 minutes
        Assert.Equal(At(250), production.FinishedAt); // to production 250 minutes, the bump of g2 at 239 not counted
    }

    [Fact]
    public async Task An_unresolved_deployment_counts_for_frequency_and_failure_but_brings_no_changes()
    {
        var s = new Scenario();
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(59), "g0").Commit("g2", At(70), "g1");
        s.DeployGitOps("g0", 10).DeployGitOps("g1", 60).DeployGitOps("g2", 80, success: false);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.All(d, x => Assert.Equal(ResolutionMethods.Unresolved, x.Resolution));
        Assert.All(d, x => Assert.Null(x.ApplicationRevision));
        Assert.Equal(2, d.Count(x => x.IsLive));
        Assert.All(d, x => Assert.Empty(x.Changes));
        Assert.Equal(ChangesStates.None, d[1].ChangesState);
        Assert.True(d[2].IsFailed);
        Assert.Equal("outcome", d[2].FailureReason);
    }

    [Fact]
    public async Task After_an_unresolved_deployment_the_changes_are_resolved_against_the_last_known_application_revision()
    {
        var s = new Scenario();
        s.Graph.Commit("c0", At(-100)).Commit("c1", At(5), "c0").Commit("c2", At(25), "c1");
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(15), "g0").Commit("g2", At(29), "g1");
        s.DeployGitOps("g0", 10, "c0").DeployGitOps("g1", 20).DeployGitOps("g2", 30, "c2");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(ResolutionMethods.Unresolved, d[1].Resolution);
        Assert.Equal("c0", d[2].ChangesBase);
        Assert.Equal(["commit:c1", "commit:c2"], d[2].Changes.Select(c => c.Change.Key));
    }

    [Fact]
    public async Task A_new_gitops_commit_that_sets_an_older_image_back_is_a_rollback_on_the_application_revision()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(-100)).Commit("c2", At(0), "c1");
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(15), "g0").Commit("g2", At(25), "g1");
        s.DeployGitOps("g0", 10, "c1").DeployGitOps("g1", 20, "c2").DeployGitOps("g2", 30, "c1");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.True(d[2].IsRollback);
        Assert.Same(d[2], d[1].RolledBackBy);
        Assert.True(d[1].IsFailed);
        Assert.Equal("rolled_back", d[1].FailureReason);
        Assert.Empty(d[2].Changes);
    }

    [Fact]
    public async Task With_configuration_changes_counted_going_back_to_an_earlier_configuration_of_the_same_application_revision_is_a_rollback()
    {
        var s = new Scenario { Rules = DefaultRules() with { CountConfigurationChanges = true } };
        s.Graph.Commit("c1", At(-100));
        s.GitOps.Commit("g0", At(-90)).Commit("g1", At(15), "g0");
        s.DeployGitOps("g0", 10, "c1").DeployGitOps("g1", 20, "c1").DeployGitOps("g0", 30, "c1");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count(x => x.IsLive));
        Assert.True(d[2].IsRollback);
        Assert.Equal(("rolled_back", true), (d[1].FailureReason, d[1].IsFailed));
    }
}
