namespace DoraCollector.Metrics.Exposition;

/// <summary>The metric types the collector exposes; summaries and histograms are not needed.</summary>
internal enum MetricType
{
    Gauge,
    Counter,
}
