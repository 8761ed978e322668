using DoraCollector.Metrics;
using DoraCollector.Reports;
using DoraCollector.Reports.Html;

namespace DoraCollector.UnitTests.Reports;

/// <summary>
/// The worked example of docs/metrics.md ("How sure a number is") in every report format: a change
/// failure rate of 25 % from 1 failure in 4 deployments is "not enough data (n = 4)", the same
/// 25 % from 100 in 400 is low; a fall from 25 % (1 of 4) to 10 % (1 of 10) is within noise,
/// one from 25 % (100 of 400) to 10 % (40 of 400) is not.
/// </summary>
public sealed class ReportConfidenceTests
{
    private static readonly PerformanceLevels Bands = new(new BenchmarkOptions());

    [Fact]
    public void A_move_whose_intervals_overlap_is_within_noise()
    {
        // 1 of 4: 4.6 %..69.9 %; 1 of 10: 1.8 %..40.4 %. 100 of 400: 21.0 %..29.5 %; 40 of 400: 7.4 %..13.3 %.
        var noisy = MetricChange.Compare(0.25, 0.1, Direction.LowerIsBetter, Confidence.Wilson(1, 4), Confidence.Wilson(1, 10));
        var clear = MetricChange.Compare(0.25, 0.1, Direction.LowerIsBetter, Confidence.Wilson(100, 400), Confidence.Wilson(40, 400));

        Assert.Equal((Movement.Up, Verdict.WithinNoise), (noisy.Movement, noisy.Verdict));
        Assert.Equal((Movement.Up, Verdict.Worse), (clear.Movement, clear.Verdict));
        Assert.Equal("within noise", ReportText.Verdict(noisy.Verdict));
    }

    [Fact]
    public void Intervals_read_in_the_metric_unit_and_an_unbounded_end_says_or_more()
    {
        Assert.Equal("95 %: 4.6 %–69.9 %, n = 4", ReportText.Interval(MetricUnit.Ratio, Confidence.Wilson(1, 4)!));
        Assert.Equal("95 %: 0.03/day–1.03/day, n = 2", ReportText.Interval(MetricUnit.PerDay, Confidence.Poisson(2, 7)));
        Assert.Equal("95 %: 0 s or more, n = 3", ReportText.Interval(MetricUnit.Seconds, new Interval(3, 0, double.PositiveInfinity)));
    }

    [Fact]
    public void The_markdown_summary_shows_the_interval_and_says_not_enough_data_with_n()
    {
        var report = Report();
        var md = MarkdownReportWriter.Write(report);

        Assert.Contains($"| Metric | {report.Period.Label} | 95 % interval | Level | {report.Previous.Label} | Change |", md, StringComparison.Ordinal);
        Assert.Contains(
            "| Change failure rate | 25 % | 95 %: 4.6 %–69.9 %, n = 4 | not enough data (n = 4) | 10 % | ▲ +15 pp within noise |",
            md, StringComparison.Ordinal);
        Assert.Contains("- big (production): ", md, StringComparison.Ordinal);
        Assert.Contains("CFR 25 % low ▲", md, StringComparison.Ordinal);
        Assert.Contains("CFR 25 % (not enough data (n = 4)) ▲", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_shows_the_interval_and_the_level_only_when_the_interval_allows_one()
    {
        var html = HtmlReportWriter.Write(Report());

        Assert.Contains("""<span class="nodata not-enough">not enough data (n = 4)</span>""", html, StringComparison.Ordinal);
        Assert.Contains(
            """data-n="4" data-low="0.04558726080970055" data-high="0.6993581574175981">95 %: 4.6 %–69.9 %, n = 4<""", html, StringComparison.Ordinal);
        Assert.Contains("""<span class="verdict">within noise</span>""", html, StringComparison.Ordinal);
        Assert.Contains("""<span class="level level-low">low</span>""", html, StringComparison.Ordinal);  // big: 100 of 400
        Assert.Contains("""<span class="verdict">worse</span>""", html, StringComparison.Ordinal);        // big: against 40 of 400
    }

    [Fact]
    public void The_csv_carries_n_and_both_ends()
    {
        var metrics = CsvReportWriter.Write(Report(), ReportTables.Metrics).Split('\n');

        Assert.EndsWith(",verdict,level,not_enough_data,n,interval_low,interval_high\r", metrics[0], StringComparison.Ordinal);
        var cfr = metrics.Single(l => l.Contains(",change_failure_rate,", StringComparison.Ordinal));
        Assert.EndsWith(",within noise,,true,4,0.04558726080970055,0.6993581574175981\r", cfr, StringComparison.Ordinal);
    }

    private static DeliveryReport Report()
    {
        var trend = ReportPeriod.Containing(PeriodKind.Week, new DateOnly(2026, 3, 2)).Trend();
        var small = trend.Select((_, i) => i == trend.Count - 1 ? Values(1, 4) : Values(1, 10)).ToList();
        return new DeliveryReport(
            ReportScope.Organization, null, trend, SampleReports.Now,
            [new EnvironmentSection("production", true, small)],
            [new BreakdownRow("big", "production", Values(100, 400), Values(40, 400)), new BreakdownRow("small", "production", small[^1], small[^2])],
            [], [], [], new ReportQuality(0, [], 0, [], []), new ReportLimits(10, 100));
    }

    // A series with only deployments: `failed` of `total` failed, all live, over a week.
    private static MetricValues Values(int failed, int total)
    {
        var rate = (double)failed / total;
        var interval = Confidence.Wilson(failed, total)!;
        var judged = Bands.ChangeFailureRate(interval.Low) == Bands.ChangeFailureRate(interval.High)
            ? new Dictionary<DoraMetric, PerformanceLevel> { [DoraMetric.ChangeFailureRate] = Bands.ChangeFailureRate(interval.Low) }
            : [];
        return new MetricValues(
            total / 7.0, 1, null, null, null, null, rate, null, null, null,
            new DeploymentCounts(total - failed, failed, 0, 0), 0, 0, 0, 0,
            new Dictionary<DoraMetric, PerformanceLevel> { [DoraMetric.ChangeFailureRate] = Bands.ChangeFailureRate(rate) })
        {
            Confidence = new MetricConfidence(
                Confidence.Poisson(total, 7), Confidence.Wilson(7, 7), null, null, null, null, interval, null, null, null, judged),
        };
    }
}
