using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Sources.Alertmanager;

namespace DoraCollector.UnitTests.Sources.Alertmanager;

/// <summary>Which alerts count and what their signal says (docs/metrics.md, "What is counted"), on the real payload shape.</summary>
public sealed class AlertRulesTests
{
    private static readonly AlertRules Defaults = new(new AlertmanagerOptions());

    [Fact]
    public void By_default_critical_and_page_alerts_qualify_and_others_do_not()
    {
        var alerts = Alerts(AlertmanagerExamples.Grouped);

        Assert.Equal([true, true, false], alerts.Select(Defaults.Qualifies));
    }

    [Fact]
    public void Configured_matchers_must_all_hold()
    {
        var rules = new AlertRules(new AlertmanagerOptions { Matchers = ["severity=~\"page|warning\"", "app!=\"search\""] });

        Assert.Equal([true, false, true], Alerts(AlertmanagerExamples.Grouped).Select(rules.Qualifies));
    }

    [Fact]
    public void The_service_labels_are_read_in_order_service_then_app()
    {
        var alert = Alert(("alertname", "X"), ("app", "cart-ui"), ("service", "cart"));

        Assert.Equal(["cart", "cart-ui"], Defaults.ServiceNames(alert));
        Assert.Equal("cart", Defaults.ServiceHint(alert));
    }

    [Fact]
    public void Configured_service_labels_replace_the_defaults()
    {
        var rules = new AlertRules(new AlertmanagerOptions { ServiceLabels = ["component", "service"] });
        var alert = Alert(("alertname", "X"), ("service", "cart"), ("component", "checkout-api"));

        Assert.Equal(["checkout-api", "cart"], rules.ServiceNames(alert));
    }

    [Fact]
    public void Without_a_service_label_the_hint_is_the_alert_name_or_else_the_fingerprint()
    {
        Assert.Equal("NodeDown", Defaults.ServiceHint(Alert(("alertname", "NodeDown"), ("instance", "n1"))));
        Assert.Equal("f00d", Defaults.ServiceHint(Alert(("instance", "n1"))));
        Assert.Empty(Defaults.ServiceNames(Alert(("service", "  "))));
    }

    [Fact]
    public void The_environment_comes_from_environment_then_env_and_is_otherwise_unknown()
    {
        Assert.Equal("production", Defaults.Environment(Alerts(AlertmanagerExamples.Grouped)[0]));
        Assert.Equal("staging", Defaults.Environment(Alert(("env", "prod"), ("environment", "staging"))));
        Assert.Null(Defaults.Environment(Alert(("namespace", "prod"))));
    }

    [Fact]
    public void The_title_is_the_summary_else_the_alert_name()
    {
        var alerts = Alerts(AlertmanagerExamples.Grouped);

        Assert.Equal("PodCrashLooping", AlertRules.Title(alerts[0]));
        Assert.Equal("search pods crash", AlertRules.Title(alerts[1]));
        Assert.Equal("page", AlertRules.Severity(alerts[0]));
    }

    [Fact]
    public void Revision_and_deployment_labels_are_explicit_links()
    {
        var alert = Alert(("revision", "4f2a9c1"), ("deployment", "argocd:checkout:42"));

        Assert.Equal(("argocd:checkout:42", "4f2a9c1"), (AlertRules.DeploymentRef(alert), AlertRules.RevisionRef(alert)));
        Assert.Equal((null, null), (AlertRules.DeploymentRef(Alert()), AlertRules.RevisionRef(Alert())));
    }

    [Fact]
    public void The_cluster_label_names_the_cluster_when_its_value_is_a_cluster_name()
    {
        Assert.Equal("eu", Defaults.Cluster(Alert(("cluster", " eu "), ("region", "us"))));
        Assert.Equal("gke_acme_us-central1.prod", Defaults.Cluster(Alert(("cluster", "gke_acme_us-central1.prod"))));
        Assert.Equal("", Defaults.Cluster(Alert(("region", "us"))));
        Assert.Equal("", Defaults.Cluster(Alert(("cluster", "arn:aws:eks:ap-southeast-1:123456789012:cluster/prod"))));
        Assert.Equal("", Defaults.Cluster(Alert(("cluster", new string('a', 101)))));
    }

    [Fact]
    public void A_configured_cluster_label_replaces_the_default_and_an_empty_one_turns_it_off()
    {
        var alert = Alert(("cluster", "eu"), ("k8s_cluster", "us"));

        Assert.Equal("us", new AlertRules(new AlertmanagerOptions { ClusterLabel = "k8s_cluster" }).Cluster(alert));
        Assert.Equal("", new AlertRules(new AlertmanagerOptions { ClusterLabel = "" }).Cluster(alert));
    }

    [Fact]
    public void The_api_filter_leaves_out_matchers_that_match_a_missing_label()
    {
        var rules = new AlertRules(new AlertmanagerOptions
        {
            Matchers = ["severity=~\"critical|page\"", "team=~\"|payments\"", "env!=\"dev\"", "tier=\"\"", "region!~\"eu.*\""],
        });

        Assert.Equal(["severity=~\"critical|page\"", "env!=\"dev\"", "region!~\"eu.*\""], rules.ApiFilter.Select(m => m.ToString()));
    }

    private static AlertmanagerAlert Alert(params (string Name, string Value)[] labels) => new(
        "f00d", false, labels.ToDictionary(l => l.Name, l => l.Value), new Dictionary<string, string>(),
        DateTimeOffset.UnixEpoch, null, null);

    private static List<AlertmanagerAlert> Alerts(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AlertmanagerPayloadReader.ReadNotification(document.RootElement, new RequestProblems())!.Alerts.ToList();
    }
}
