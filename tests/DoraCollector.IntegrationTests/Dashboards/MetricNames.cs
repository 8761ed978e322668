using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Metrics;
using DoraCollector.Metrics.Exposition;
using Microsoft.Extensions.Time.Testing;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>The metric names the collector renders.</summary>
internal static class MetricNames
{
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

    /// <summary>Null when <paramref name="name"/> is fine to query, else why not.</summary>
    public static string? Problem(string name, IReadOnlyCollection<string> known) =>
        known.Contains(name) ? null : $"{name} is not a family the collector exposes ({string.Join(", ", known)})";
}
