using DoraCollector.Metrics;

namespace DoraCollector.UnitTests.Metrics;

/// <summary>The default bands (2023 report) and which band an edge value falls in.</summary>
public sealed class PerformanceLevelsTests
{
    private static readonly PerformanceLevels Levels = new(new BenchmarkOptions());

    [Theory]
    [InlineData(1.0, "Elite")]
    [InlineData(0.99, "High")]
    [InlineData(1.0 / 7, "High")]     // once a week, exactly: at least weekly
    [InlineData(4.0 / 30, "Medium")]
    [InlineData(1.0 / 30, "Medium")]  // once a month, exactly
    [InlineData(0.03, "Low")]
    public void Deployment_frequency_at_a_band_edge_belongs_to_the_better_band(double perDay, string expected) =>
        Assert.Equal(Enum.Parse<PerformanceLevel>(expected), Levels.DeploymentFrequency(perDay));

    [Theory]
    [InlineData(0.05, "Elite")]
    [InlineData(0.0500001, "High")]
    [InlineData(0.10, "High")]
    [InlineData(0.15, "Medium")]
    [InlineData(0.16, "Low")]
    public void Change_failure_rate_at_a_band_edge_belongs_to_the_better_band(double ratio, string expected) =>
        Assert.Equal(Enum.Parse<PerformanceLevel>(expected), Levels.ChangeFailureRate(ratio));

    [Theory]
    [InlineData(86_399, "Elite")]
    [InlineData(86_400, "High")]       // exactly a day is not under a day
    [InlineData(604_800, "Medium")]
    [InlineData(2_592_000, "Low")]
    public void Lead_time_at_a_band_edge_belongs_to_the_worse_band(double seconds, string expected) =>
        Assert.Equal(Enum.Parse<PerformanceLevel>(expected), Levels.LeadTime(seconds));

    [Theory]
    [InlineData(3599, "Elite")]
    [InlineData(3600, "High")]
    [InlineData(86_400, "Medium")]
    [InlineData(604_800, "Low")]
    public void Time_to_restore_bands(double seconds, string expected) =>
        Assert.Equal(Enum.Parse<PerformanceLevel>(expected), Levels.TimeToRestore(seconds));

    [Fact]
    public void Configured_bands_replace_the_defaults()
    {
        var custom = new PerformanceLevels(new BenchmarkOptions
        {
            DeploymentFrequency = new RateBands { Elite = "5/1d", High = "1/1d", Medium = "1/7d" },
        });

        Assert.Equal(PerformanceLevel.High, custom.DeploymentFrequency(2));
    }
}
