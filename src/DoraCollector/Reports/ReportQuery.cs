namespace DoraCollector.Reports;

/// <summary>
/// The query parameters of every report page (and the options of the <c>report</c> verb), as
/// sent: text, so a bad value becomes a problem naming the parameter.
/// </summary>
/// <param name="Period"><c>week</c>, <c>month</c> or <c>quarter</c>; <c>week</c> by default.</param>
/// <param name="Date">A day (<c>2026-03-02</c>) in the period; by default the last period that has ended.</param>
/// <param name="From">Start of a custom range (exclusive), instead of period and date.</param>
/// <param name="To">End of a custom range (inclusive); now when left out.</param>
/// <param name="Format"><c>html</c> (default), <c>csv</c> or <c>md</c>.</param>
/// <param name="Table">With <c>format=csv</c>: which table (see <see cref="ReportTables"/>).</param>
internal sealed record ReportQuery(string? Period, string? Date, string? From, string? To, string? Format, string? Table);

internal static class ReportFormats
{
    public const string Html = "html";
    public const string Csv = "csv";
    public const string Markdown = "md";

    public static readonly IReadOnlyList<string> All = [Html, Csv, Markdown];
}

/// <summary>The tables of a report, each downloadable as CSV under this name.</summary>
internal static class ReportTables
{
    public const string Metrics = "metrics";
    public const string Trend = "trend";
    public const string Breakdown = "breakdown";
    public const string Changes = "changes";
    public const string Deployments = "deployments";
    public const string Incidents = "incidents";
    public const string Unattributed = "unattributed";
    public const string Sources = "sources";

    public static readonly IReadOnlyList<string> All = [Metrics, Trend, Breakdown, Changes, Deployments, Incidents, Unattributed, Sources];
}

/// <summary>A validated <see cref="ReportQuery"/>.</summary>
/// <param name="Table">Set for CSV only.</param>
internal sealed record ReportRequest(ReportPeriod Period, string Format, string? Table);
