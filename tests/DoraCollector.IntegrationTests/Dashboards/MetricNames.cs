using DoraCollector.IntegrationTests.Metrics;

namespace DoraCollector.IntegrationTests.Dashboards;

/// <summary>The metric names the collector renders.</summary>
internal static class MetricNames
{
    /// <summary>Every family /metrics renders for a snapshot with every kind of series and busy telemetry.</summary>
    public static IReadOnlyList<string> Rendered() => MetricsEndpointTests.FamilyNames(MetricsEndpointTests.RenderRich());

    /// <summary>The family a queried name belongs to: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> are its own.</summary>
    public static string FamilyOf(string name)
    {
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && ContractFamilies.Histograms.Contains(name[..^suffix.Length]))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    /// <summary>Null when <paramref name="name"/> is fine to query, else why not.</summary>
    public static string? Problem(string name, IReadOnlyCollection<string> known) =>
        known.Contains(name) ? null : $"{name} is not a family the collector exposes ({string.Join(", ", known)})";
}
