using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

public sealed class ArgoCdEnvironmentTests
{
    private static ArgoApplication App(Dictionary<string, string>? labels = null, string cluster = "prod-eu-1", string ns = "checkout") =>
        new(new ArgoMetadata("checkout-eu", "argocd", null, labels),
            new ArgoSpec("payments", new ArgoDestination(null, cluster, ns), null, null), null);

    [Fact]
    public void A_label_names_the_environment_first() =>
        Assert.Equal("staging", ArgoCdEnvironment.Of(App(new() { ["env"] = "staging" }), new ArgoCdOptions
        {
            EnvironmentRules = [new ArgoCdEnvironmentRule { Cluster = "^prod-", Environment = "production" }],
        }));

    [Fact]
    public void Else_the_first_matching_rule_with_its_placeholders()
    {
        var options = new ArgoCdOptions
        {
            EnvironmentLabels = ["tier"],
            EnvironmentRules =
            [
                new ArgoCdEnvironmentRule { Cluster = "^stage-", Environment = "staging" },
                new ArgoCdEnvironmentRule { Cluster = "^prod-", Namespace = "^checkout$", Environment = "{cluster}-{namespace}" },
            ],
        };

        Assert.Equal("prod-eu-1-checkout", ArgoCdEnvironment.Of(App(new() { ["env"] = "ignored" }), options));
        Assert.Equal("staging", ArgoCdEnvironment.Of(App(cluster: "stage-1"), options));
    }

    [Fact]
    public void Else_the_default() =>
        Assert.Equal("production", ArgoCdEnvironment.Of(App(), new ArgoCdOptions()));
}
