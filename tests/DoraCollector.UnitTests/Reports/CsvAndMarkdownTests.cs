using DoraCollector.Reports;
using DoraCollector.Reports.Html;

namespace DoraCollector.UnitTests.Reports;

public sealed class CsvAndMarkdownTests
{
    [Fact]
    public void Csv_quotes_what_needs_it_and_defuses_formulas_in_text()
    {
        var csv = CsvReportWriter.Write(SampleReports.Hostile(), ReportTables.Changes);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("deployed_at,service,team,environment,deployment_id,kind,", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains(",\"\"\"onmouseover=alert(1) x=\"\"\",", lines[1]);
        Assert.Contains(",\"<img src=x onerror=alert(2)> | *bold* [link](https://evil.example) =HYPERLINK(\"\"x\"\")\",", lines[1]);
        Assert.Contains(",7200,600,3600,3000,false,false,false", lines[1]);
    }

    [Fact]
    public void A_text_starting_like_a_formula_gets_an_apostrophe_but_numbers_do_not()
    {
        var report = SampleReports.Hostile();
        var change = report.Changes[0] with { Title = "=HYPERLINK(\"https://evil.example\")", Team = "+1+cmd|' /C calc'!A0", Repository = "-5", Service = "@sum" };
        var csv = CsvReportWriter.Write(report with { Changes = [change] }, ReportTables.Changes);

        Assert.Contains(",'@sum,'+1+cmd|' /C calc'!A0,prod<b>,1,pull_request,-5,7,\"'=HYPERLINK(\"\"https://evil.example\"\")\",", csv);
    }

    [Theory]
    [InlineData(ReportTables.Metrics, "period,previous_period,environment,production,metric,unit,value,previous_value,delta,relative_change,verdict,level")]
    [InlineData(ReportTables.Trend, "period,from,to,environment,production,deployment_frequency_per_day,")]
    [InlineData(ReportTables.Breakdown, "service,environment,period,deployment_frequency_per_day,deployment_frequency_per_day_previous,")]
    [InlineData(ReportTables.Deployments, "deployment_id,finished_at,service,team,environment,revision,")]
    [InlineData(ReportTables.Incidents, "incident_id,service,team,environment,title,")]
    [InlineData(ReportTables.Unattributed, "source,external_id,service_hint,")]
    [InlineData(ReportTables.Sources, "source,scope,last_success_at,last_error,errors_since_start,stale")]
    public void Every_table_has_a_header_of_snake_case_names(string table, string header) =>
        Assert.StartsWith(header, CsvReportWriter.Write(SampleReports.Hostile(), table));

    [Fact]
    public void The_trend_csv_has_one_row_per_period_and_environment_with_empty_cells_for_no_data()
    {
        var lines = CsvReportWriter.Write(SampleReports.Hostile(), ReportTables.Trend).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(13, lines.Length);
        Assert.StartsWith("2025-W51,2025-12-15T00:00:00Z,2025-12-22T00:00:00Z,prod<b>,true,0,0.5,,,", lines[1]);
        Assert.StartsWith("2026-W10,2026-03-02T00:00:00Z,2026-03-09T00:00:00Z,prod<b>,true,1.5714285714285714,0.5,39600,79200,", lines[12]);
    }

    [Fact]
    public void Events_ignored_in_the_period_are_a_data_quality_note_with_their_reasons()
    {
        var sample = SampleReports.Hostile();
        var report = sample with
        {
            Quality = sample.Quality with
            {
                Ignored = [new("argocd", "name_too_long", 1), new("flux", "implausible_time", 1), new("github", "implausible_time", 2)],
            },
        };

        Assert.Contains(" 4 events ignored (3 implausible_time, 1 name_too_long), ", MarkdownReportWriter.Write(report), StringComparison.Ordinal);
        Assert.Contains("<li>4 events received in ", HtmlReportWriter.Write(report), StringComparison.Ordinal);
        Assert.DoesNotContain("ignored", MarkdownReportWriter.Write(sample), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_escapes_names_and_titles_and_links_only_to_http()
    {
        var md = MarkdownReportWriter.Write(SampleReports.Hostile(url: "https://git.example/pr/7"));

        Assert.StartsWith("## Delivery report: team \"onmouseover=alert(1) x=\", week 2026-W10\n", md);
        Assert.Contains("\\<script>alert(1)\\</script>", md);
        Assert.Contains("\\<img src=x onerror=alert(2)> \\| \\*bold\\* \\[link\\](https://evil.example)", md);
        Assert.Contains("[acme/evil#7](<https://git.example/pr/7>)", md);
        Assert.DoesNotContain("javascript", MarkdownReportWriter.Write(SampleReports.Hostile()), StringComparison.Ordinal);
        Assert.Contains("| Lead time for changes (median) | 11 h |  | elite | 10 h | ▲ +1 h (+10 %) worse |", md);
    }

    [Fact]
    public void Markdown_names_each_slowest_change_environment_and_explains_its_parts()
    {
        var md = MarkdownReportWriter.Write(SampleReports.Hostile());

        Assert.Contains($" (production: levels judged)", md, StringComparison.Ordinal);
        Assert.Contains($"({MarkdownReportWriter.Escape(SampleReports.Service)}, {MarkdownReportWriter.Escape("prod<b>")}): 2 h", md, StringComparison.Ordinal);
        Assert.Contains("coding, first commit → opened; review, opened → merged; deploy, merged → live", md, StringComparison.Ordinal);
        Assert.Contains("3 deployments went live", md, StringComparison.Ordinal);
        Assert.Contains("0 incidents resolved", md, StringComparison.Ordinal);
        Assert.DoesNotContain(" ?", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_escaping_flattens_lines_and_leaves_ordinary_punctuation_alone()
    {
        Assert.Equal("checkout-api: fix (v1.2) #3", MarkdownReportWriter.Escape("checkout-api: fix (v1.2) #3"));
        Assert.Equal("a \\| b \\`c\\` \\~d\\~ e f", MarkdownReportWriter.Escape("a | b `c` ~d~ e\nf"));
    }
}
