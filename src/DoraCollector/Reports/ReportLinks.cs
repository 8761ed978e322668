using System.Globalization;

namespace DoraCollector.Reports;

/// <summary>The addresses of reports, periods and downloads, as the pages link them.</summary>
internal static class ReportLinks
{
    /// <summary><c>period=week&amp;date=2026-03-02</c>, or <c>from=…&amp;to=…</c> for a custom range (not HTML-encoded yet).</summary>
    public static string PeriodQuery(ReportPeriod period) => period.Kind == PeriodKind.Custom
        ? $"from={Uri.EscapeDataString(ReportText.Iso(period.Start))}&to={Uri.EscapeDataString(ReportText.Iso(period.End))}"
        : $"period={period.KindName}&date={period.Start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string Page(ReportScope scope, ReportPeriod period) => $"{scope.Path}?{PeriodQuery(period)}";

    public static string Markdown(ReportScope scope, ReportPeriod period) => $"{Page(scope, period)}&format=md";

    public static string Csv(ReportScope scope, ReportPeriod period, string table) => $"{Page(scope, period)}&format=csv&table={table}";

    /// <summary>A download's file name: <c>dora-team-payments-2026-W10-changes.csv</c>.</summary>
    public static string FileName(ReportScope scope, ReportPeriod period, string? table, string extension)
    {
        var label = period.Label.Replace(':', '-').Replace("..", "_", StringComparison.Ordinal);
        return $"dora-{scope.Slug}-{label}{(table is null ? "" : "-" + table)}.{extension}";
    }
}
