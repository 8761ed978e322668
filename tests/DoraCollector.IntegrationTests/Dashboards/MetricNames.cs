using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Metrics;
using DoraCollector.Metrics.Exposition;
using Microsoft.Extensions.Time.Testing;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>The metric names the collector renders, and the few its sources add later.</summary>
internal static class MetricNames
{
    /// <summary>
    /// Families a source exposes once it is built in (DESIGN §3: "GitHub rate-limit remaining"),
    /// which a dashboard panel and an alert already read. A name here is tolerated only while
    /// nothing under <c>src/</c> names it; from then on it is checked like every other.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> AwaitedFromSources = new Dictionary<string, string>
    {
        ["dora_collector_github_rate_limit_remaining"] = "the GitHub source's rate-limit gauge",
    };

    /// <summary>Every family /metrics renders for a snapshot with every kind of series and busy telemetry.</summary>
    public static IReadOnlyList<string> Rendered()
    {
        var telemetry = new CollectorTelemetry(new FakeTimeProvider(SampleSnapshots.ComputedAt));
        MetricsEndpointTests.RecordTelemetry(telemetry);
        var writer = new PrometheusTextWriter(throwOnDuplicate: true);
        DoraExposition.Write(SampleSnapshots.Rich(), writer);
        CollectorExposition.Write(writer, SampleSnapshots.Rich(), telemetry.Read(), SampleSnapshots.ComputedAt);
        return MetricsEndpointTests.FamilyNames(writer.ToString());
    }

    /// <summary>Whether any source file of the service names <paramref name="name"/> (as the release check greps).</summary>
    public static bool NamedInSource(string name) =>
        RepositoryFiles.Find("src", "*.cs").Any(f => RepositoryFiles.Read(f).Contains(name, StringComparison.Ordinal));

    /// <summary>Null when <paramref name="name"/> is fine to query, else why not.</summary>
    public static string? Problem(string name, IReadOnlyCollection<string> known)
    {
        if (known.Contains(name))
        {
            return null;
        }

        if (AwaitedFromSources.ContainsKey(name) && !NamedInSource(name))
        {
            return null;
        }

        return $"{name} is not a family the collector exposes ({string.Join(", ", known)})";
    }
}
