using System.Net;
using DoraCollector.Simulator.ArgoCd;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary>
/// An ApplicationSet generating one Application per cluster (AKS, GKE, EKS overlays of one
/// environment) is one service when the catalog names it, and each Application's destination is the cluster its rollouts
/// ran on (docs/sources/argocd.md, "Several clusters"). Times are relative to <see cref="Now"/>.
/// </summary>
public sealed class ArgoCdClusterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // The catalog lists the ApplicationSet once, not each Application it generates.
    private static readonly Dictionary<string, string?> ClusterNames = new()
    {
        ["Dora:Catalog:Services:0:Name"] = "checkout",
        ["Dora:Catalog:Services:0:ArgoCdApplications:0"] = "checkout",
        ["Dora:ArgoCd:ClusterNames:0:Destination"] = "aks-westeurope-prod",
        ["Dora:ArgoCd:ClusterNames:0:Name"] = "eu",
        ["Dora:ArgoCd:ClusterNames:1:Destination"] = "gke-us-central1-prod",
        ["Dora:ArgoCd:ClusterNames:1:Name"] = "us",
    };

    // checkout-eu and checkout-us sync c1, then c2; checkout-ap lags and gets c2 after eu and us
    // run c3. Every Application says environment=production.
    private static ArgoCdApplication[] Rollout()
    {
        ArgoCdApplication App(string name, string cluster) =>
            new ArgoCdApplication(name).OwnedBy("checkout").Destination(cluster, "checkout").Label("environment", "production");
        var eu = App("checkout-eu", "aks-westeurope-prod");
        var us = App("checkout-us", "gke-us-central1-prod");
        var ap = App("checkout-ap", "eks-ap-southeast-1-prod");
        foreach (var (revision, hours) in new[] { ("c1", 30), ("c2", 20), ("c3", 10) })
        {
            eu.Synced(Ago(hours: hours, minutes: 1), Ago(hours: hours), Sha(revision));
            us.Synced(Ago(hours: hours, minutes: -9), Ago(hours: hours, minutes: -10), Sha(revision));
        }

        ap.Synced(Ago(hours: 30, minutes: -24), Ago(hours: 30, minutes: -25), Sha("c1"))
            .Synced(Ago(hours: 10, minutes: -29), Ago(hours: 10, minutes: -30), Sha("c2"))
            .Synced(Ago(hours: 10, minutes: -39), Ago(hours: 10, minutes: -40), Sha("c3"));
        return [eu, us, ap];
    }

    [Fact]
    public async Task An_application_set_over_three_clusters_is_one_service_whose_revisions_count_once()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, ClusterNames);

        await host.PollAsync(Rollout());

        Assert.Equal(["c1 success x3", "c2 success x3", "c3 success x3"], await host.DeploymentsAsync("checkout"));
        Assert.Equal(1, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM services"));
        Assert.Equal(["eks-ap-southeast-1-prod", "eu", "us"], await host.Engine.QueryAsync<string>(
            "SELECT DISTINCT cluster FROM deployment_attempts ORDER BY cluster"));
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM deployments WHERE is_rollback OR is_failed"));
        Assert.Equal(9, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts WHERE deployment_id IS NOT NULL"));
    }

    [Fact]
    public async Task The_shipped_notification_carries_the_destination_and_the_owner_so_webhook_and_poll_agree()
    {
        await using var host = await ArgoCdHost.StartAsync(Now, ClusterNames);
        var apps = Rollout();

        foreach (var app in apps)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await host.NotifyAsync(app)).StatusCode);
        }

        await host.Engine.SettleAsync();
        await host.PollAsync(apps);

        Assert.Equal(["c1 success x3", "c2 success x3", "c3 success x3"], await host.DeploymentsAsync("checkout"));
        Assert.Equal(9, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal(3, await host.Engine.ScalarAsync<long>("SELECT count(DISTINCT cluster) FROM deployment_attempts"));
    }

    private static DateTimeOffset Ago(double hours = 0, double minutes = 0) => Now.AddHours(-hours).AddMinutes(-minutes);
}
