using System.Globalization;
using System.Text.Json;
using DoraCollector.Ingestion;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;
using Npgsql;

namespace DoraCollector.IntegrationTests.Engine;

/// <summary>
/// The whole engine on a real database, fed through the generic API: map, project, compute. The
/// expected numbers are worked out by hand below; times are relative to <see cref="Now"/>.
/// </summary>
public sealed class EngineFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // checkout (team payments), production, repository acme/shop:
    // d1  c1 live at −3d; brings PR #1 (first commit −3d−2h, opened −3d−1h30m, merged −3d−1h): lead 7200
    // d2  c2 rollout failed at −2d; d3 c2 live at −2d+30m: one deployment of two attempts; brings
    //     direct commit c2 (authored −2d−4h): lead 16200
    // d4  c3 live at −20h; brings PR #2 labelled hotfix (first commit −21h, opened −20h50m, merged −20h10m): lead 3600
    // i1  incident −3d+1h → −3d+2h, linked to d1 explicitly
    // So: d1 failed (incident), recovered at i1's resolve (7200 s); d3 failed (the next deployment
    // is a hotfix), recovered when d4 went live (99000 s); d4 is rework (hotfix).
    private static object[] Deployments =>
    [
        Deployment("d1", "c1", "success", Ago(days: 3), [Commit("c1", Ago(days: 3, hours: 2), 1, Ago(days: 3, hours: 1.5), Ago(days: 3, hours: 1))]),
        Deployment("d2", "c2", "failure", Ago(days: 2), [Commit("c2", Ago(days: 2, hours: 4))]),
        Deployment("d3", "c2", "success", Ago(days: 2, hours: -0.5), [Commit("c2", Ago(days: 2, hours: 4))]),
        Deployment("d4", "c3", "success", Ago(hours: 20),
            [Commit("c3", Ago(hours: 21), 2, Ago(hours: 20, minutes: 50), Ago(hours: 20, minutes: 10), "hotfix")]),
    ];

    [Fact]
    public async Task Posted_deployments_and_incidents_become_exactly_the_hand_computed_metrics()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", Deployments);
        await host.IngestAsync("/api/v1/incidents", new
        {
            id = "i1", service = "checkout", environment = "production", title = "checkout 5xx",
            startedAt = Ago(days: 3, hours: -1), resolvedAt = Ago(days: 3, hours: -2), deploymentId = "d1",
        });

        var snapshot = await host.SettleAsync();

        var week = snapshot.Series.Single(s => s.Key is { Scope: "service", Service: "checkout", Environment: "production" } && s.Window == "7d").Values;
        Assert.Equal(3.0 / 7, week.DeploymentFrequencyPerDay, 12);
        Assert.Equal(3.0 / 7, week.DeploymentDaysRatio, 12);             // slots 3 (d1), 1 (d3), 0 (d4)
        Assert.Equal(new DeploymentCounts(1, 2, 0, 0), week.Deployments);
        Assert.Equal(2.0 / 3, week.ChangeFailureRate!.Value, 12);
        Assert.Equal(new Quantiles(7200, 14_400), week.LeadTime);        // 3600, 7200, 16200
        Assert.Equal(new Quantiles(1200, 1680), week.LeadTimeCoding);    // 600, 1800
        Assert.Equal(new Quantiles(2100, 2340), week.LeadTimeReview);    // 1800, 2400
        Assert.Equal(new Quantiles(2100, 3300), week.LeadTimeDeploy);    // 600, 3600
        Assert.Equal(new Quantiles(53_100, 89_820), week.FailedDeploymentRecoveryTime); // 7200, 99000
        Assert.Equal(new Quantiles(3600, 3600), week.TimeToRestore);
        Assert.Equal(1.0 / 3, week.ReworkRate!.Value, 12);
        Assert.Equal((3, 0, 0, 1), (week.Changes, week.DiscardedLeadTimes, week.OpenIncidents, week.ResolvedIncidents));
        Assert.Equal(PerformanceLevel.High, week.Levels[DoraMetric.DeploymentFrequency]);
        Assert.Equal(PerformanceLevel.Elite, week.Levels[DoraMetric.LeadTimeForChanges]);
        Assert.Equal(PerformanceLevel.Low, week.Levels[DoraMetric.ChangeFailureRate]);
        Assert.Equal(PerformanceLevel.High, week.Levels[DoraMetric.TimeToRestore]);

        var team = snapshot.Series.Single(s => s.Key is { Scope: "team", Team: "payments" } && s.Window == "7d").Values;
        Assert.Equal(week.LeadTime, team.LeadTime);
        Assert.Contains(snapshot.Totals, t => t.Key.Scope == "service" && t.Counts == new DeploymentCounts(1, 2, 0, 0));

        var d3 = (await host.QueryAsync<(int Attempts, string Reason, double Recovered)>(
            "SELECT attempt_count, failure_reason, extract(epoch FROM recovered_at)::float8 FROM deployments WHERE revision = 'c20000000'")).Single();
        Assert.Equal((2, "hotfix", At(hours: 20).ToUnixTimeSeconds()), (d3.Attempts, d3.Reason, (long)d3.Recovered));
    }

    [Fact]
    public async Task The_numbers_reach_metrics_and_the_api_unchanged()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", Deployments);
        await host.SettleAsync();

        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains(
            "dora_lead_time_for_changes_seconds{scope=\"service\",service=\"checkout\",team=\"payments\",environment=\"production\",window=\"30d\",quantile=\"0.5\"} 7200\n",
            metrics);

        var api = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/metrics?scope=service&service=checkout&window=7d")).RootElement;
        var series = api.GetProperty("series").EnumerateArray().Single();
        Assert.Equal(7200, series.GetProperty("leadTimeForChanges").GetProperty("p50").GetDouble());

        var changes = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/changes?service=checkout&window=7d")).RootElement;
        Assert.Equal([3600.0, 16_200, 7200], changes.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("leadTimeSeconds").GetDouble()));
    }

    [Fact]
    public async Task Posting_the_same_items_again_changes_nothing_and_says_so()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", Deployments);
        await host.SettleAsync();

        var again = await host.IngestAsync("/api/v1/deployments", Deployments);

        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(4, again.GetProperty("unchanged").GetInt32());
        await host.SettleAsync();
        Assert.Equal(4, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal(3, await host.ScalarAsync<long>("SELECT count(*) FROM deployments"));
    }

    [Fact]
    public async Task Posting_an_incident_again_with_its_resolution_resolves_it()
    {
        await using var host = await EngineHost.StartAsync(Now);
        var open = new { id = "pd-1", service = "checkout", startedAt = Ago(hours: 5) };
        await host.IngestAsync("/api/v1/incidents", open);
        var openSnapshot = await host.SettleAsync();
        Assert.Equal(1, openSnapshot.Series.Single(s => s.Key.Scope == "service" && s.Window == "7d").Values.OpenIncidents);

        await host.IngestAsync("/api/v1/incidents", new { id = "pd-1", service = "checkout", startedAt = Ago(hours: 5), resolvedAt = Ago(hours: 4) });
        var resolved = (await host.SettleAsync()).Series.Single(s => s.Key.Scope == "service" && s.Window == "7d").Values;

        Assert.Equal((0, 1), (resolved.OpenIncidents, resolved.ResolvedIncidents));
        Assert.Equal(new Quantiles(3600, 3600), resolved.TimeToRestore);
    }

    [Fact]
    public async Task Without_a_commit_list_the_changes_are_resolved_from_the_stored_commit_graph()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            var writer = new DomainWriter(conn, tx, TimeProvider.System);
            var repo = await writer.Services.RepositoryAsync("acme/shop", CancellationToken.None);
            await writer.UpsertCommitsAsync(repo,
            [
                new CommitRow("c0", [], At(days: 5), At(days: 5), null, "initial"),
                new CommitRow("c1", ["c0"], At(days: 2), At(days: 2), null, "add search"),
                new CommitRow("c2", ["c1"], At(days: 1), At(days: 1), null, "fix search"),
            ], CancellationToken.None);
            await tx.CommitAsync();
        }

        await host.IngestAsync("/api/v1/deployments", new object[]
        {
            new { id = "x1", service = "shop", repository = "acme/shop", environment = "production", revision = "c0", status = "success", finishedAt = Ago(days: 4) },
            new { id = "x2", service = "shop", repository = "acme/shop", environment = "production", revision = "c2", status = "success", finishedAt = Ago(hours: 12) },
        });
        var week = (await host.SettleAsync()).Series.Single(s => s.Key.Scope == "service" && s.Window == "7d").Values;

        // c0 is the first deployment (head change only: 24h); c1 and c2 come with x2: 36h and 12h.
        // Sorted 43200, 86400, 129600: p50 86400, p90 86400 + 0.8 · 43200.
        Assert.Equal(3, week.Changes);
        Assert.Equal(new Quantiles(86_400, 120_960), week.LeadTime);
    }

    [Fact]
    public async Task A_revision_that_is_not_a_sha_names_only_itself()
    {
        // From Apache DevLake's DORA fixtures, whose revisions are build names: commit10 is not an
        // abbreviation of commit1, so both are deployments, neither a redeploy (docs/metrics.md).
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", new object[]
        {
            new { id = "b1", service = "shop", environment = "production", revision = "commit1", status = "success", finishedAt = Ago(days: 2) },
            new { id = "b2", service = "shop", environment = "production", revision = "commit10", status = "success", finishedAt = Ago(days: 1) },
            new { id = "b3", service = "shop", environment = "production", revision = "release_1", status = "success", finishedAt = Ago(hours: 12) },
            new { id = "b4", service = "shop", environment = "production", revision = "releasex1", status = "success", finishedAt = Ago(hours: 6) },
        });

        var week = (await host.SettleAsync()).Series.Single(s => s.Key.Scope == "service" && s.Window == "7d").Values;

        Assert.Equal(4.0 / 7, week.DeploymentFrequencyPerDay, 12);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployments WHERE is_redeploy"));
    }

    [Fact]
    public async Task Recompute_rebuilds_the_same_numbers_from_the_inbox_alone()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", Deployments);
        await host.IngestAsync("/api/v1/incidents", new { id = "i1", service = "checkout", startedAt = Ago(days: 3, hours: -1), resolvedAt = Ago(days: 3, hours: -2), deploymentId = "d1" });
        await host.SettleAsync();
        var before = await host.QueryAsync<string>("SELECT key || ':' || is_failed || ':' || coalesce(recovered_at::text, '') FROM deployments ORDER BY key");

        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["recompute"],
            new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = host.ConnectionString });

        Assert.True(exit == 0, stderr);
        Assert.Contains("mapped 5 raw events (0 failed)", stdout);
        Assert.Equal(before, await host.QueryAsync<string>("SELECT key || ':' || is_failed || ':' || coalesce(recovered_at::text, '') FROM deployments ORDER BY key"));
    }

    private static object Deployment(string id, string revision, string status, string finishedAt, object[] commits) =>
        new { id, service = "checkout", team = "payments", environment = "production", repository = "acme/shop", revision = Sha(revision), status, finishedAt, commits };

    private static object Commit(string sha, string authoredAt) => new { sha = Sha(sha), authoredAt, message = $"change {sha}" };

    private static object Commit(string sha, string authoredAt, int pr, string openedAt, string mergedAt, params string[] labels) =>
        new { sha = Sha(sha), authoredAt, pullRequest = new { number = pr, title = $"PR {pr}", openedAt, mergedAt, labels } };

    // Commit SHAs must look like SHAs; the deployments name them by their first characters.
    private static string Sha(string name) => name + "0000000";

    private static string Ago(double days = 0, double hours = 0, double minutes = 0) =>
        At(days, hours, minutes).ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes);
}
