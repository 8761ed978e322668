using DoraCollector.Reports.Html;

namespace DoraCollector.Reports;

/// <summary>A report rendered in the requested format, with the media type and download name that go with it.</summary>
/// <param name="FileName">Suggested file name for downloads (CSV, Markdown); null for the page.</param>
internal sealed record RenderedReport(string Body, string ContentType, string? FileName);

internal static class ReportRenderer
{
    public static RenderedReport Render(DeliveryReport report, ReportRequest request) => request.Format switch
    {
        ReportFormats.Csv => new RenderedReport(
            CsvReportWriter.Write(report, request.Table!), "text/csv",
            ReportLinks.FileName(report.Scope, report.Period, request.Table, "csv")),
        ReportFormats.Markdown => new RenderedReport(
            MarkdownReportWriter.Write(report), "text/markdown",
            ReportLinks.FileName(report.Scope, report.Period, null, "md")),
        _ => new RenderedReport(HtmlReportWriter.Write(report), "text/html", null),
    };
}
