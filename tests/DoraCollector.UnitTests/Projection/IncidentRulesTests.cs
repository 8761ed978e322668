using static DoraCollector.UnitTests.Projection.Scenario;

namespace DoraCollector.UnitTests.Projection;

/// <summary>Incident merging, attribution and what incidents do to deployments (docs/metrics.md, "What is counted").</summary>
public sealed class IncidentRulesTests
{
    [Fact]
    public async Task Overlapping_signals_of_a_service_are_one_incident_from_the_first_start_to_the_last_resolve()
    {
        var s = new Scenario();
        s.Signal(100, 200).Signal(150, 300).Signal(300, 320).Signal(400, 500);

        var incidents = (await s.ProjectAsync()).Incidents;

        Assert.Equal(2, incidents.Count);
        Assert.Equal((At(100), At(320), 3), (incidents[0].StartedAt, incidents[0].ResolvedAt!.Value, incidents[0].Signals.Count));
        Assert.Equal((At(400), At(500)), (incidents[1].StartedAt, incidents[1].ResolvedAt!.Value));
    }

    [Fact]
    public async Task A_configured_gap_merges_a_flapping_alert()
    {
        var s = new Scenario { Rules = DefaultRules() with { IncidentMergeGap = TimeSpan.FromMinutes(5) } };
        s.Signal(100, 110).Signal(114, 120).Signal(130, 140);

        var incidents = (await s.ProjectAsync()).Incidents;

        Assert.Equal([2, 1], incidents.Select(i => i.Signals.Count));
    }

    [Fact]
    public async Task An_open_signal_keeps_its_incident_open_and_swallows_later_overlaps()
    {
        var s = new Scenario();
        s.Signal(100, null).Signal(500, 600);

        var incident = Assert.Single((await s.ProjectAsync()).Incidents);

        Assert.Null(incident.ResolvedAt);
    }

    [Fact]
    public async Task An_incident_is_attributed_to_the_latest_deployment_before_it_within_the_window()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 10).Deploy("c2", 20).Deploy("c2", 25).Signal(60, 90);

        var p = await s.ProjectAsync();

        var incident = p.Incidents.Single();
        Assert.Same(p.Deployments[1], incident.Deployment);
        Assert.Equal("rule", incident.Attribution);
        Assert.Equal("incident", p.Deployments[1].FailureReason);
        Assert.Equal(At(90), p.Deployments[1].RecoveredAt);
        Assert.False(p.Deployments[0].IsFailed);
    }

    [Fact]
    public async Task An_incident_later_than_the_attribution_window_is_nobodys()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0));
        s.Deploy("c1", 10).Signal(10 + (24 * 60) + 1, 2000);

        var p = await s.ProjectAsync();

        Assert.Null(p.Incidents.Single().Deployment);
        Assert.Equal("none", p.Incidents.Single().Attribution);
        Assert.False(p.Deployments.Single().IsFailed);
    }

    [Fact]
    public async Task An_incident_with_no_deployment_before_it_is_kept_and_attributed_to_none()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0));
        s.Signal(5, 8).Deploy("c1", 10);

        var p = await s.ProjectAsync();

        Assert.Null(p.Incidents.Single().Deployment);
        Assert.Equal("production", p.Incidents.Single().Environment);
    }

    [Fact]
    public async Task An_explicit_link_wins_over_the_rule()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 10, id: "build-41").Deploy("c2", 20, id: "build-42").Signal(30, 40, deploymentRef: "build-41");

        var p = await s.ProjectAsync();

        Assert.Same(p.Deployments[0], p.Incidents.Single().Deployment);
        Assert.Equal("explicit", p.Incidents.Single().Attribution);
        Assert.Equal("incident", p.Deployments[0].FailureReason);
        Assert.False(p.Deployments[1].IsFailed);
    }

    [Fact]
    public async Task An_explicit_revision_link_matches_an_abbreviated_sha_even_beyond_the_window()
    {
        var s = new Scenario();
        s.Graph.Commit("1234567890abcdef", At(0)).Commit("fedcba0987654321", At(1), "1234567890abcdef");
        s.Deploy("1234567890abcdef", 10).Deploy("fedcba0987654321", 20).Signal(5000, 5100, revisionRef: "1234567");

        var p = await s.ProjectAsync();

        Assert.Same(p.Deployments[0], p.Incidents.Single().Deployment);
        Assert.Equal("explicit", p.Incidents.Single().Attribution);
    }

    [Fact]
    public async Task An_incident_without_environment_is_attributed_among_production_environments()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 10, environment: "prod").Deploy("c2", 20, environment: "staging").Signal(30, 40, environment: null);

        var p = await s.ProjectAsync();

        var incident = p.Incidents.Single();
        Assert.Equal("prod", incident.Environment);
        Assert.Equal("c1", incident.Deployment!.Revision);
    }

    [Fact]
    public async Task The_first_deployment_while_the_previous_ones_incident_is_open_is_rework_and_ends_the_recovery()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1").Commit("c3", At(2), "c2");
        s.Deploy("c1", 10).Deploy("c2", 20).Signal(25, 60).Deploy("c3", 40);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.Equal("incident", d[1].FailureReason);
        Assert.Equal("incident_fix", d[2].ReworkReason);
        Assert.Equal(At(40), d[1].RecoveredAt);
    }

    [Fact]
    public async Task A_failure_whose_incident_is_still_open_and_that_nothing_replaced_is_not_recovered()
    {
        var s = new Scenario();
        s.Graph.Commit("c1", At(0)).Commit("c2", At(1), "c1");
        s.Deploy("c1", 10).Deploy("c2", 20).Signal(25, null);

        var d = (await s.ProjectAsync()).Deployments;

        Assert.True(d[1].IsFailed);
        Assert.Null(d[1].RecoveredAt);
    }
}
