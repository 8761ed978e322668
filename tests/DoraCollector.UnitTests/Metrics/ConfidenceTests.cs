using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

/// <summary>
/// The 95 % intervals of docs/metrics.md ("How sure a number is"). Every expected number was worked
/// out from the formulas in the document with 30-digit arithmetic (Python's mpmath), independently
/// of the code under test.
/// </summary>
public sealed class ConfidenceTests
{
    [Theory]
    [InlineData(1, 4, 0.0455872608097006, 0.699358157417598)]
    [InlineData(100, 400, 0.210079014236474, 0.294677132930674)]
    [InlineData(0, 10, 0.0, 0.277532799862889)]
    [InlineData(3, 7, 0.15821985525147, 0.749541635472343)]
    [InlineData(2, 3, 0.207659600802048, 0.938508055279604)]
    public void The_wilson_interval_of_a_ratio(int successes, int n, double low, double high)
    {
        var interval = Confidence.Wilson(successes, n)!;
        Assert.Equal(n, interval.N);
        Assert.Equal(low, interval.Low, 12);
        Assert.Equal(high, interval.High, 12);
    }

    [Fact]
    public void A_ratio_of_nothing_has_no_interval()
    {
        Assert.Null(Confidence.Wilson(0, 0));
    }

    [Theory]
    [InlineData(0, 7, 0.0, 0.526982779159134)]
    [InlineData(3, 7, 0.0883817318422288, 1.25246758139176)]
    [InlineData(2, 7, 0.0346013255062807, 1.03209823824628)]
    [InlineData(10, 30, 0.159846289871081, 0.613011868067259)]
    [InlineData(1, 1, 0.0253178079842899, 5.5716433909389)]
    [InlineData(120, 30, 3.31639752086462, 4.78301951231174)]
    [InlineData(400, 90, 4.0195144070127, 4.90207386774084)]
    public void The_exact_poisson_interval_of_a_rate_per_day(int events, double days, double low, double high)
    {
        var interval = Confidence.Poisson(events, days);
        Assert.Equal(events, interval.N);
        Assert.Equal(low, interval.Low, 10);
        Assert.Equal(high, interval.High, 10);
    }

    [Fact]
    public void The_poisson_ends_are_the_textbook_chi_square_quantiles_for_three_events()
    {
        // χ²(0.025; 6)/2 = 0.61867 and χ²(0.975; 8)/2 = 8.76727: the classic table for k = 3.
        Assert.Equal(0.618672122895601, Confidence.GammaQuantile(0.025, 3), 10);
        Assert.Equal(8.76727306974232, Confidence.GammaQuantile(0.975, 4), 10);
    }

    [Theory]
    [InlineData(3, 0.5, 0, 4)]     // too few values: no bound on either side
    [InlineData(5, 0.5, 0, 6)]     // P(B = 0) = 1/32 > 0.025
    [InlineData(6, 0.5, 1, 6)]     // 1/64 ≤ 0.025 on each side: x(1)..x(6), coverage 96.9 %
    [InlineData(10, 0.5, 2, 9)]
    [InlineData(20, 0.5, 6, 15)]
    [InlineData(100, 0.5, 40, 61)]
    [InlineData(30, 0.9, 23, 31)]  // 0.9^30 = 0.042 > 0.025: the p90 has no upper bound yet
    [InlineData(35, 0.9, 28, 36)]  // 0.9^35 = 0.02503, still just above
    [InlineData(50, 0.9, 41, 50)]
    public void The_order_statistic_ranks_of_a_quantile(int n, double q, int lower, int upper)
    {
        Assert.Equal((lower, upper), Confidence.OrderStatisticRanks(n, q));
    }

    [Fact]
    public void A_median_interval_reads_its_ranks_from_the_sorted_values()
    {
        // Ten lead times of 1..10 hours: ranks 2 and 9.
        var sorted = Enumerable.Range(1, 10).Select(h => h * 3600.0).ToList();
        Assert.Equal(new Interval(10, 7200, 32_400), Confidence.Quantile(sorted, 0.5));
        // p90 of ten values: ranks (7, 11), so from the seventh value up, unbounded.
        Assert.Equal(new Interval(10, 25_200, double.PositiveInfinity), Confidence.Quantile(sorted, 0.9));
    }

    [Fact]
    public void A_small_sample_bounds_a_duration_by_zero_and_nothing()
    {
        var interval = Confidence.Quantile([600.0, 1200, 1800], 0.5)!;
        Assert.Equal(0, interval.Low);
        Assert.False(interval.IsBounded);
        Assert.Null(Confidence.Quantile([], 0.5));
    }

    [Fact]
    public void Intervals_that_share_a_value_overlap()
    {
        Assert.True(new Interval(4, 0.05, 0.70).Overlaps(new Interval(400, 0.21, 0.29)));
        Assert.False(new Interval(4, 0.0, 0.2).Overlaps(new Interval(400, 0.21, 0.29)));
        Assert.True(new Interval(3, 0, double.PositiveInfinity).Overlaps(new Interval(9, 1e6, 2e6)));
    }
}
