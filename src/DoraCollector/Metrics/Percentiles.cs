namespace DoraCollector.Metrics;

internal static class Percentiles
{
    /// <summary>
    /// The interpolated percentile of PostgreSQL's <c>percentile_cont</c> and Four Keys: with the
    /// values sorted, position p·(n−1), linearly between its neighbours. Null for no values.
    /// </summary>
    public static double? Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    public static Quantiles? Quantiles(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return new Quantiles(Of(values, 0.5)!.Value, Of(values, 0.9)!.Value);
    }
}
