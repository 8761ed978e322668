using DoraCollector.Hosting;

namespace DoraCollector.UnitTests.Hosting;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Counts_each_duration_in_the_first_bucket_that_holds_it_cumulatively()
    {
        var histogram = new LatencyHistogram();

        // On a bound counts in that bucket (le: less than or equal); beyond the last only in +Inf.
        histogram.Observe(TimeSpan.FromMilliseconds(2));
        histogram.Observe(TimeSpan.FromMilliseconds(5));
        histogram.Observe(TimeSpan.FromMilliseconds(5.001));
        histogram.Observe(TimeSpan.FromMilliseconds(60));
        histogram.Observe(TimeSpan.FromSeconds(12));

        var reading = histogram.Read();

        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], reading.UpperBounds);
        Assert.Equal([2L, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4], reading.CumulativeCounts);
        Assert.Equal(5, reading.Count);
        Assert.Equal(12.072001, reading.Sum, 9);
    }

    [Fact]
    public void An_unused_histogram_reads_as_zeros()
    {
        var reading = new LatencyHistogram().Read();

        Assert.All(reading.CumulativeCounts, count => Assert.Equal(0, count));
        Assert.Equal(0, reading.Count);
        Assert.Equal(0, reading.Sum);
    }

    [Fact]
    public async Task Observations_from_many_threads_are_all_counted()
    {
        var histogram = new LatencyHistogram();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Observe(TimeSpan.FromMilliseconds(i % 2 == 0 ? 1 : 30));
            }
        })));

        var reading = histogram.Read();
        Assert.Equal(80_000, reading.Count);
        Assert.Equal(40_000, reading.CumulativeCounts[0]);
        Assert.Equal(80_000, reading.CumulativeCounts[3]);
        Assert.Equal((40_000 * 0.001) + (40_000 * 0.030), reading.Sum, 6);
    }
}
