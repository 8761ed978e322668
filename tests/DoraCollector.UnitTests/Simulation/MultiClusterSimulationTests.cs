using DoraCollector.Simulator;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.Truth;
using Microsoft.Extensions.Time.Testing;
using SimulationRun = DoraCollector.Simulator.Simulation;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>
/// The multi-cluster service of the organisation the end-to-end test plays: production on three
/// clusters by an ApplicationSet, with the situations docs/metrics.md ("Clusters") is about.
/// </summary>
public sealed class MultiClusterSimulationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static SimulationRun Create(int clusterServices = 1) => SimulationRun.Create(new SimulationOptions
    {
        Seed = 7, Days = 30, Teams = 3, Services = 6, MonorepoServices = 2, ClusterServices = clusterServices, Now = Now, Clock = new FakeTimeProvider(Now),
    });

    [Fact]
    public async Task The_other_services_live_the_same_history_with_or_without_the_multi_cluster_service()
    {
        await using var with = Create();
        await using var without = Create(clusterServices: 0);
        var service = Assert.Single(with.World.Organization.Services, s => s.IsMultiCluster && s.Tool == DeployTool.ArgoCd).Name;

        static List<string> Facts(SimulationRun simulation, Func<string, bool> include) =>
            simulation.World.Timeline.Attempts.Where(a => include(a.Service))
                .Select(a => $"{a.Service} {a.Environment} {a.Revision} {a.Succeeded} {a.FinishedAt:O} {a.RollbackHint}")
                // Its own alerts name a cluster now and then: the same alerts, with other fingerprints.
                .Concat(simulation.World.Timeline.Alerts.Select(a => $"{(include(a.Labels.GetValueOrDefault("namespace") ?? "") ? a.Fingerprint : "")} {a.StartsAt:O} {a.EndsAt:O}"))
                .ToList();

        Assert.Equal(Facts(without, s => s != service), Facts(with, s => s != service));
        // The leading cluster rolls out what the single production did.
        Assert.Equal(Facts(without, s => s == service).Count(f => f.Contains(" production ", StringComparison.Ordinal)),
            with.World.Timeline.Attempts.Count(a => a.Service == service && a.Cluster == "eu"));
    }

    [Fact]
    public async Task One_service_rolls_out_to_three_clusters_with_lags_a_far_lagging_cluster_and_a_retried_failure()
    {
        await using var simulation = Create();
        var service = Assert.Single(simulation.World.Organization.Services, s => s.IsMultiCluster && s.Tool == DeployTool.ArgoCd);
        var attempts = simulation.World.Timeline.Attempts.Where(a => a.Service == service.Name && a.Environment == "production").ToList();
        Assert.Equal(["ap", "eu", "us"], attempts.Select(a => a.Cluster!).Distinct().Order(StringComparer.Ordinal));

        var leader = attempts.Where(a => a.Cluster == "eu" && a.Succeeded).ToList();
        DateTimeOffset LiveOn(string cluster, string revision) =>
            attempts.Where(a => a.Cluster == cluster && a.Succeeded && a.Revision == revision).Min(a => a.FinishedAt);

        // Every follower runs what the leader went live with, later.
        foreach (var revision in leader.Where(a => !a.RollbackHint).Select(a => a.Revision).Distinct().SkipLast(1))
        {
            Assert.True(LiveOn("us", revision) > LiveOn("eu", revision));
        }

        // ap receives a revision after eu already runs the next one.
        var revisions = leader.Select(a => a.Revision).Distinct().ToList();
        Assert.Contains(revisions.Zip(revisions.Skip(1)), pair =>
            attempts.Any(a => a.Cluster == "ap" && a.Succeeded && a.Revision == pair.First) && LiveOn("ap", pair.First) > LiveOn("eu", pair.Second));

        // A follower fails a sync and retries it successfully.
        Assert.Contains(attempts.Where(a => a.Cluster != "eu" && !a.Succeeded), failed =>
            attempts.Any(a => a.Cluster == failed.Cluster && a.Revision == failed.Revision && a.Succeeded && a.FinishedAt > failed.FinishedAt));

        // One deployment per revision: the environment's deployments are the leader's, never a follower's attempt.
        var projection = TruthEngine.Project(simulation.World.Timeline, Now, TruthRules.Default);
        var counted = projection.Deployments.Where(d => d.Service == service.Name && d.Environment == "production" && !d.IsRedeploy).ToList();
        var leaderAttempts = attempts.Where(a => a.Cluster == "eu").ToHashSet();
        Assert.All(counted, d => Assert.Contains(d.Attempts[0], leaderAttempts));
        Assert.Contains(counted, d => d.Attempts.Select(a => a.Cluster).Distinct().Count() == 3);
    }

    [Fact]
    public async Task Counting_the_clusters_attempts_as_one_stream_would_count_more_deployments_and_invent_rollbacks()
    {
        await using var simulation = Create();
        var service = Assert.Single(simulation.World.Organization.Services, s => s.IsMultiCluster && s.Tool == DeployTool.ArgoCd);
        var timeline = simulation.World.Timeline;
        var oneStream = new Timeline();
        oneStream.Services.AddRange(timeline.Services);
        foreach (var (name, history) in timeline.Repositories)
        {
            oneStream.Repositories[name] = history;
        }

        oneStream.Attempts.AddRange(timeline.Attempts.Select(a => a with { Cluster = null }));
        oneStream.Alerts.AddRange(timeline.Alerts);

        List<TruthDeployment> Counted(Timeline of) => TruthEngine.Project(of, Now, TruthRules.Default).Deployments
            .Where(d => d.Service == service.Name && d.Environment == "production" && !d.IsRedeploy).ToList();
        var expected = Counted(timeline);
        var naive = Counted(oneStream);

        var revisions = timeline.Attempts.Where(a => a.Service == service.Name && a.Environment == "production" && a.Cluster == "eu")
            .Select(a => a.Revision).Distinct().Count();
        Assert.Equal(revisions, expected.Count);
        Assert.DoesNotContain(expected, d => d.IsRollback);
        Assert.True(naive.Count > expected.Count, $"{naive.Count} against {expected.Count}");
        Assert.Contains(naive, d => d.IsRollback);
    }

    [Fact]
    public async Task The_catalog_names_the_ApplicationSet_and_the_settings_name_the_clusters()
    {
        await using var simulation = Create();
        await simulation.StartAsync();
        var service = Assert.Single(simulation.World.Organization.Services, s => s.IsMultiCluster && s.Tool == DeployTool.ArgoCd);

        Assert.Contains($"argoCdApplications: [argocd/{service.Name}-staging, {service.Name}-production]", simulation.CatalogYaml());
        var settings = simulation.CollectorSettings();
        Assert.Equal("aks-westeurope-prod", settings["Dora:ArgoCd:ClusterNames:0:Destination"]);
        Assert.Equal("eu", settings["Dora:ArgoCd:ClusterNames:0:Name"]);
        Assert.Equal("ap", settings["Dora:ArgoCd:ClusterNames:2:Name"]);
        Assert.Equal(3, simulation.World.ArgoApplications.Count(a => a.Name.StartsWith($"{service.Name}-production-", StringComparison.Ordinal)));
    }
}
