using System.Text.RegularExpressions;
using DoraCollector.Reports;
using DoraCollector.Reports.Html;

namespace DoraCollector.UnitTests.Reports;

public sealed partial class HtmlReportWriterTests
{
    [Fact]
    public void Every_name_and_title_is_encoded_so_nothing_injects_markup()
    {
        var html = HtmlReportWriter.Write(SampleReports.Hostile());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"onmouseover", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;/table&gt;&lt;iframe src=//evil&gt;", html);
        Assert.Contains("&quot;onmouseover=alert(1) x=&quot;", html);

        // Every attribute value is double-quoted and holds no raw quote or angle bracket.
        foreach (Match attribute in Attribute().Matches(html))
        {
            Assert.DoesNotContain('<', attribute.Groups["value"].Value);
        }
    }

    [Fact]
    public void Data_quality_notes_agree_in_number_and_say_so_when_nothing_was_left_out()
    {
        var html = HtmlReportWriter.Write(SampleReports.Hostile());

        Assert.Contains("1 incident signal open in", html, StringComparison.Ordinal);
        Assert.Contains("so it counts for no one", html, StringComparison.Ordinal);
        Assert.Contains("was left out of lead time.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("0 changes", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_without_a_configured_source_says_so_instead_of_that_none_is_failing()
    {
        var report = SampleReports.Hostile();
        report = report with { Quality = report.Quality with { SourcesConfigured = false, Sources = [] } };

        Assert.Contains("No source is configured, so nothing is collected", HtmlReportWriter.Write(report), StringComparison.Ordinal);
        Assert.Contains("no source configured.", MarkdownReportWriter.Write(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_goes_only_to_an_http_address_escaped_for_its_attribute()
    {
        var unsafeUrl = HtmlReportWriter.Write(SampleReports.Hostile(url: "javascript:alert(5)"));
        var quoted = HtmlReportWriter.Write(SampleReports.Hostile(url: "https://git.example/pr/7?a=1&b=\"><script>"));

        Assert.DoesNotContain("href=\"javascript", unsafeUrl, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("acme/evil#7", unsafeUrl);
        Assert.Contains("href=\"https://git.example/pr/7?a=1&amp;b=%22%3E%3Cscript%3E\"", quoted);
    }

    [Fact]
    public void The_page_is_semantic_accessible_and_has_no_script()
    {
        var html = HtmlReportWriter.Write(SampleReports.Hostile());

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
        Assert.Single(Regex.Matches(html, "<h1>"));
        Assert.Contains("<main id=\"main\">", html);
        Assert.Contains("@media print", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Regex.Matches(html, "<[^>]*>"), tag => Regex.IsMatch(tag.Value, "\\son[a-z]+=", RegexOptions.IgnoreCase));

        // Every table has a caption and only scoped header cells.
        var tables = Regex.Matches(html, "<table[^>]*>").Count;
        Assert.True(tables >= 5, $"{tables} tables");
        Assert.Equal(tables, Regex.Matches(html, "<caption").Count);
        Assert.Equal(Regex.Matches(html, "<th[ >]").Count, Regex.Matches(html, "<th scope=\"(col|row|rowgroup)\"").Count);

        // Every chart is an image with a title and a description that lists its values.
        var charts = Regex.Matches(html, "<svg class=\"trend\"[^>]*role=\"img\" aria-labelledby=\"(?<t>[^ \"]+) (?<d>[^\"]+)\"");
        Assert.Equal(ReportMetric.Headlines.Count, charts.Count);
        foreach (Match chart in charts)
        {
            Assert.Contains($"<title id=\"{chart.Groups["t"].Value}\">", html);
            Assert.Contains($"<desc id=\"{chart.Groups["d"].Value}\">2025-W51: ", html);
        }
    }

    [Fact]
    public void No_data_is_shown_as_no_data_with_no_level_and_never_as_zero()
    {
        var html = HtmlReportWriter.Write(SampleReports.Hostile());

        // The trend has no lead time in the chosen week (index 11 % 3 != 0 has one; index 9 and 0 do not).
        var row = Regex.Match(html, "<tr data-metric=\"lead_time_coding_p50_seconds\">.*?</tr>").Value;
        Assert.Contains("<span class=\"nodata\">no data</span>", row);
        Assert.Contains("no comparison", row);
        Assert.DoesNotContain("<data", row);
        Assert.DoesNotContain("level-", row);
    }

    [Fact]
    public void Values_carry_their_exact_number_and_changes_their_exact_delta()
    {
        var report = SampleReports.Hostile();
        var html = HtmlReportWriter.Write(report);

        var row = Regex.Match(html, "<tr data-metric=\"deployment_frequency_per_day\">.*?</tr>").Value;
        var numbers = Regex.Matches(row, "<data value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([ReportText.Number(11 / 7.0), ReportText.Number(10 / 7.0)], numbers);
        Assert.Contains($"data-delta=\"{ReportText.Number((11 / 7.0) - (10 / 7.0))}\"", row);
        Assert.Contains("better", row);
    }

    [GeneratedRegex("\\s[a-z-]+=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();
}
