using DoraCollector.Metrics;
using DoraCollector.Reports;
using DoraCollector.Reports.Html;

namespace DoraCollector.UnitTests.Reports;

/// <summary>
/// A quarter report whose records begin 26 days before its end: the 11 quarters before hold no
/// data (not 0/day), the chart leaves them out, the change says "no earlier data" and the header
/// says how much the quarter holds.
/// </summary>
public sealed class BeforeRecordsTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset First = Now.AddDays(-26);

    [Fact]
    public void Periods_before_the_records_read_as_no_data_even_for_counts()
    {
        var before = Values(0) with { BeforeRecords = true };

        Assert.Null(ReportMetric.DeploymentFrequency.Read(before));
        Assert.Null(ReportMetric.Activity[0].Read(before));
        Assert.Equal(0, ReportMetric.DeploymentFrequency.Read(Values(0)));   // a quiet period after they begin is a real 0
    }

    [Fact]
    public void The_change_against_a_period_before_the_records_is_no_earlier_data()
    {
        var change = ReportMetric.DeploymentFrequency.Compare(Values(45), Values(0) with { BeforeRecords = true });

        Assert.Equal((Movement.None, Verdict.NoEarlierData), (change.Movement, change.Verdict));
        Assert.Equal("no earlier data", ReportText.Verdict(change.Verdict));
    }

    [Fact]
    public void The_page_draws_no_zeros_before_the_records_and_says_how_much_the_quarter_holds()
    {
        var report = Report();
        var html = HtmlReportWriter.Write(report);

        Assert.Equal(26, report.DaysOfRecords!.Value, 9);
        Assert.Contains("Records begin at 2026-09-05 00:00 UTC: this quarter holds 26 days of data.", html, StringComparison.Ordinal);
        Assert.Contains("2025-Q4: no data; 2026-Q1: no data; 2026-Q2: no data; 2026-Q3: 0.49/day", html, StringComparison.Ordinal);
        Assert.DoesNotContain(": 0/day", html, StringComparison.Ordinal);
        Assert.Contains("""<span class="change no-comparison">no earlier data</span>""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"verdict\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_and_the_csv_say_no_earlier_data_and_leave_the_earlier_periods_empty()
    {
        var report = Report();
        var md = MarkdownReportWriter.Write(report);
        var trend = CsvReportWriter.Write(report, ReportTables.Trend).Split("\r\n");
        var metrics = CsvReportWriter.Write(report, ReportTables.Metrics).Split("\r\n");

        Assert.Contains("Records begin at 2026-09-05 00:00 UTC: this quarter holds 26 days of data.", md, StringComparison.Ordinal);
        Assert.Contains("| Deployment frequency | 0.49/day |", md, StringComparison.Ordinal);
        Assert.Contains("| no data | no earlier data |", md, StringComparison.Ordinal);
        Assert.StartsWith("2026-Q2,", trend[11], StringComparison.Ordinal);
        Assert.Contains(",production,true,,,", trend[11], StringComparison.Ordinal);   // no value at all, not 0
        Assert.Contains(",no earlier data,", metrics.Single(l => l.Contains(",deployment_frequency_per_day,", StringComparison.Ordinal)),
            StringComparison.Ordinal);
    }

    private static DeliveryReport Report()
    {
        var trend = ReportPeriod.Containing(PeriodKind.Quarter, new DateOnly(2026, 7, 1)).Trend();
        var values = trend.Select((_, i) => i == trend.Count - 1 ? Values(45) : Values(0) with { BeforeRecords = true }).ToList();
        return new DeliveryReport(
            ReportScope.Organization, null, trend, Now, [new EnvironmentSection("production", true, values)], [], [], [], [],
            new ReportQuality(0, [], 0, [], []), new ReportLimits(10, 100))
        {
            RecordsBegin = First,
        };
    }

    // `live` deployments over the 92 days of 2026-Q3.
    private static MetricValues Values(int live) => new(
        live / 92.0, live > 0 ? 26 / 92.0 : 0, null, null, null, null, live > 0 ? 0 : null, null, null, live > 0 ? 0 : null,
        new DeploymentCounts(live, 0, 0, 0), 0, 0, 0, 0, new Dictionary<DoraMetric, PerformanceLevel>());
}
