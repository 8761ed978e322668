using DoraCollector.Metrics;
using static DoraCollector.UnitTests.Projection.Scenario;

namespace DoraCollector.UnitTests.Projection;

/// <summary>
/// One revision reaching one environment is one deployment, however many clusters run it; each
/// cluster has its own stream for redeploys, retries and rollbacks (docs/metrics.md, "Clusters").
/// Clusters eu, us and ap; times are minutes from <see cref="T0"/>.
/// </summary>
public sealed class ClusterRulesTests
{
    [Fact]
    public async Task A_revision_rolled_out_to_three_clusters_is_one_deployment_live_at_the_first_success()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60)).Commit("c2", At(50), "c1");
        Everywhere(s, "c1", 0);
        Everywhere(s, "c2", 100);
        s.Deploy("c2", 140, cluster: "eu");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count);
        var (first, second, redeploy) = (d[0], d[1], d[2]);
        Assert.Equal(new[] { "eu", "us", "ap" }, second.Runs.Select(r => r.Cluster));
        Assert.Equal(3, second.Attempts.Count);
        Assert.Equal(At(100), second.FinishedAt);
        Assert.Same(first, second.Previous);
        Assert.All(d.Take(2), x => Assert.False(x.IsRollback || x.IsFailed || x.IsRedeploy));
        Assert.True(redeploy.IsRedeploy);
        Assert.Same(second, redeploy.LiveDeployment);
        Assert.Equal(2, d.Count(x => x.IsLive));
    }

    [Fact]
    public async Task A_lagging_cluster_catching_up_is_neither_a_deployment_nor_a_rollback()
    {
        // ap still runs c1 when eu and us move to c3; it then gets c2, then c3.
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60)).Commit("c2", At(50), "c1").Commit("c3", At(150), "c2");
        Everywhere(s, "c1", 0);
        s.Deploy("c2", 100, cluster: "eu").Deploy("c2", 110, cluster: "us")
            .Deploy("c3", 200, cluster: "eu").Deploy("c3", 210, cluster: "us")
            .Deploy("c2", 220, cluster: "ap").Deploy("c3", 230, cluster: "ap");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(new[] { "c1", "c2", "c3" }, d.Select(x => x.Revision));
        Assert.Equal(new[] { At(0), At(100), At(200) }, d.Select(x => x.FinishedAt));
        Assert.Equal(new[] { "eu", "us", "ap" }, d[1].Runs.Select(r => r.Cluster));
        Assert.All(d, x => Assert.False(x.IsRollback || x.IsFailed || x.IsRedeploy));
        Assert.Same(d[1], d[2].Previous);
    }

    [Fact]
    public async Task A_rollback_on_one_cluster_only_fails_the_deployment_it_replaced_and_names_the_cluster()
    {
        // ap goes back from c2 to c1 at 200; us follows at 210: one rollback deployment, live at 200.
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60)).Commit("c2", At(50), "c1");
        Everywhere(s, "c1", 0);
        Everywhere(s, "c2", 100);
        s.Deploy("c1", 200, cluster: "ap").Deploy("c1", 210, cluster: "us");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count);
        var (bad, rollback) = (d[1], d[2]);
        Assert.True(rollback.IsRollback);
        Assert.Equal(new[] { "ap", "us" }, rollback.Runs.Select(r => r.Cluster));
        Assert.Equal(At(200), rollback.FinishedAt);
        Assert.Equal("rollback", rollback.ReworkReason);
        Assert.True(bad.IsFailed);
        Assert.Equal("rolled_back", bad.FailureReason);
        Assert.Equal("ap", bad.FailureCluster);
        Assert.Same(rollback, bad.RolledBackBy);
        Assert.Equal(At(200), bad.RecoveredAt);
        Assert.False(d[0].IsFailed);
        // Change failure rate: d2 of d1, d2, d3 = 1/3.
        Assert.Equal(1, d.Count(x => x.IsFailed));
        Assert.Equal(3, d.Count(x => x.IsLive));
    }

    [Fact]
    public async Task A_revision_that_fails_on_one_cluster_of_three_is_a_failed_deployment_that_went_live()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60)).Commit("c2", At(50), "c1").Commit("c3", At(150), "c2");
        Everywhere(s, "c1", 0);
        s.Deploy("c2", 100, cluster: "eu").Deploy("c2", 110, cluster: "us").Deploy("c2", 125, success: false, cluster: "ap");
        Everywhere(s, "c3", 200);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(3, d.Count);
        var failed = d[1];
        Assert.True(failed.Succeeded);
        Assert.Equal(At(100), failed.FinishedAt);
        Assert.True(failed.IsFailed);
        Assert.Equal("outcome", failed.FailureReason);
        Assert.Equal("ap", failed.FailureCluster);
        Assert.Equal(At(200), failed.RecoveredAt);
        Assert.False(d[2].IsFailed);
        Assert.False(d[2].IsRollback);
    }

    [Fact]
    public async Task Retries_collapse_within_each_cluster()
    {
        // c2: eu fails at 100 and succeeds at 104; us succeeds at 102; ap fails at 125, succeeds at 130.
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60)).Commit("c2", At(50), "c1");
        Everywhere(s, "c1", 0);
        s.Deploy("c2", 100, success: false, cluster: "eu").Deploy("c2", 102, cluster: "us").Deploy("c2", 104, cluster: "eu")
            .Deploy("c2", 125, success: false, cluster: "ap").Deploy("c2", 130, cluster: "ap");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(2, d.Count);
        var c2 = d[1];
        Assert.Equal(new[] { "eu", "us", "ap" }, c2.Runs.Select(r => r.Cluster));
        Assert.Equal(new[] { 2, 1, 2 }, c2.Runs.Select(r => r.Attempts.Count));
        Assert.Equal(5, c2.Attempts.Count);
        Assert.Equal("test:a4", c2.Key);
        Assert.Equal(At(102), c2.FinishedAt);
        Assert.False(c2.IsFailed);
    }

    [Fact]
    public async Task The_last_cluster_rule_moves_live_and_lead_time_to_the_last_cluster_within_the_rollout_window()
    {
        // c1 authored 60 minutes before eu has it; us at 10, ap at 25; dr gets it 2000 minutes
        // later, outside the 24h rollout window, so it is not waited for.
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60));
        Everywhere(s, "c1", 0);
        s.Deploy("c1", 2000, cluster: "dr");

        var first = (await s.ProjectAsync()).Deployments.Single();
        s.Rules = DefaultRules() with { MultiClusterLive = MultiClusterLive.LastCluster };
        var last = (await s.ProjectAsync()).Deployments.Single();

        Assert.Equal(At(0), first.FinishedAt);
        Assert.Equal(TimeSpan.FromMinutes(60), first.FinishedAt - first.Changes.Single().Change.FirstCommitAt);
        Assert.Equal(At(25), last.FinishedAt);
        Assert.Equal(TimeSpan.FromMinutes(85), last.FinishedAt - last.Changes.Single().Change.FirstCommitAt);
    }

    [Fact]
    public async Task An_incident_with_a_cluster_label_is_attributed_within_that_clusters_stream_first()
    {
        // ap lags: it still runs c1 when eu and us run c2. Incidents at 200 on ap, on eu and unlabelled.
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60)).Commit("c2", At(50), "c1");
        Everywhere(s, "c1", 0);
        s.Deploy("c2", 100, cluster: "eu").Deploy("c2", 110, cluster: "us").Deploy("c2", 300, cluster: "ap");
        s.Signal(200, 210, cluster: "ap").Signal(400, 410, cluster: "eu").Signal(500, 510);

        var p = await s.ProjectAsync();

        var (c1, c2) = (p.Deployments[0], p.Deployments[1]);
        var (onAp, onEu, unlabelled) = (p.Incidents[0], p.Incidents[1], p.Incidents[2]);
        Assert.Same(c1, onAp.Deployment);
        Assert.Equal("ap", onAp.Cluster);
        Assert.Same(c2, onEu.Deployment);
        Assert.Same(c2, unlabelled.Deployment);
        Assert.Null(unlabelled.Cluster);
        Assert.Equal("incident", c1.FailureReason);
        Assert.Equal("ap", c1.FailureCluster);
        Assert.Equal("incident", c2.FailureReason);
        Assert.Equal("eu", c2.FailureCluster);
    }

    [Fact]
    public async Task An_incident_on_a_cluster_without_a_deployment_in_the_window_falls_back_to_the_environment()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(-60));
        s.Deploy("c1", 0, cluster: "eu").Deploy("c1", 10, cluster: "us");
        s.Signal(100, 110, cluster: "ap");

        var p = await s.ProjectAsync();

        Assert.Same(p.Deployments[0], p.Incidents[0].Deployment);
        Assert.Equal("rule", p.Incidents[0].Attribution);
    }

    [Fact]
    public async Task Eight_revisions_on_three_lagging_clusters_are_eight_deployments_eight_sevenths_a_day()
    {
        // One revision every 20 hours on eu; us 10 minutes later, ap 25 minutes later, except that
        // ap gets r3 only after eu and us run r4 (r3 at 3620, r4 at 3625).
        var s = new Scenario();
        for (var k = 1; k <= 8; k++)
        {
            s.Graph.Commit($"r{k}", At(((k - 1) * 1200) - 60), k == 1 ? Array.Empty<string>() : new[] { $"r{k - 1}" });
        }

        for (var k = 1; k <= 8; k++)
        {
            var t = (k - 1) * 1200;
            s.Deploy($"r{k}", t, cluster: "eu").Deploy($"r{k}", t + 10, cluster: "us");
            if (k != 3)
            {
                s.Deploy($"r{k}", k == 4 ? 3625 : t + 25, cluster: "ap");
            }
        }

        s.Deploy("r3", 3620, cluster: "ap");

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal(8, d.Count);
        Assert.All(d, x => Assert.Equal(3, x.Runs.Count));
        Assert.All(d, x => Assert.False(x.IsRollback || x.IsFailed || x.IsRedeploy));
        Assert.Equal(Enumerable.Range(0, 8).Select(k => At(k * 1200)), d.Select(x => x.FinishedAt));

        // Deployment frequency over the 7 days from an hour before T0: 8 live deployments ÷ 7 days.
        var week = new MetricWindow("7d", T0.AddHours(-1), T0.AddHours(-1).AddDays(7));
        var facts = new MetricFacts(
            [new ServiceInfo(1, "checkout", null)],
            d.Select(x => new DeploymentFact
            {
                ServiceId = 1, Environment = x.Environment, FinishedAt = x.FinishedAt, Succeeded = x.Succeeded,
                IsRedeploy = x.IsRedeploy, IsFailed = x.IsFailed, IsRework = x.IsRework,
            }).ToList(), [], []);
        var series = new DoraCalculator(new MetricsOptions()).Compute(facts, [week], [])
            .Single(v => v.Key.Scope == SeriesKey.ServiceScope);
        Assert.Equal(8.0 / 7, series.Values.DeploymentFrequencyPerDay, 12);
        Assert.Equal(0.0, series.Values.ChangeFailureRate!.Value, 12);
    }

    // eu at t, us 10 minutes later, ap 25 minutes later.
    private static void Everywhere(Scenario s, string revision, double t) =>
        s.Deploy(revision, t, cluster: "eu").Deploy(revision, t + 10, cluster: "us").Deploy(revision, t + 25, cluster: "ap");
}
