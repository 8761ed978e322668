using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

public sealed class ReportTextTests
{
    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(45.4, "45 s")]
    [InlineData(59.6, "1 min")]
    [InlineData(720, "12 min")]
    [InlineData(3600, "1 h")]
    [InlineData(9000, "2 h 30 min")]
    [InlineData(86_400, "1 d")]
    [InlineData(99_000, "1 d 4 h")]
    [InlineData(2_592_000, "30 d")]
    public void Durations_read_in_their_two_largest_units(double seconds, string text) =>
        Assert.Equal(text, ReportText.Duration(seconds));

    [Fact]
    public void No_data_reads_as_no_data_in_every_unit()
    {
        foreach (var unit in Enum.GetValues<MetricUnit>())
        {
            Assert.Equal("no data", ReportText.Value(unit, null));
        }

        Assert.Equal("0/day", ReportText.Value(MetricUnit.PerDay, 0));
        Assert.Equal("66.7 %", ReportText.Value(MetricUnit.Ratio, 2.0 / 3));
    }

    [Fact]
    public void Numbers_for_machines_round_trip_like_the_json_api()
    {
        Assert.Equal("0.42857142857142855", ReportText.Number(3.0 / 7));
        Assert.Equal("7200", ReportText.Number(7200));
        Assert.Equal("2026-03-02T09:30:00Z", ReportText.Iso(new DateTimeOffset(2026, 3, 2, 10, 30, 0, TimeSpan.FromHours(1))));
    }
}
