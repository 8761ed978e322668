using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>The <c>report</c> verb as a scheduled job runs it: a separate process writing to stdout or a file.</summary>
public sealed class ReportVerbTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    private Dictionary<string, string?> Environment => new() { ["ConnectionStrings__Dora"] = fixture.Host.ConnectionString };

    [Fact]
    public async Task It_writes_the_same_csv_as_the_page_to_stdout()
    {
        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(
            ["report", "--team", "payments", "--period", "week", "--date", "2026-03-02", "--format", "csv", "--table", "metrics"], Environment);

        Assert.True(exit == 0, stderr);
        Assert.Equal(await ReportPage.GetAsync(fixture.Host, "/reports/teams/payments?period=week&date=2026-03-02&format=csv&table=metrics", "text/csv"), stdout);
        Assert.DoesNotContain("info:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_writes_the_html_page_and_the_markdown_summary_to_files()
    {
        var folder = Directory.CreateTempSubdirectory("dora-report-");
        try
        {
            var html = Path.Combine(folder.FullName, "organisation.html");
            var markdown = Path.Combine(folder.FullName, "checkout.md");

            var page = await CollectorProcess.RunAsync(["report", "--from", "2026-02-07", "--to", "2026-03-09", "--output", html], Environment);
            var summary = await CollectorProcess.RunAsync(
                ["report", "--service=checkout", "--period=month", "--date=2026-02-10", "--format=md", "--output", markdown], Environment);

            Assert.True(page.ExitCode == 0, page.StdErr);
            Assert.Equal("", page.StdOut);
            Assert.Contains($"wrote the html report of the organisation for 2026-02-07..2026-03-09 to {html}", page.StdErr);
            var written = await File.ReadAllTextAsync(html);
            Assert.StartsWith("<!DOCTYPE html>", written);
            Assert.Contains("<h1>Delivery report: the organisation</h1>", written);
            Assert.Equal(
                ReportPage.Metrics(await ReportPage.GetAsync(fixture.Host, "/reports?from=2026-02-07&to=2026-03-09"))["production"].Values.Select(c => c.Current),
                ReportPage.Metrics(written)["production"].Values.Select(c => c.Current));

            Assert.True(summary.ExitCode == 0, summary.StdErr);
            Assert.StartsWith("## Delivery report: service checkout, month 2026-02\n", await File.ReadAllTextAsync(markdown));
            Assert.Equal(["checkout.md", "organisation.html"], folder.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "report", "--period", "fortnight" }, 64, "error: --period 'fortnight' is not one of week, month, quarter")]
    [InlineData(new[] { "report", "--format", "csv" }, 64, "error: --table is required with format=csv")]
    [InlineData(new[] { "report", "--team" }, 64, "error: Required argument missing for option: '--team'")]
    [InlineData(new[] { "report", "--team", "nobody" }, 1, "error: there is no team 'nobody' with services")]
    public async Task Bad_options_and_unknown_names_fail_with_a_message_and_no_output(string[] args, int code, string message)
    {
        var (exit, stdout, stderr) = await CollectorProcess.RunAsync(args, Environment);

        Assert.Equal(code, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
    }
}
