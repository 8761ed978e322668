using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(new double[] { 5 }, 0.5, 5)]
    [InlineData(new double[] { 1, 3 }, 0.5, 2)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2.5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.9, 3.7)]
    [InlineData(new double[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }, 0.9, 91)]
    public void Interpolate_like_percentile_cont(double[] sorted, double p, double expected) =>
        Assert.Equal(expected, Percentiles.Of(sorted, p)!.Value, 9);

    [Fact]
    public void No_values_is_no_percentile() => Assert.Null(Percentiles.Quantiles([]));

    [Fact]
    public void Quantiles_sort_their_input() => Assert.Equal(new Quantiles(2, 2.8), Percentiles.Quantiles([3, 1, 2]));
}
