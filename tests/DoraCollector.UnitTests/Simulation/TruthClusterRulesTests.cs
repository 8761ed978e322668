using DoraCollector.Simulator;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>The truth engine's own rules for an environment on several clusters: the worked examples of docs/metrics.md, "Clusters".</summary>
public sealed class TruthClusterRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // Minutes after the first rollout, which is 5 days ago.
    private static DateTimeOffset At(double minutes) => Now.AddDays(-5).AddMinutes(minutes);

    private static TimelineBuilder Builder() => new TimelineBuilder()
        .Service("checkout", "payments")
        .Commit("r1", At(-600), [])
        .Commit("r2", At(-300), ["r1"])
        .Commit("r3", At(-200), ["r2"]);

    private static List<TruthDeployment> Deployments(TimelineBuilder builder) =>
        TruthEngine.Project(builder.Timeline, Now, TruthRules.Default).Deployments.Where(d => d.Environment == "production").ToList();

    private static ExpectedSeries Week(TimelineBuilder builder) =>
        TruthMetrics.Compute(builder.Timeline, Now).Find("service", "checkout", "payments", "production", "7d")!;

    [Fact]
    public void One_revision_on_three_clusters_is_one_deployment_live_at_the_first_clusters_success()
    {
        var builder = Builder()
            .Attempt("checkout", "r1", At(0), cluster: "eu").Attempt("checkout", "r1", At(10), cluster: "us").Attempt("checkout", "r1", At(25), cluster: "ap");

        var deployment = Assert.Single(Deployments(builder));
        Assert.Equal(At(0), deployment.FinishedAt);
        Assert.Equal("success", deployment.Outcome);
        Assert.Equal(3, deployment.Attempts.Count);
        Assert.Equal(1 / 7.0, Week(builder).DeploymentFrequencyPerDay);
    }

    [Fact]
    public void A_cluster_catching_up_is_neither_a_deployment_nor_a_rollback()
    {
        var builder = Builder()
            .Attempt("checkout", "r1", At(0), cluster: "eu").Attempt("checkout", "r1", At(10), cluster: "us").Attempt("checkout", "r1", At(25), cluster: "ap")
            .Attempt("checkout", "r2", At(100), cluster: "eu").Attempt("checkout", "r2", At(110), cluster: "us")
            .Attempt("checkout", "r3", At(150), cluster: "eu").Attempt("checkout", "r3", At(160), cluster: "us")
            .Attempt("checkout", "r2", At(220), cluster: "ap").Attempt("checkout", "r3", At(230), cluster: "ap");

        var deployments = Deployments(builder);
        Assert.Equal(["success", "success", "success"], deployments.Select(d => d.Outcome));
        Assert.Equal([At(0), At(100), At(150)], deployments.Select(d => d.FinishedAt));
        Assert.DoesNotContain(deployments, d => d.IsRollback);
        var week = Week(builder);
        Assert.Equal(3 / 7.0, week.DeploymentFrequencyPerDay);
        Assert.Equal(0, week.ChangeFailureRate);
    }

    [Fact]
    public void A_cluster_moving_back_rolls_back_and_fails_what_it_ran_and_the_others_join_that_rollback()
    {
        var builder = Builder()
            .Attempt("checkout", "r1", At(0), cluster: "eu").Attempt("checkout", "r1", At(10), cluster: "us").Attempt("checkout", "r1", At(25), cluster: "ap")
            .Attempt("checkout", "r2", At(100), cluster: "eu").Attempt("checkout", "r2", At(110), cluster: "us")
            .Attempt("checkout", "r2", At(125), cluster: "ap")
            .Attempt("checkout", "r1", At(200), cluster: "ap").Attempt("checkout", "r1", At(210), cluster: "us");

        var deployments = Deployments(builder);
        Assert.Equal(["success", "failed", "success"], deployments.Select(d => d.Outcome));
        Assert.Equal("rolled_back", deployments[1].FailureReason);
        Assert.True(deployments[2].IsRollback);
        Assert.Equal(At(200), deployments[2].FinishedAt);
        Assert.Equal(2, deployments[2].Attempts.Count);
        var week = Week(builder);
        Assert.Equal(1 / 3.0, week.ChangeFailureRate);
        Assert.Equal(1 / 3.0, week.ReworkRate);
        // r2 recovered when r1 went live again, 100 minutes after it.
        Assert.Equal(6000, week.FailedDeploymentRecoveryTime!.P50);
    }

    [Fact]
    public void A_rollout_failing_on_one_cluster_of_three_fails_the_deployment_and_a_retry_there_does_not()
    {
        var failing = Builder()
            .Attempt("checkout", "r1", At(0), cluster: "eu").Attempt("checkout", "r1", At(10), cluster: "us").Attempt("checkout", "r1", At(25), cluster: "ap")
            .Attempt("checkout", "r2", At(100), cluster: "eu").Attempt("checkout", "r2", At(110), cluster: "us")
            .Attempt("checkout", "r2", At(125), succeeded: false, cluster: "ap");
        var retried = Builder()
            .Attempt("checkout", "r1", At(0), cluster: "eu").Attempt("checkout", "r1", At(10), cluster: "us")
            .Attempt("checkout", "r2", At(100), succeeded: false, cluster: "eu").Attempt("checkout", "r2", At(102), cluster: "us")
            .Attempt("checkout", "r2", At(104), cluster: "eu");

        var failed = Deployments(failing);
        Assert.Equal(["success", "failed"], failed.Select(d => d.Outcome));
        Assert.Equal(("outcome", "ap", At(100)), (failed[1].FailureReason, failed[1].FailedOnCluster, failed[1].FinishedAt));
        Assert.Equal(0.5, Week(failing).ChangeFailureRate);

        var collapsed = Deployments(retried);
        Assert.Equal(["success", "success"], collapsed.Select(d => d.Outcome));
        Assert.Equal(At(102), collapsed[1].FinishedAt);
        Assert.Equal(0, Week(retried).ChangeFailureRate);
    }

    [Fact]
    public void Eight_revisions_on_three_clusters_with_ap_receiving_revision_3_after_revision_4_elsewhere_are_eight_deployments()
    {
        // One revision every 20 hours from 7 days ago: eu, us 10 minutes later, ap 25 minutes later;
        // ap gets revision 3 only after eu and us run revision 4.
        var start = Now.AddDays(-7).AddHours(1);
        var builder = new TimelineBuilder().Service("checkout", "payments").Commit("r0", start.AddDays(-1), []);
        for (var i = 1; i <= 8; i++)
        {
            builder.Commit($"r{i}", start.AddHours((20 * (i - 1)) - 1), [$"r{i - 1}"]);
        }

        for (var i = 1; i <= 8; i++)
        {
            var at = start.AddHours(20 * (i - 1));
            builder.Attempt("checkout", $"r{i}", at, cluster: "eu").Attempt("checkout", $"r{i}", at.AddMinutes(10), cluster: "us");
            if (i != 3)
            {
                builder.Attempt("checkout", $"r{i}", i == 4 ? at.AddMinutes(40) : at.AddMinutes(25), cluster: "ap");
            }

            if (i == 4)
            {
                builder.Attempt("checkout", "r3", at.AddMinutes(25), cluster: "ap");
            }
        }

        var deployments = Deployments(builder);
        Assert.Equal(8, deployments.Count);
        Assert.All(deployments, d => Assert.Equal("success", d.Outcome));
        var week = Week(builder);
        Assert.Equal(8 / 7.0, week.DeploymentFrequencyPerDay);
        Assert.Equal(0, week.ChangeFailureRate);
    }

    [Fact]
    public void An_incident_naming_a_cluster_is_attributed_within_that_clusters_stream_first()
    {
        // r1 on eu at 0 and us at 10; r2 on eu at 100, us still on r1. Alerts at 120 on us, at 130
        // on eu, at 140 without a cluster, at 150 on ap (no deployment there), and at 160 two
        // overlapping ones on us and eu (they name no one cluster).
        var builder = Builder()
            .Attempt("checkout", "r1", At(0), cluster: "eu").Attempt("checkout", "r1", At(10), cluster: "us")
            .Attempt("checkout", "r2", At(100), cluster: "eu")
            .Alert("a1", At(120), At(125), cluster: "us")
            .Alert("a2", At(130), At(135), cluster: "eu")
            .Alert("a3", At(140), At(145))
            .Alert("a4", At(150), At(155), cluster: "ap")
            .Alert("a5", At(160), At(170), cluster: "us").Alert("a6", At(165), At(175), cluster: "eu");

        var projection = TruthEngine.Project(builder.Timeline, Now, TruthRules.Default);

        Assert.Equal([("us", "r1"), ("eu", "r2"), (null, "r2"), ("ap", "r2"), (null, "r2")],
            projection.Incidents.OrderBy(i => i.StartedAt).Select(i => (i.Cluster, i.Deployment!.Revision[..2])));
        var week = Week(builder);
        // Both deployments failed by an incident: r1 by us's alone.
        Assert.Equal(1.0, week.ChangeFailureRate);
    }
}
