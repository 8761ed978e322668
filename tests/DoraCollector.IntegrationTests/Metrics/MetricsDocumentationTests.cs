using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Exposition;
using Microsoft.Extensions.Time.Testing;

namespace DoraCollector.IntegrationTests.Metrics;

public sealed partial class MetricsDocumentationTests
{
    [Fact]
    public void Docs_describe_exactly_the_families_that_metrics_renders()
    {
        var telemetry = new CollectorTelemetry(new FakeTimeProvider(SampleSnapshots.ComputedAt));
        MetricsEndpointTests.RecordTelemetry(telemetry);
        var writer = new PrometheusTextWriter(throwOnDuplicate: true);
        DoraExposition.Write(SampleSnapshots.Rich(), writer, PublishPolicy.Full);
        CollectorExposition.Write(writer, SampleSnapshots.Rich(), telemetry.Read(), SampleSnapshots.ComputedAt);
        var rendered = MetricsEndpointTests.FamilyNames(writer.ToString());

        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "metrics.md"));
        var section = docs[docs.IndexOf("## Prometheus metrics", StringComparison.Ordinal)..];
        var documented = TableFamily().Matches(section).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(ContractFamilies.All, rendered);
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
    [GeneratedRegex(@"^\| `(dora_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableFamily();
}
