namespace DoraCollector.Exposition;

/// <summary>
/// One histogram series at a moment: for each upper bound (ascending, without <c>+Inf</c>) the
/// observations at or below it, and the count and sum of all of them.
/// </summary>
internal sealed record HistogramReading(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> CumulativeCounts, long Count, double Sum);
