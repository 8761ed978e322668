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
}
