namespace DoraCollector.Metrics;

/// <summary>
/// The 95 % intervals of docs/metrics.md ("How sure a number is"): Wilson score for ratios,
/// distribution-free order statistics for medians and p90, exact (Garwood) Poisson for rates.
/// </summary>
internal static class Confidence
{
    /// <summary>The two-sided miss probability of a 95 % interval.</summary>
    public const double Alpha = 0.05;

    /// <summary>The standard normal quantile at 1 − α/2 (97.5 %).</summary>
    public const double Z = 1.959963984540054;

    // Probabilities are summed in floating point: a tail equal to α/2 must count as within it.
    private const double Tolerance = 1e-12;

    /// <summary>The Wilson score interval of <paramref name="successes"/> in <paramref name="n"/> trials; null for n = 0.</summary>
    public static Interval? Wilson(int successes, int n)
    {
        if (n <= 0)
        {
            return null;
        }

        var p = (double)successes / n;
        var z2 = Z * Z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = Z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(n, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The exact (Garwood) interval of a Poisson rate: <paramref name="events"/> seen over
    /// <paramref name="exposure"/> (days), as events per unit. Lower χ²(α/2; 2k)/2, upper
    /// χ²(1 − α/2; 2k + 2)/2, both divided by the exposure; the lower end is 0 when k = 0.
    /// </summary>
    public static Interval Poisson(int events, double exposure)
    {
        var lower = events == 0 ? 0 : GammaQuantile(Alpha / 2, events);
        var upper = GammaQuantile(1 - Alpha / 2, events + 1);
        return new Interval(events, lower / exposure, upper / exposure);
    }

    /// <summary>
    /// The distribution-free interval [x₍ₗ₎, x₍ᵤ₎] of the <paramref name="q"/>-quantile from sorted
    /// values: the number of values below the true quantile is Binomial(n, q); l is the largest rank
    /// with P(B ≤ l − 1) ≤ α/2 and u the smallest with P(B ≥ u) ≤ α/2. Without such a rank the
    /// lower end is 0 (durations are never negative) and the upper end is unbounded (+∞).
    /// </summary>
    public static Interval? Quantile(IReadOnlyList<double> sorted, double q)
    {
        var n = sorted.Count;
        if (n == 0)
        {
            return null;
        }

        var (lower, upper) = OrderStatisticRanks(n, q);
        return new Interval(
            n,
            lower == 0 ? 0 : sorted[lower - 1],
            upper > n ? double.PositiveInfinity : sorted[upper - 1]);
    }

    /// <summary>The 1-based ranks (l, u) of <see cref="Quantile"/>; l = 0 and u = n + 1 stand for no bound.</summary>
    public static (int Lower, int Upper) OrderStatisticRanks(int n, double q)
    {
        var cdf = BinomialCdf(n, q);
        var lower = 0;
        while (lower < n && cdf[lower] <= Alpha / 2 + Tolerance)
        {
            lower++;  // P(B ≤ lower) ≤ α/2, so rank lower + 1 still leaves at most α/2 below
        }

        var upper = n + 1;
        while (upper > 1 && 1 - cdf[upper - 2] <= Alpha / 2 + Tolerance)
        {
            upper--;  // P(B ≥ upper − 1) ≤ α/2
        }

        return (lower, upper);
    }

    /// <summary>Both intervals of a sample's median and p90; null for no values.</summary>
    public static QuantileIntervals? Quantiles(IReadOnlyList<double> sorted) =>
        Quantile(sorted, 0.5) is { } p50 && Quantile(sorted, 0.9) is { } p90 ? new QuantileIntervals(p50, p90) : null;

    // cdf[j] = P(B ≤ j), B ~ Binomial(n, q), from the log pmf so large n neither under- nor overflows.
    private static double[] BinomialCdf(int n, double q)
    {
        var cdf = new double[n + 1];
        var logPmf = n * Math.Log(1 - q);
        var logOdds = Math.Log(q / (1 - q));
        var sum = 0.0;
        for (var j = 0; j <= n; j++)
        {
            sum += Math.Exp(logPmf);
            cdf[j] = Math.Min(1, sum);
            logPmf += Math.Log((double)(n - j) / (j + 1)) + logOdds;
        }

        return cdf;
    }

    /// <summary>The x with P(shape, x) = p, P the regularized lower incomplete gamma function (χ²(p; 2·shape)/2).</summary>
    public static double GammaQuantile(double p, double shape)
    {
        double low = 0, high = shape + 20 * Math.Sqrt(shape) + 20;
        for (var i = 0; i < 200 && high - low > 1e-12 * Math.Max(1, high); i++)
        {
            var mid = (low + high) / 2;
            if (RegularizedGammaP(shape, mid) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>P(a, x) = γ(a, x)/Γ(a): the series below a + 1, the continued fraction above.</summary>
    public static double RegularizedGammaP(double a, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        var logPrefix = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (var k = 1; k < 10_000 && Math.Abs(term) > Math.Abs(sum) * 1e-16; k++)
            {
                term *= x / (a + k);
                sum += term;
            }

            return Math.Min(1, sum * Math.Exp(logPrefix));
        }

        // Lentz's method for the continued fraction of Q(a, x).
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Max(0, 1 - Math.Exp(logPrefix) * h);
    }

    // Lanczos (g = 7, n = 9): about 15 significant digits for a > 0.
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static double LogGamma(double a)
    {
        if (a < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * a))) - LogGamma(1 - a);
        }

        a -= 1;
        var x = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            x += Lanczos[i] / (a + i);
        }

        var t = a + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (a + 0.5) * Math.Log(t) - t + Math.Log(x);
    }
}

/// <summary>
/// A 95 % interval around one number and the sample size n it comes from. <see cref="High"/> is
/// +∞ when the sample is too small to bound it (the JSON API writes null).
/// </summary>
internal sealed record Interval(int N, double Low, double High)
{
    public bool IsBounded => !double.IsPositiveInfinity(High);

    /// <summary>The two intervals share a value: a move from one to the other is within noise.</summary>
    public bool Overlaps(Interval other) => Low <= other.High && other.Low <= High;
}

internal sealed record QuantileIntervals(Interval P50, Interval P90);

/// <summary>
/// The intervals of one series' metrics in one window, and the levels they allow: a metric has a
/// level here only when its whole interval falls in one band (docs/metrics.md).
/// </summary>
internal sealed record MetricConfidence(
    Interval DeploymentFrequencyPerDay,
    Interval? DeploymentDaysRatio,
    QuantileIntervals? LeadTime,
    QuantileIntervals? LeadTimeCoding,
    QuantileIntervals? LeadTimeReview,
    QuantileIntervals? LeadTimeDeploy,
    Interval? ChangeFailureRate,
    QuantileIntervals? TimeToRestore,
    QuantileIntervals? FailedDeploymentRecoveryTime,
    Interval? ReworkRate,
    IReadOnlyDictionary<DoraMetric, PerformanceLevel> Levels);
