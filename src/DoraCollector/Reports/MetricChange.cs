using DoraCollector.Metrics;

namespace DoraCollector.Reports;

internal enum Movement
{
    /// <summary>One side has no data: nothing to compare.</summary>
    None,
    Up,
    Down,
    Flat,
}

internal enum Verdict
{
    NotComparable,
    Better,
    Worse,
    Unchanged,

    /// <summary>Moved, but the metric has no better direction (a count).</summary>
    Neutral,

    /// <summary>Moved, but the two periods' 95 % intervals overlap: the move may be chance.</summary>
    WithinNoise,

    /// <summary>The previous period ended before the records begin: there is nothing earlier to compare with.</summary>
    NoEarlierData,
}

/// <summary>
/// A metric this period against the previous one. <see cref="Delta"/> is current − previous in
/// the metric's unit (a ratio's delta is in ratio units: 0.05 is 5 percentage points);
/// <see cref="Relative"/> is the delta over the previous value, null when that was 0.
/// </summary>
internal sealed record MetricChange(double? Current, double? Previous, double? Delta, double? Relative, Movement Movement, Verdict Verdict)
{
    // Values come from divisions and interpolations: equal periods must compare as unchanged.
    private const double Tolerance = 1e-9;

    /// <param name="currentInterval">With <paramref name="previousInterval"/>: when both are known and overlap, a move
    /// is <see cref="Verdict.WithinNoise"/> rather than better or worse (docs/metrics.md, "How sure a number is").</param>
    public static MetricChange Compare(
        double? current, double? previous, Direction direction, Interval? currentInterval = null, Interval? previousInterval = null)
    {
        if (current is not { } now || previous is not { } before)
        {
            return new MetricChange(current, previous, null, null, Movement.None, Verdict.NotComparable);
        }

        var delta = now - before;
        var relative = before == 0 ? (double?)null : delta / Math.Abs(before);
        if (Math.Abs(delta) <= Tolerance * Math.Max(1, Math.Abs(before)))
        {
            return new MetricChange(now, before, 0, before == 0 ? null : 0, Movement.Flat, Verdict.Unchanged);
        }

        var movement = delta > 0 ? Movement.Up : Movement.Down;
        var verdict = direction switch
        {
            Direction.HigherIsBetter => movement == Movement.Up ? Verdict.Better : Verdict.Worse,
            Direction.LowerIsBetter => movement == Movement.Down ? Verdict.Better : Verdict.Worse,
            _ => Verdict.Neutral,
        };
        if (verdict is not Verdict.Neutral && currentInterval is not null && previousInterval is not null && currentInterval.Overlaps(previousInterval))
        {
            verdict = Verdict.WithinNoise;
        }

        return new MetricChange(now, before, delta, relative, movement, verdict);
    }
}
