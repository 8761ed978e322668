using System.Text.RegularExpressions;

namespace DoraCollector.IntegrationTests.Metrics;

public sealed partial class MetricsDocumentationTests
{
    [Fact]
    public void Docs_describe_exactly_the_families_that_metrics_renders()
    {
        var text = MetricsEndpointTests.RenderRich();
        var rendered = MetricsEndpointTests.FamilyNames(text);

        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "metrics.md"));
        var section = docs[docs.IndexOf("## Prometheus metrics", StringComparison.Ordinal)..];
        var documented = TableFamily().Matches(section).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(ContractFamilies.All, rendered.Where(MetricsEndpointTests.IsDora));
        Assert.Equal(ContractFamilies.Standard.Order(StringComparer.Ordinal), rendered.Where(f => !MetricsEndpointTests.IsDora(f)).Order(StringComparer.Ordinal));
        Assert.Equal(rendered.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DoraCollector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no DoraCollector.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The first cell of a table row that names a family.</summary>
    [GeneratedRegex(@"^\| `((?:dora|process|dotnet|http)_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableFamily();
}
