using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using static DoraCollector.IntegrationTests.Deploy.Manifests;

namespace DoraCollector.IntegrationTests.Deploy;

/// <summary>
/// The alert and recording rules pass <c>promtool check rules</c>, their unit tests
/// (<c>promtool test rules</c>) pass, every alert has such a test, and the PrometheusRule for the
/// Operator carries exactly the groups of the plain rule file.
/// </summary>
public sealed class PrometheusRuleTests
{
    public const string RuleFile = "deploy/prometheus/rules/dora-collector.rules.yml";
    private const string OperatorRule = "deploy/kubernetes/components/monitoring/prometheusrule.yaml";

    [Fact]
    public async Task Every_rule_file_passes_promtool_check_rules()
    {
        var files = RepositoryFiles.Find("deploy", "*.rules.yml").Select(f => RepositoryFiles.PathOf(f)).ToList();
        Assert.Contains(RepositoryFiles.PathOf(RuleFile), files);

        // The PrometheusRule's spec is a rule file too: check it as Prometheus will load it.
        var extracted = Path.Combine(Directory.CreateTempSubdirectory("dora-test-rules-").FullName, "prometheusrule.rules.yml");
        try
        {
            await File.WriteAllTextAsync(extracted, OperatorSpec().ToJsonString());
            var result = await Promtool.CheckRulesAsync([.. files, extracted]);

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.DoesNotContain("WARNING", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(extracted)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_alerts_fire_as_their_promtool_unit_tests_expect()
    {
        var tests = RepositoryFiles.Find("deploy/prometheus/tests", "*.test.yml").Select(f => RepositoryFiles.PathOf(f)).ToList();
        Assert.NotEmpty(tests);

        var result = await Promtool.RunAsync(["test", "rules", .. tests]);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Every_alert_has_a_unit_test_a_severity_and_a_summary()
    {
        var testedAlerts = RepositoryFiles.Find("deploy/prometheus/tests", "*.test.yml")
            .SelectMany(f => Nodes(Yaml.ReadFile(f)["tests"]))
            .SelectMany(t => Nodes(t["alert_rule_test"]))
            .Where(t => Nodes(t["exp_alerts"]).Any())
            .Select(t => Str(t["alertname"]))
            .ToHashSet();

        var alerts = Rules(Yaml.ReadFile(RuleFile)).Where(r => r["alert"] is not null).ToList();
        Assert.NotEmpty(alerts);
        foreach (var alert in alerts)
        {
            var name = Str(alert["alert"])!;
            Assert.True(testedAlerts.Contains(name), $"{name} has no promtool test in which it fires");
            Assert.Contains(Str(alert["labels"]?["severity"]), new[] { "info", "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(Str(alert["annotations"]?["summary"])), $"{name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(Str(alert["annotations"]?["description"])), $"{name} has no description");
        }

        // Recording rules are named level:metric:operation.
        Assert.All(Rules(Yaml.ReadFile(RuleFile)).Where(r => r["record"] is not null),
            r => Assert.Matches(@"^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$", Str(r["record"])));
    }

    [Fact]
    public void The_prometheus_rule_holds_exactly_the_groups_of_the_rule_file()
    {
        var plain = Yaml.ReadFile(RuleFile);

        Assert.Equal(plain.ToJsonString(), OperatorSpec().ToJsonString());
        var rule = Yaml.ReadFile(OperatorRule);
        Assert.Equal("PrometheusRule", Str(rule["kind"]));
        Assert.Equal("kube-prometheus-stack", Str(rule["metadata"]!["labels"]!["release"]));
    }

    private static JsonNode OperatorSpec() => Yaml.ReadFile(OperatorRule)["spec"]!.DeepClone();

    internal static IEnumerable<JsonNode> Rules(JsonNode ruleFile) =>
        Nodes(ruleFile["groups"]).SelectMany(g => Nodes(g["rules"]));
}
