using DoraCollector.Api.Read;
using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

public sealed class ReportRequestReaderTests
{
    // A Wednesday: the week in progress is 2026-W11, the last one that ended is 2026-W10.
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 15, 30, 0, TimeSpan.Zero);

    private static (ReportRequest? Request, QueryReader Reader) Read(
        string? period = null, string? date = null, string? from = null, string? to = null, string? format = null, string? table = null)
    {
        var reader = new QueryReader();
        return (ReportRequestReader.Read(new ReportQuery(period, date, from, to, format, table), Now, reader), reader);
    }

    [Fact]
    public void Without_parameters_the_report_is_the_last_week_that_has_ended_as_html()
    {
        var (request, _) = Read();

        Assert.Equal("2026-W10", request!.Period.Label);
        Assert.Equal(ReportFormats.Html, request.Format);
    }

    [Theory]
    [InlineData("month", null, "2026-02")]
    [InlineData("quarter", null, "2025-Q4")]
    [InlineData("month", "2025-07-31", "2025-07")]
    [InlineData(null, "2026-03-11", "2026-W11")]
    public void A_period_kind_and_a_date_choose_a_calendar_period(string? period, string? date, string label) =>
        Assert.Equal(label, Read(period, date).Request!.Period.Label);

    [Fact]
    public void A_custom_range_is_read_as_dates_or_instants_and_ends_now_without_to()
    {
        var (dates, _) = Read(from: "2026-02-01", to: "2026-03-01");
        var (open, _) = Read(from: "2026-03-10T06:00:00Z");

        Assert.Equal((PeriodKind.Custom, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            (dates!.Period.Kind, dates.Period.Start, dates.Period.End));
        Assert.Equal(Now, open!.Period.End);
    }

    [Theory]
    [InlineData("period", "day", null, null, null, null, null, "period 'day' is not one of week, month, quarter")]
    [InlineData("date", "week", "2026-3-2", null, null, null, null, "date '2026-3-2' is not a day")]
    [InlineData("date", "week", "2026-03-16", null, null, null, null, "has not started yet")]
    [InlineData("date", "week", "1999-12-31", null, null, null, null, "is before 2000-01-01")]
    [InlineData("period", "week", null, "2026-03-01", null, null, null, "send one or the other")]
    [InlineData("from", null, null, "2026-03-02", "2026-03-01", null, null, "must be earlier than to")]
    [InlineData("from", null, null, "yesterday", null, null, null, "is not an ISO-8601 instant")]
    [InlineData("to", null, null, "2026-03-01", "2026-04-01", null, null, "is in the future")]
    [InlineData("from", null, null, "2025-01-01", "2026-03-01", null, null, "longer than 366 days")]
    [InlineData("from", null, null, null, "2026-03-01", null, null, "from is required for a custom range")]
    [InlineData("format", null, null, null, null, "pdf", null, "format 'pdf' is not one of html, csv, md")]
    [InlineData("table", null, null, null, null, "csv", null, "table is required with format=csv")]
    [InlineData("table", null, null, null, null, "csv", "people", "table 'people' is not one of metrics, trend")]
    [InlineData("table", null, null, null, null, "md", "changes", "table goes with format=csv only")]
    public void A_bad_value_is_a_problem_naming_its_parameter(
        string parameter, string? period, string? date, string? from, string? to, string? format, string? table, string message)
    {
        var (request, reader) = Read(period, date, from, to, format, table);

        Assert.Null(request);
        var errors = reader.Problems.QueryProblem().ProblemDetails.Errors;
        Assert.Contains(errors[parameter], m => m.Contains(message, StringComparison.Ordinal));
    }
}
