namespace DoraCollector.Exposition;

/// <summary>The metric types the collector exposes.</summary>
internal enum MetricType
{
    Gauge,
    Counter,

    /// <summary>
    /// Percentiles carried in a <c>quantile</c> label. The collector computes them over a window
    /// from the stored events, so there is no running sum or count to expose, which the text
    /// format allows for a summary.
    /// </summary>
    Summary,

    /// <summary>
    /// Cumulative buckets (<c>_bucket</c> with an <c>le</c> label, ending in <c>+Inf</c>), then
    /// <c>_sum</c> and <c>_count</c>: observations the collector counts as they happen, which
    /// Prometheus aggregates across replicas with <c>histogram_quantile</c>.
    /// </summary>
    Histogram,
}
