using System.Text.RegularExpressions;
using DoraCollector.Reports;
using DoraCollector.Reports.Html;

namespace DoraCollector.UnitTests.Reports;

public sealed class TrendChartTests
{
    private static readonly IReadOnlyList<ReportPeriod> Weeks = ReportPeriod.Containing(PeriodKind.Week, new DateOnly(2026, 3, 2)).Trend();

    private static string Chart(IReadOnlyList<double?> values)
    {
        var html = new HtmlBuilder();
        TrendChart.Write(html, "c", "Lead time", ReportMetric.LeadTime, Weeks, values);
        return html.ToString();
    }

    [Fact]
    public void A_period_without_data_is_a_gap_in_the_line_never_a_fall_to_zero()
    {
        var svg = Chart([3600, 7200, null, 3600, 3600, 3600, null, null, 1800, 1800, 1800, 900]);

        var lines = Regex.Matches(svg, "<polyline class=\"line\" points=\"([^\"]+)\"").Select(m => m.Groups[1].Value.Split(' ').Length).ToList();
        Assert.Equal([2, 3, 4], lines);
        Assert.Equal(9, Regex.Matches(svg, "<circle").Count);
        Assert.Contains("2025-W51: 1 h; 2025-W52: 2 h; 2026-W01: no data;", svg);
    }

    [Fact]
    public void The_largest_value_is_labelled_and_the_chosen_period_is_marked()
    {
        var svg = Chart([null, null, null, null, null, null, null, null, null, null, 7200, 3600]);

        Assert.Contains(">2 h</text>", svg);
        Assert.Contains(">0 s</text>", svg);
        Assert.Single(Regex.Matches(svg, "class=\"point current\""));
        Assert.Contains("<title>2026-W10: 1 h</title>", svg);
    }

    [Fact]
    public void A_long_value_label_fits_left_of_the_axis()
    {
        var svg = Chart([null, null, null, null, null, null, null, null, null, null, 73_140, 3600]);

        // Right-aligned at x, in a 10 px font of about 6 px a character: it must start at 0 or later.
        var x = double.Parse(Regex.Match(svg, "<text class=\"tick\" x=\"([0-9.]+)\"[^>]*>20 h 19 min</text>").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(x >= "20 h 19 min".Length * 6, $"the label ends at x={x}, too close to the edge");
        Assert.Contains("<line class=\"axis\" x1=\"40\"", Chart([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]), StringComparison.Ordinal); // short labels: the narrowest margin
    }

    [Fact]
    public void A_chart_with_no_data_at_all_says_so()
    {
        var svg = Chart(Enumerable.Repeat<double?>(null, 12).ToList());

        Assert.Contains(">no data</text>", svg);
        Assert.DoesNotContain("<polyline", svg);
    }
}
