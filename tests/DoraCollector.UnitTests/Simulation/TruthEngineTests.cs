using DoraCollector.Simulator;
using DoraCollector.Simulator.Truth;
using static DoraCollector.UnitTests.Simulation.TimelineBuilder;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>The simulator's own computation of the expected values, on timelines small enough to check by hand.</summary>
public sealed class TruthEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Ago(double hours) => Now.AddHours(-hours);

    [Fact]
    public void The_worked_example_of_the_metrics_page_gives_its_numbers()
    {
        // d1: c1 (PR #1) live 3 days ago; i1 one to two hours later, linked by revision. d2: c2 fails
        // to roll out 2 days ago; d3: c2 live 30 minutes later (direct commit authored 4h30m before).
        // d4: c3 (PR #2, hotfix) live 20 hours ago.
        var d1 = Ago(72);
        var d3 = Ago(47.5);
        var d4 = Ago(20);
        var timeline = new TimelineBuilder()
            .Service("checkout", "payments")
            .Commit("r0", d1.AddDays(-1), [])
            .Squash(1, "c1", "r0", [("b1", d1.AddHours(-2))], d1.AddMinutes(-90), d1.AddHours(-1))
            .Commit("c2", d3.AddMinutes(-270), ["c1"])
            .Squash(2, "c3", "c2", [("b2", d4.AddHours(-1))], d4.AddMinutes(-50), d4.AddMinutes(-10), labels: ["hotfix"])
            .Attempt("checkout", "c1", d1)
            .Attempt("checkout", "c2", Ago(48), succeeded: false)
            .Attempt("checkout", "c2", d3)
            .Attempt("checkout", "c3", d4)
            .Alert("i1", d1.AddHours(1), d1.AddHours(2), revision: "c1")
            .Timeline;

        var expected = TruthMetrics.Compute(timeline, Now);

        var week = expected.Find("service", "checkout", "payments", "production", "7d")!;
        Assert.Equal(3 / 7.0, week.DeploymentFrequencyPerDay);
        Assert.Equal(3 / 7.0, week.DeploymentDaysRatio);
        Assert.Equal(new ExpectedQuantiles(7200, 14400), week.LeadTimeForChanges);
        Assert.Equal(new ExpectedQuantiles(1200, 1680), week.LeadTimeCoding);
        Assert.Equal(new ExpectedQuantiles(2100, 2340), week.LeadTimeReview);
        Assert.Equal(new ExpectedQuantiles(2100, 3300), week.LeadTimeDeploy);
        Assert.Equal(2 / 3.0, week.ChangeFailureRate);
        Assert.Equal(new ExpectedQuantiles(3600, 3600), week.TimeToRestore);
        Assert.Equal(53100, week.FailedDeploymentRecoveryTime!.P50);
        Assert.Equal(1 / 3.0, week.ReworkRate);
        Assert.Equal(new ExpectedDeploymentCounts(1, 2, 0, 0), week.Deployments);
        Assert.Equal(3, week.Changes);
        Assert.Equal(new ExpectedIncidentCounts(0, 1), week.Incidents);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["deploymentFrequency"] = "high", ["leadTimeForChanges"] = "elite", ["changeFailureRate"] = "low", ["timeToRestore"] = "high",
                ["failedDeploymentRecoveryTime"] = "high",
            },
            week.Levels);

        // The team and the organisation are the same union here; the totals count since records began.
        var team = expected.Find("team", null, "payments", "production", "7d")!;
        Assert.Equal((week.LeadTimeForChanges, week.ChangeFailureRate, week.FailedDeploymentRecoveryTime, week.Deployments),
            (team.LeadTimeForChanges, team.ChangeFailureRate, team.FailedDeploymentRecoveryTime, team.Deployments));
        Assert.Equal(new ExpectedDeploymentCounts(1, 2, 0, 0), expected.Totals.Single(t => t.Scope == "organization").Deployments);
    }

    [Fact]
    public void A_return_to_an_ancestor_is_a_rollback_that_fails_what_it_replaced_and_a_resync_of_the_live_revision_is_a_redeploy()
    {
        var timeline = new TimelineBuilder()
            .Service("checkout", "payments")
            .Commit("c1", Ago(50), [])
            .Commit("c2", Ago(40), ["c1"])
            .Commit("c3", Ago(30), ["c2"])
            .Attempt("checkout", "c1", Ago(48))
            .Attempt("checkout", "c2", Ago(36))
            .Attempt("checkout", "c2", Ago(35))
            .Attempt("checkout", "c1", Ago(34))
            .Attempt("checkout", "c3", Ago(20))
            .Timeline;

        var projection = TruthEngine.Project(timeline, Now, TruthRules.Default);

        Assert.Equal(
            ["c1 success", "c2 failed:rolled_back", "c2 redeploy", "c1 success rollback rework:rollback", "c3 success"],
            projection.Deployments.Select(d => $"{d.Revision.TrimEnd('0')} {d.Outcome}{(d.IsRollback ? " rollback" : "")}" +
                $"{(d.FailureReason is { } f && d.Outcome == "failed" ? $":{f}" : "")}{(d.ReworkReason is { } r ? $" rework:{r}" : "")}"));
        // Rolling forward again brings c2 a second time, which counts only once: c3 alone is new.
        Assert.Equal(["commit:" + Sha("c3")], projection.Deployments[^1].Changes.Where(c => c.IsFirst).Select(c => c.Key));
        Assert.Equal(Ago(34), projection.Deployments[1].RecoveredAt);
    }

    [Fact]
    public void Overlapping_alerts_merge_flapping_ones_do_not_and_alerts_of_no_known_service_or_not_critical_are_set_apart()
    {
        var timeline = new TimelineBuilder()
            .Service("checkout", "payments", null, "checkout-api")
            .Commit("c1", Ago(50), [])
            .Attempt("checkout", "c1", Ago(10))
            .Alert("a", Ago(9), Ago(8))
            .Alert("b", Ago(8.5), Ago(7), service: "checkout-api", label: "app")
            .Alert("f", Ago(5), Ago(4.9))
            .Alert("f", Ago(4.8), Ago(4.7))
            .Alert("w", Ago(3), Ago(2), severity: "warning")
            .Alert("x", Ago(3), null, service: "legacy-billing")
            .Alert("y", Ago(60 * 24), Ago(59 * 24), service: "legacy-billing")
            .Alert("z", Ago(100 * 24), Ago(95 * 24), service: "legacy-billing")
            .Timeline;

        var projection = TruthEngine.Project(timeline, Now, TruthRules.Default);
        var expected = TruthMetrics.Measure(projection, TruthRules.Default);

        Assert.Equal([2, 1, 1], projection.Incidents.Select(i => i.Signals.Count));
        Assert.Equal(Ago(7), projection.Incidents[0].ResolvedAt);
        Assert.All(projection.Incidents, i => Assert.Same(projection.Deployments[0], i.Deployment));
        Assert.Equal(3, projection.Unattributed.Count);
        Assert.Equal(2, expected.DataQuality.UnattributedIncidents);
        var day = expected.Find("service", "checkout", "payments", "production", "7d")!;
        Assert.Equal(new ExpectedIncidentCounts(0, 3), day.Incidents);
        Assert.Equal(new ExpectedQuantiles(360, 5832), day.TimeToRestore);
    }

    [Fact]
    public void An_incident_beyond_the_attribution_window_blames_no_deployment_unless_its_revision_links_one()
    {
        var timeline = new TimelineBuilder()
            .Service("checkout", "payments")
            .Commit("c1", Ago(100), [])
            .Attempt("checkout", "c1", Ago(48))
            .Alert("late", Ago(23.9), Ago(23))
            .Alert("linked", Ago(10), Ago(9), revision: "c1")
            .Timeline;

        var projection = TruthEngine.Project(timeline, Now, TruthRules.Default);

        Assert.Null(projection.Incidents[0].Deployment);
        Assert.Same(projection.Deployments[0], projection.Incidents[1].Deployment);
        Assert.Equal("incident", projection.Deployments[0].FailureReason);
        Assert.Equal(Ago(9), projection.Deployments[0].RecoveredAt);
    }

    [Fact]
    public void A_monorepo_service_counts_the_changes_touching_its_folder_except_its_first_deployment_which_brings_the_head()
    {
        var timeline = new TimelineBuilder()
            .Service("checkout", "payments", "services/checkout")
            .Service("catalog", "storefront", "services/catalog")
            .Commit("c1", Ago(50), [], files: ["services/catalog/main.go"])
            .Commit("c2", Ago(40), ["c1"], files: ["services/checkout/main.go"])
            .Commit("c3", Ago(30), ["c2"], files: ["services/catalog/api.go"])
            .Commit("c4", Ago(20), ["c3"], files: ["services/checkout/api.go", "libs/common/log.go"])
            .Commit("c5", Ago(15), ["c4"], files: ["README.md"])
            .Attempt("checkout", "c1", Ago(45))
            .Attempt("checkout", "c5", Ago(10))
            .Timeline;

        var projection = TruthEngine.Project(timeline, Now, TruthRules.Default);

        Assert.Equal(["commit:" + Sha("c1")], projection.Deployments[0].Changes.Select(c => c.Key));
        Assert.Equal(["commit:" + Sha("c2"), "commit:" + Sha("c4")], projection.Deployments[1].Changes.Select(c => c.Key).Order());
    }

    [Fact]
    public void A_merge_commit_pull_request_brings_its_branch_commits_as_one_change_from_its_first_commit()
    {
        var merged = Ago(20);
        var builder = new TimelineBuilder()
            .Service("checkout", "payments")
            .Commit("c1", Ago(100), [])
            .Commit("b1", Ago(60), ["c1"], pullRequest: 7)
            .Commit("b2", Ago(40), ["b1"], pullRequest: 7)
            .Commit("c2", Ago(30), ["c1"])
            .Commit("m7", merged, ["c2", "b2"], "Merge pull request #7 from acme/feature-7", files: [], pullRequest: 7)
            .Attempt("checkout", "c1", Ago(90))
            .Attempt("checkout", "m7", Ago(10));
        builder.Timeline.Repository(Repository).Add(new PullRequestFact(7, "Add retries", Ago(50), merged, Sha("m7"), [Sha("b1"), Sha("b2")], []));

        var changes = TruthEngine.Project(builder.Timeline, Now, TruthRules.Default).Deployments[1].Changes;

        Assert.Equal([("commit:" + Sha("c2"), Ago(30)), ($"pr:{Repository}:7", Ago(60))], changes.Select(c => (c.Key, c.FirstCommitAt)).OrderBy(c => c.Key));
    }

    [Fact]
    public void Team_and_organisation_medians_are_over_the_union_of_their_services_changes()
    {
        var timeline = new TimelineBuilder()
            .Service("checkout", "payments")
            .Service("billing", "payments")
            .Commit("c1", Ago(30), [])
            .Commit("c2", Ago(14), ["c1"])
            .Commit("c3", Ago(13), ["c2"])
            .Attempt("checkout", "c1", Ago(29))
            .Attempt("billing", "c1", Ago(28))
            .Attempt("checkout", "c2", Ago(12))
            .Attempt("billing", "c3", Ago(11))
            .Timeline;

        var expected = TruthMetrics.Compute(timeline, Now);

        // checkout: c1 1h, c2 2h; billing: c1 2h, then c2 3h and c3 2h.
        Assert.Equal(new ExpectedQuantiles(5400, 6840), expected.Find("service", "checkout", "payments", "production", "7d")!.LeadTimeForChanges);
        Assert.Equal(new ExpectedQuantiles(7200, 10080), expected.Find("service", "billing", "payments", "production", "7d")!.LeadTimeForChanges);
        Assert.Equal(new ExpectedQuantiles(7200, 9360), expected.Find("team", null, "payments", "production", "7d")!.LeadTimeForChanges);
        Assert.Equal(5, expected.Find("organization", null, null, "production", "7d")!.Changes);
    }
}
