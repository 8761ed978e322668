using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

public sealed class ReportPeriodTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-03-02", "2026-03-02", "2026-03-09", "2026-W10")]   // a Monday starts its own week
    [InlineData("2026-03-08", "2026-03-02", "2026-03-09", "2026-W10")]   // a Sunday ends it
    [InlineData("2026-01-01", "2025-12-29", "2026-01-05", "2026-W01")]   // ISO week 1 holds the year's first Thursday
    [InlineData("2021-01-03", "2020-12-28", "2021-01-04", "2020-W53")]   // and a year can have 53 weeks
    public void A_week_is_the_ISO_week_from_Monday_midnight_UTC(string date, string start, string end, string label)
    {
        var week = ReportPeriod.Containing(PeriodKind.Week, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(start + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), week.Start);
        Assert.Equal(DateTimeOffset.Parse(end + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), week.End);
        Assert.Equal(label, week.Label);
    }

    [Fact]
    public void Months_and_quarters_are_calendar_ones_in_UTC()
    {
        var month = ReportPeriod.Containing(PeriodKind.Month, new DateOnly(2024, 2, 17));
        var quarter = ReportPeriod.Containing(PeriodKind.Quarter, new DateOnly(2026, 6, 30));

        Assert.Equal((Utc(2024, 2, 1), Utc(2024, 3, 1), "2024-02"), (month.Start, month.End, month.Label));
        Assert.Equal((Utc(2026, 4, 1), Utc(2026, 7, 1), "2026-Q2"), (quarter.Start, quarter.End, quarter.Label));
        Assert.Equal("month 2024-02 (1 Feb 2024 – 29 Feb 2024)", month.Title);
    }

    [Fact]
    public void Previous_and_next_follow_each_other_without_gaps_across_years()
    {
        var january = ReportPeriod.Containing(PeriodKind.Month, new DateOnly(2026, 1, 10));
        var q1 = ReportPeriod.Containing(PeriodKind.Quarter, new DateOnly(2026, 2, 1));
        var week1 = ReportPeriod.Containing(PeriodKind.Week, new DateOnly(2026, 1, 1));

        Assert.Equal("2025-12", january.Previous().Label);
        Assert.Equal("2025-Q4", q1.Previous().Label);
        Assert.Equal("2025-W52", week1.Previous().Label);
        Assert.Equal(january, january.Previous().Next());
        Assert.Equal(january.Start, january.Previous().End);
    }

    [Fact]
    public void A_custom_range_is_preceded_by_a_range_of_the_same_length()
    {
        var range = ReportPeriod.Custom(Utc(2026, 3, 1), Utc(2026, 3, 15, 12));

        var previous = range.Previous();

        Assert.Equal((Utc(2026, 2, 14, 12), Utc(2026, 3, 1)), (previous.Start, previous.End));   // 14.5 days before
        Assert.Equal("2026-03-01..2026-03-15T12:00Z", range.Label);
    }

    [Theory]
    [InlineData("Week")]
    [InlineData("Month")]
    [InlineData("Quarter")]
    public void The_trend_is_twelve_contiguous_periods_ending_with_the_chosen_one(string kind)
    {
        var period = ReportPeriod.Containing(Enum.Parse<PeriodKind>(kind), new DateOnly(2026, 3, 4));

        var trend = period.Trend();

        Assert.Equal(12, trend.Count);
        Assert.Equal(period, trend[^1]);
        Assert.Equal(period.Previous(), trend[^2]);
        for (var i = 1; i < trend.Count; i++)
        {
            Assert.Equal(trend[i - 1].End, trend[i].Start);
        }

        Assert.Equal(12, trend.Select(p => p.Label).Distinct().Count());
    }

    [Fact]
    public void A_period_in_progress_is_computed_up_to_now_and_an_ended_one_whole()
    {
        var week = ReportPeriod.Containing(PeriodKind.Week, new DateOnly(2026, 3, 4));
        var now = Utc(2026, 3, 5, 12);

        Assert.True(week.InProgressAt(now));
        Assert.Equal((week.Start, now), (week.Window(now).From, week.Window(now).To));
        Assert.False(week.Previous().InProgressAt(now));
        Assert.Equal(7, week.Previous().Window(now).Days);
        Assert.Equal("2026-W09", week.Previous().Window(now).Label);
    }
}
