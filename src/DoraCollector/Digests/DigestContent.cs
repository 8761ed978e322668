using DoraCollector.Reports;
using DoraCollector.Reports.Html;
using Microsoft.Extensions.Options;

namespace DoraCollector.Digests;

/// <summary>Builds a digest: the report of the last complete week or month before the digest fires.</summary>
internal sealed class DigestContent(ReportBuilder reports, IOptionsMonitor<DigestOptions> options)
{
    /// <summary>The week or month that ended last before <paramref name="now"/>.</summary>
    public static ReportPeriod LastComplete(string period, DateTimeOffset now) =>
        ReportPeriod.Containing(period == "month" ? PeriodKind.Month : PeriodKind.Week, DateOnly.FromDateTime(now.UtcDateTime)).Previous();

    public static ReportScope ScopeOf(DigestSchedule schedule) =>
        string.IsNullOrWhiteSpace(schedule.Team) ? ReportScope.Organization : ReportScope.Team(schedule.Team.Trim());

    /// <summary>Null when the team does not exist (any more).</summary>
    public async Task<DigestMessage?> BuildAsync(DigestSchedule schedule, ReportPeriod period, DateTimeOffset now, CancellationToken ct)
    {
        var scope = ScopeOf(schedule);
        if (await reports.BuildAsync(scope, period, now, ct) is not { } report)
        {
            return null;
        }

        var url = options.CurrentValue.ReportBaseUrl!.TrimEnd('/') + ReportLinks.Page(scope, period);
        var markdown = MarkdownReportWriter.Write(report) + $"\n[Full report]({url})\n";
        var subject = $"Delivery digest: {scope.Title}, {period.KindName} {period.Label}";
        return new DigestMessage(schedule.Name, scope, period, subject, markdown, HtmlReportWriter.Write(report), url);
    }
}
