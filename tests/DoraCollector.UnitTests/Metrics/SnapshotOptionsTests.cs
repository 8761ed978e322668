using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

/// <summary><c>Dora:Metrics:FullSnapshotInterval</c> is checked at startup, naming the key.</summary>
public sealed class SnapshotOptionsTests
{
    [Fact]
    public void By_default_a_snapshot_is_computed_in_full_every_hour()
    {
        var options = new MetricsOptions();

        Assert.Equal(TimeSpan.FromHours(1), options.FullSnapshotInterval);
        Assert.True(new MetricsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(24 * 60, true)]
    [InlineData(-1, false)]
    [InlineData(24 * 60 + 1, false)]
    public void The_full_snapshot_interval_is_between_0_and_a_day(int minutes, bool valid)
    {
        var result = new MetricsOptionsValidator().Validate(null, new MetricsOptions { FullSnapshotInterval = TimeSpan.FromMinutes(minutes) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Dora:Metrics:FullSnapshotInterval: must be between 0 (every snapshot in full) and 1d", result.FailureMessage);
        }
    }
}
