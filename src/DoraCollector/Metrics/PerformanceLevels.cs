namespace DoraCollector.Metrics;

/// <summary>
/// Judges a value against the benchmark bands: frequency and change failure rate are better at
/// the band edge (≥, ≤), durations are not (&lt;). No value, no level.
/// </summary>
internal sealed class PerformanceLevels(BenchmarkOptions benchmarks)
{
    private readonly double[] _frequency =
    [
        PerDay(benchmarks.DeploymentFrequency.Elite),
        PerDay(benchmarks.DeploymentFrequency.High),
        PerDay(benchmarks.DeploymentFrequency.Medium),
    ];

    public PerformanceLevel DeploymentFrequency(double perDay) =>
        perDay >= _frequency[0] - Tolerance ? PerformanceLevel.Elite
        : perDay >= _frequency[1] - Tolerance ? PerformanceLevel.High
        : perDay >= _frequency[2] - Tolerance ? PerformanceLevel.Medium
        : PerformanceLevel.Low;

    public PerformanceLevel ChangeFailureRate(double ratio)
    {
        var bands = benchmarks.ChangeFailureRate;
        return ratio <= bands.Elite + Tolerance ? PerformanceLevel.Elite
            : ratio <= bands.High + Tolerance ? PerformanceLevel.High
            : ratio <= bands.Medium + Tolerance ? PerformanceLevel.Medium
            : PerformanceLevel.Low;
    }

    public PerformanceLevel LeadTime(double seconds) => Duration(seconds, benchmarks.LeadTime);

    public PerformanceLevel TimeToRestore(double seconds) => Duration(seconds, benchmarks.TimeToRestore);

    public PerformanceLevel FailedDeploymentRecoveryTime(double seconds) => Duration(seconds, benchmarks.FailedDeploymentRecoveryTime);

    // Counts divided by days are not exact in binary; a rate equal to a band edge must land in it.
    private const double Tolerance = 1e-9;

    private static PerformanceLevel Duration(double seconds, DurationBands bands) =>
        seconds < bands.Elite.TotalSeconds ? PerformanceLevel.Elite
        : seconds < bands.High.TotalSeconds ? PerformanceLevel.High
        : seconds < bands.Medium.TotalSeconds ? PerformanceLevel.Medium
        : PerformanceLevel.Low;

    private static double PerDay(string rate) =>
        RateBands.TryParsePerDay(rate, out var perDay) ? perDay : throw new InvalidOperationException($"'{rate}' is not a rate");
}
