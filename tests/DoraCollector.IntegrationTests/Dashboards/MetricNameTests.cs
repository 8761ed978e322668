using System.Text.RegularExpressions;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>
/// One set of metric names: every <c>dora_*</c> name in the dashboards and in deploy/ (rules,
/// manifests) is a family the service renders and docs/metrics.md documents, and names no
/// family of its own (recording rules are <c>level:dora_family:operation</c>).
/// </summary>
public sealed partial class MetricNameTests
{
    [Fact]
    public void Every_dora_name_in_dashboards_and_deploy_is_rendered_by_the_service_and_documented()
    {
        var rendered = MetricNames.Rendered();
        var documented = DocumentedFamilies();
        var used = RepositoryFiles.Find("dashboards", "*").Concat(RepositoryFiles.Find("deploy", "*"))
            .SelectMany(f => DashboardFiles.DoraNames(RepositoryFiles.Read(f)).Select(n => (File: f, Name: MetricNames.FamilyOf(n))))
            .ToList();

        Assert.NotEmpty(used);
        foreach (var (file, name) in used)
        {
            Assert.True(MetricNames.Problem(name, rendered) is null, $"{file}: {MetricNames.Problem(name, rendered)}");
            Assert.True(documented.Contains(name), $"{file}: {name} is not in docs/metrics.md");
        }

        // The dashboards between them show every DORA family.
        var inDashboards = RepositoryFiles.Find("dashboards", "*.json").SelectMany(f => DashboardFiles.DoraNames(RepositoryFiles.Read(f))).ToHashSet();
        // (The level state set is the opt-in form of dora_performance_level_score, which they read.)
        Assert.Empty(rendered.Where(f => f.StartsWith("dora_", StringComparison.Ordinal) && !f.StartsWith("dora_collector_", StringComparison.Ordinal))
            .Except(inDashboards).Except(["dora_performance_level"]));
    }

    private static HashSet<string> DocumentedFamilies()
    {
        var docs = RepositoryFiles.Read("docs", "metrics.md");
        return TableFamily().Matches(docs[docs.IndexOf("## Prometheus metrics", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToHashSet();
    }

    [GeneratedRegex(@"^\| `(dora_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableFamily();
}
