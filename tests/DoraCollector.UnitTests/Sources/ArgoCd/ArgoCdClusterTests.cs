using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

/// <summary>The cluster of an Application's rollouts: its destination, under a configured short name.</summary>
public sealed class ArgoCdClusterTests
{
    private static readonly ArgoCdOptions Named = new()
    {
        ClusterNames =
        [
            new ArgoCdClusterName { Destination = "aks-westeurope-prod", Name = "eu" },
            new ArgoCdClusterName { Destination = "https://34.118.0.1/", Name = "us" },
        ],
    };

    private static ArgoApplication App(string? server, string? name) =>
        new(new ArgoMetadata("checkout-eu", "argocd", null, null), new ArgoSpec("default", new ArgoDestination(server, name, "checkout"), null, null), null);

    [Fact]
    public void The_destination_name_comes_first_then_the_server_each_under_its_short_name()
    {
        Assert.Equal("eu", ArgoCdCluster.Of(App("https://10.0.0.1", "aks-westeurope-prod"), Named));
        Assert.Equal("us", ArgoCdCluster.Of(App("https://34.118.0.1", null), Named));
    }

    [Fact]
    public void An_unlisted_destination_is_named_as_Argo_CD_names_it()
    {
        Assert.Equal("in-cluster", ArgoCdCluster.Of(App(null, "in-cluster"), Named));
        Assert.Equal("https://kubernetes.default.svc", ArgoCdCluster.Of(App("https://kubernetes.default.svc/", ""), Named));
        Assert.Equal("", ArgoCdCluster.Of(new ArgoApplication(new ArgoMetadata("x", null, null, null), null, null), Named));
    }

    [Fact]
    public void A_short_name_must_be_a_cluster_name_and_a_destination_is_required()
    {
        var result = new ArgoCdOptionsValidator().Validate(null, new ArgoCdOptions
        {
            ClusterNames = [new ArgoCdClusterName { Destination = "", Name = "eu west" }],
        });

        Assert.Contains("Dora:ArgoCd:ClusterNames:0:Destination: is required", result.FailureMessage);
        Assert.Contains("Dora:ArgoCd:ClusterNames:0:Name: 'eu west' is not a cluster name", result.FailureMessage);
    }
}
