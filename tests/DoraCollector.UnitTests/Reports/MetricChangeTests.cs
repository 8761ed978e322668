using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

public sealed class MetricChangeTests
{
    [Fact]
    public void Lead_time_going_up_is_worse_and_its_delta_and_relative_change_are_exact()
    {
        var change = MetricChange.Compare(9000, 7200, Direction.LowerIsBetter);

        Assert.Equal((1800.0, 0.25, Movement.Up, Verdict.Worse), (change.Delta!.Value, change.Relative!.Value, change.Movement, change.Verdict));
        Assert.Equal("+30 min", ReportText.Delta(MetricUnit.Seconds, change));
        Assert.Equal("+25 %", ReportText.Relative(MetricUnit.Seconds, change));
    }

    [Fact]
    public void Deployment_frequency_going_up_is_better()
    {
        var change = MetricChange.Compare(3.0 / 7, 2.0 / 7, Direction.HigherIsBetter);

        Assert.Equal((Movement.Up, Verdict.Better), (change.Movement, change.Verdict));
        Assert.Equal(1.0 / 7, change.Delta!.Value, 12);
        Assert.Equal(0.5, change.Relative!.Value, 12);
        Assert.Equal("+0.14/day", ReportText.Delta(MetricUnit.PerDay, change));
    }

    [Fact]
    public void A_falling_change_failure_rate_is_better_and_moves_in_percentage_points()
    {
        var change = MetricChange.Compare(0.1, 0.25, Direction.LowerIsBetter);

        Assert.Equal((Movement.Down, Verdict.Better), (change.Movement, change.Verdict));
        Assert.Equal("−15 pp", ReportText.Delta(MetricUnit.Ratio, change));
        Assert.Equal("", ReportText.Relative(MetricUnit.Ratio, change));
    }

    [Theory]
    [InlineData(null, 3600.0)]
    [InlineData(3600.0, null)]
    [InlineData(null, null)]
    public void No_data_on_either_side_is_no_comparison_never_a_change_from_zero(double? current, double? previous)
    {
        var change = MetricChange.Compare(current, previous, Direction.LowerIsBetter);

        Assert.Equal((Movement.None, Verdict.NotComparable, (double?)null), (change.Movement, change.Verdict, change.Delta));
        Assert.Equal("", ReportText.Delta(MetricUnit.Seconds, change));
    }

    [Fact]
    public void Equal_values_from_different_arithmetic_are_unchanged()
    {
        var change = MetricChange.Compare(0.1 + 0.2, 0.3, Direction.HigherIsBetter);

        Assert.Equal((Movement.Flat, Verdict.Unchanged, 0.0), (change.Movement, change.Verdict, change.Delta!.Value));
    }

    [Fact]
    public void A_rise_from_zero_has_a_delta_but_no_relative_change_and_counts_have_no_verdict()
    {
        var change = MetricChange.Compare(2, 0, Direction.Neutral);

        Assert.Equal((2.0, (double?)null, Movement.Up, Verdict.Neutral), (change.Delta!.Value, change.Relative, change.Movement, change.Verdict));
        Assert.Equal("+2", ReportText.Delta(MetricUnit.Count, change));
    }
}
