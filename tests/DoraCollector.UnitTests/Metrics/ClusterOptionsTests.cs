using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

/// <summary><c>Dora:Metrics:MultiClusterLive</c> and <c>RolloutWindow</c> are checked at startup, naming the key.</summary>
public sealed class ClusterOptionsTests
{
    [Fact]
    public void The_defaults_are_first_cluster_and_a_day()
    {
        var options = new MetricsOptions();

        Assert.Equal((MultiClusterLive.FirstCluster, TimeSpan.FromHours(24)), (options.MultiClusterLive, options.RolloutWindow));
        Assert.True(new MetricsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0, "Dora:Metrics:RolloutWindow: must be more than 0 and at most 30d")]
    [InlineData(31 * 24, "Dora:Metrics:RolloutWindow: must be more than 0 and at most 30d")]
    public void A_rollout_window_outside_its_range_is_refused(int hours, string message)
    {
        var result = new MetricsOptionsValidator().Validate(null, new MetricsOptions { RolloutWindow = TimeSpan.FromHours(hours) });

        Assert.Contains(message, result.FailureMessage);
    }

    [Fact]
    public void An_unknown_live_rule_is_refused()
    {
        var result = new MetricsOptionsValidator().Validate(null, new MetricsOptions { MultiClusterLive = (MultiClusterLive)7 });

        Assert.Contains("Dora:Metrics:MultiClusterLive: must be FirstCluster or LastCluster", result.FailureMessage);
    }
}
