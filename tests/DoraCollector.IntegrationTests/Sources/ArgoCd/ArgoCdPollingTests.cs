using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;
using DoraCollector.Simulator.ArgoCd;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary>
/// Argo CD read through its API: what each history and operation shape becomes once the engine
/// has projected it. Times are relative to <see cref="Now"/>.
/// </summary>
public sealed class ArgoCdPollingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Steady_syncs_are_deployments_with_their_changes_and_lead_times()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        await SeedCommitsAsync(host.Engine, "acme/shop", "services/checkout",
            ("c1", Ago(days: 5)), ("c2", Ago(days: 3)), ("c3", Ago(days: 2)));
        var app = new ArgoCdApplication("checkout")
            .Synced(Ago(days: 4, minutes: 1), Ago(days: 4), Sha("c1"))
            .Synced(Ago(days: 2.5, minutes: 1), Ago(days: 2.5), Sha("c2"))
            .Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c3"));

        Assert.Equal(1, await host.PollAsync(app));
        var week = (await host.Engine.SettleAsync()).Series
            .Single(s => s.Key is { Scope: "service", Service: "checkout", Environment: "production" } && s.Window == "7d").Values;

        Assert.Equal(["c1 success", "c2 success", "c3 success"], await host.DeploymentsAsync("checkout"));
        Assert.Equal(3.0 / 7, week.DeploymentFrequencyPerDay, 12);
        Assert.Equal(new Quantiles(86_400, 86_400), week.LeadTime);     // 86400 (head of the first), 43200, 86400
        Assert.Equal(3, week.Changes);
        Assert.Equal(("acme/shop", "services/checkout"), (await host.Engine.QueryAsync<(string, string)>(
            "SELECT r.full_name, s.path FROM services s JOIN repositories r ON r.id = s.repository_id WHERE s.name = 'checkout'")).Single());
        Assert.Contains(host.Api.Queries, q => q.Contains("fields=items.metadata.name", StringComparison.Ordinal));

        // Argo CD reconciles and the health moves, but nothing was rolled out: nothing new is kept.
        Assert.Equal(0, await host.PollAsync(app.Health("Progressing", Ago(hours: 1))));
        Assert.Equal(1, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE source = 'argocd'"));
    }

    [Fact]
    public async Task A_failed_sync_then_a_successful_retry_of_the_same_revision_is_one_deployment()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var app = new ArgoCdApplication("checkout").Synced(Ago(days: 2, minutes: 2), Ago(days: 2), Sha("c1"));

        await host.PollAsync(app.Failed(Ago(hours: 5), Ago(hours: 5, minutes: -1), Sha("c2")));
        Assert.Equal(["c1 success", "c2 failure failed:outcome"], await host.DeploymentsAsync());

        await host.PollAsync(app.Synced(Ago(hours: 4), Ago(hours: 4, minutes: -2), Sha("c2"), user: "alice@example.com"));
        Assert.Equal(["c1 success", "c2 success x2"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task A_failed_sync_then_a_fix_is_a_failed_rollout_recovered_by_the_fix()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var app = new ArgoCdApplication("checkout").Synced(Ago(days: 2, minutes: 2), Ago(days: 2), Sha("c1"));

        await host.PollAsync(app.Failed(Ago(hours: 6), Ago(hours: 6, minutes: -1), Sha("c2"), phase: "Error"));
        await host.PollAsync(app.Synced(Ago(hours: 3), Ago(hours: 3, minutes: -2), Sha("c3")));
        var week = (await host.Engine.SettleAsync()).Series.Single(s => s.Key.Scope == "service" && s.Window == "7d").Values;

        Assert.Equal(["c1 success", "c2 failure failed:outcome", "c3 success"], await host.DeploymentsAsync());
        Assert.Equal(1.0 / 3, week.ChangeFailureRate!.Value, 12);
        Assert.Equal(new Quantiles(10_860, 10_860), week.FailedDeploymentRecoveryTime);  // failed 5h59m ago, fixed 2h58m ago
    }

    [Fact]
    public async Task Argo_cds_own_rollback_is_a_rollback_that_fails_the_deployment_it_replaces()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var app = new ArgoCdApplication("checkout")
            .Synced(Ago(days: 3, minutes: 1), Ago(days: 3), Sha("c1"))
            .Synced(Ago(days: 2, minutes: 1), Ago(days: 2), Sha("c2"));
        await host.PollAsync(app);

        await host.PollAsync(app.Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1"), user: "oncall@example.com", rollback: true));
        Assert.Equal(["c1 success", "c2 success failed:rolled_back", "c1 success rollback"], await host.DeploymentsAsync());

        // The hint stays once the rollback's operation is no longer the current one.
        await host.PollAsync(app.Synced(Ago(hours: 5, minutes: 1), Ago(hours: 5), Sha("c3")));
        Assert.Equal([false, false, true, false], await host.Engine.QueryAsync<bool>(
            "SELECT rollback_hint FROM deployment_attempts ORDER BY finished_at"));
    }

    [Fact]
    public async Task A_sync_to_an_older_commit_is_a_rollback_found_in_the_commit_graph()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        await SeedCommitsAsync(host.Engine, "acme/shop", "services/checkout", ("c1", Ago(days: 6)), ("c2", Ago(days: 5)), ("c3", Ago(days: 4)));

        await host.PollAsync(new ArgoCdApplication("checkout")
            .Synced(Ago(days: 3, minutes: 1), Ago(days: 3), Sha("c2"))
            .Synced(Ago(days: 2, minutes: 1), Ago(days: 2), Sha("c3"))
            .Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1"), user: "oncall@example.com"));

        Assert.Equal(["c2 success", "c3 success failed:rolled_back", "c1 success rollback"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task A_manual_resync_of_the_live_revision_is_a_redeploy_that_counts_nowhere()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);

        await host.PollAsync(new ArgoCdApplication("checkout")
            .Synced(Ago(days: 2, minutes: 1), Ago(days: 2), Sha("c1"))
            .Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1"), user: "alice@example.com"));
        var week = (await host.Engine.SettleAsync()).Series.Single(s => s.Key.Scope == "service" && s.Window == "7d").Values;

        Assert.Equal(["c1 success", "c1 success redeploy"], await host.DeploymentsAsync());
        Assert.Equal(new DeploymentCounts(1, 0, 0, 1), week.Deployments);
        Assert.Equal(1.0 / 7, week.DeploymentFrequencyPerDay, 12);
    }

    [Fact]
    public async Task History_dropped_between_polls_is_counted_as_a_gap_and_what_was_read_is_kept_for_good()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var app = new ArgoCdApplication("checkout");
        var revision = 0;
        void Sync(int count)
        {
            for (var i = 0; i < count; i++, revision++)
            {
                app.Synced(Ago(days: 6, hours: -revision * 10, minutes: 1), Ago(days: 6, hours: -revision * 10), Sha($"c{revision}"));
            }

            app.Keep(3);
        }

        Sync(3);
        await host.PollAsync(app);   // ids 0-2
        Sync(3);
        await host.PollAsync(app);   // ids 3-5: nothing missed
        Sync(5);
        await host.PollAsync(app);   // ids 8-10: 6 and 7 came and went

        Assert.Contains("dora_collector_history_gaps_total{source=\"argocd\"} 2\n", await host.Engine.Client.GetStringAsync("/metrics"));
        Assert.Equal(9, (await host.DeploymentsAsync()).Count);

        // Argo CD keeps three entries; the inbox keeps every one it saw, and recompute rebuilds them.
        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(["recompute"],
            new Dictionary<string, string?> { ["ConnectionStrings__Dora"] = host.Engine.ConnectionString });
        Assert.True(exit == 0, stderr);
        Assert.Contains("9 deployments", stdout);
    }

    [Fact]
    public async Task A_renamed_application_continues_its_service_and_a_deleted_ones_deployments_stay()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:Catalog:Services:0:Name"] = "checkout",
            ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout-prod",
            ["Dora:Catalog:Services:0:ArgoCdApplications:1"] = "argocd/checkout-production",
        });
        var old = new ArgoCdApplication("checkout-prod")
            .Synced(Ago(days: 3, minutes: 1), Ago(days: 3), Sha("c1"))
            .Synced(Ago(days: 2, minutes: 1), Ago(days: 2), Sha("c2"));
        var legacy = new ArgoCdApplication("legacy").Synced(Ago(days: 4, minutes: 1), Ago(days: 4), Sha("d1"));
        await host.PollAsync(old, legacy);

        // checkout-prod is recreated as checkout-production; its first sync rolls out what is live.
        var renamed = new ArgoCdApplication("checkout-production")
            .Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c2"))
            .Synced(Ago(hours: 6, minutes: 1), Ago(hours: 6), Sha("c3"));
        await host.PollAsync(renamed);

        Assert.Equal(["c1 success", "c2 success", "c2 success redeploy", "c3 success"], await host.DeploymentsAsync("checkout"));
        Assert.Equal(["d1 success"], await host.DeploymentsAsync("legacy"));
    }

    [Fact]
    public async Task A_multi_source_application_deploys_the_revision_of_the_services_repository()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:Catalog:Services:0:Name"] = "billing",
            ["Dora:Catalog:Services:0:Repository"] = "acme/config",
            ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "billing",
        });
        var sources = new[]
        {
            ArgoCdApplication.Source("https://charts.example.com", null, "1.4.0", chart: "web"),
            ArgoCdApplication.Source("https://github.com/acme/shop.git", "services/checkout/deploy", "main"),
            ArgoCdApplication.Source("git@github.com:acme/config.git", null, "main", @ref: "values"),
        };
        string[] revisions = ["1.4.0", Sha("a1"), Sha("b1")];

        await host.PollAsync(
            new ArgoCdApplication("checkout").WithSources(sources).Synced(Ago(days: 1, minutes: 1), Ago(days: 1), "", revisions: revisions),
            new ArgoCdApplication("billing").WithSources(sources).Synced(Ago(days: 1, minutes: 1), Ago(days: 1), "", revisions: revisions));

        Assert.Equal(
            [("billing", Sha("b1"), "acme/config"), ("checkout", Sha("a1"), "acme/shop")],
            await host.Engine.QueryAsync<(string, string, string)>(
                """
                SELECT s.name, a.revision, r.full_name FROM deployment_attempts a
                JOIN services s ON s.id = a.service_id JOIN repositories r ON r.id = a.repository_id ORDER BY s.name
                """));
    }

    [Fact]
    public async Task The_same_revision_to_staging_then_production_counts_its_lead_time_in_each_environment()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:Catalog:Services:0:Name"] = "checkout",
            ["Dora:Catalog:Services:0:Repository"] = "acme/shop",
            ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout-staging",
            ["Dora:Catalog:Services:0:ArgoCdApplications:1"] = "checkout-production",
        });
        await SeedCommitsAsync(host.Engine, "acme/shop", "services/checkout", ("c1", Ago(days: 2)));

        await host.PollAsync(
            new ArgoCdApplication("checkout-staging").Label("environment", "staging").Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1")),
            new ArgoCdApplication("checkout-production").Label("environment", "production").Synced(Ago(hours: 6, minutes: 1), Ago(hours: 6), Sha("c1")));
        var series = (await host.Engine.SettleAsync()).Series.Where(s => s.Key.Scope == "service" && s.Window == "7d").ToList();

        Assert.Equal(new Quantiles(151_200, 151_200), series.Single(s => s.Key.Environment == "production").Values.LeadTime);
        Assert.Equal(new Quantiles(86_400, 86_400), series.Single(s => s.Key.Environment == "staging").Values.LeadTime);
        Assert.Equal(["c1 success", "c1 success"], await host.DeploymentsAsync("checkout"));
    }

    [Fact]
    public async Task A_service_label_groups_applications_and_only_the_configured_projects_are_read()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:ArgoCd:ServiceLabel"] = "app.kubernetes.io/part-of",
            ["Dora:ArgoCd:Projects:0"] = "payments",
            ["Dora:ArgoCd:EnvironmentRules:0:Cluster"] = "^(stage|prod)-",
            ["Dora:ArgoCd:EnvironmentRules:0:Environment"] = "{cluster}",
        });

        await host.PollAsync(
            new ArgoCdApplication("checkout-eu-staging").Label("app.kubernetes.io/part-of", "checkout").Destination("stage-eu", "checkout", "payments")
                .Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1")),
            new ArgoCdApplication("checkout-eu").Label("app.kubernetes.io/part-of", "checkout").Destination("prod-eu", "checkout", "payments")
                .Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("c1")),
            new ArgoCdApplication("intranet").Destination("prod-eu", "intranet", "internal").Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("d1")));

        Assert.Equal([("checkout", "prod-eu"), ("checkout", "stage-eu")], await host.Engine.QueryAsync<(string, string)>(
            "SELECT s.name, d.environment FROM deployments d JOIN services s ON s.id = d.service_id ORDER BY 1, 2"));
        Assert.Contains(host.Api.Queries, q => q.Contains("&projects=payments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_fails_the_poll_with_the_reason_and_never_the_token()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, new Dictionary<string, string?> { ["Dora:ArgoCd:Token"] = "stale-token-0123456789abcdef" });

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() =>
            host.Engine.Service<DoraCollector.Sources.ArgoCd.ArgoCdIngestor>().RunAsync(CancellationToken.None));

        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("stale-token", failure.Message, StringComparison.Ordinal);
        Assert.Equal(failure.Message, await host.Engine.ScalarAsync<string>(
            "SELECT last_error FROM ingest_cursors WHERE source = 'argocd' AND scope = 'poll'"));
        Assert.Contains("dora_collector_ingest_errors_total{source=\"argocd\"} 1", await host.Engine.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task The_real_argo_cd_application_of_the_upstream_fixture_is_one_deployment_and_nine_redeploys()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        host.Api.Serve(Payload("argocd/application.diff-cache.json"));

        await host.Engine.Service<DoraCollector.Sources.ArgoCd.ArgoCdIngestor>().RunAsync(CancellationToken.None);
        await host.Engine.SettleAsync();

        var deployments = await GitOpsKit.DeploymentsAsync(host.Engine, "velero-test");
        Assert.Equal(10, deployments.Count);
        Assert.Equal(9, deployments.Count(d => d.IsRedeploy));
        Assert.All(deployments, d => Assert.Equal("production", d.Environment));
        Assert.Equal(("foo/manifests-velero", "instances/test"), (await host.Engine.QueryAsync<(string, string)>(
            "SELECT r.full_name, s.path FROM services s JOIN repositories r ON r.id = s.repository_id WHERE s.name = 'velero-test'")).Single());
    }

    private static DateTimeOffset Ago(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes);
}
