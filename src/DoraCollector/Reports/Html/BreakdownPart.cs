using static DoraCollector.Reports.Html.HtmlFragments;

namespace DoraCollector.Reports.Html;

/// <summary>The organisation's teams or a team's services in production, each linked to its own report; nothing for a service.</summary>
internal static class BreakdownPart
{
    public static void Write(HtmlBuilder html, DeliveryReport report)
    {
        if (report.BreakdownKind is not { } kind)
        {
            return;
        }

        var (period, previous) = (report.Period, report.Previous);
        var noun = kind == ScopeKind.Team ? "Teams" : "Services";
        html.Append($"""<section aria-labelledby="breakdown"><h2 id="breakdown">{noun}</h2>""");
        if (report.Breakdown.Count == 0)
        {
            html.Append(
                $"""<p>No {noun.ToLowerInvariant()} with activity in a production environment """ +
                $"""in {period.Label} or {previous.Label}.</p></section>""");
            html.Append($"\n");
            return;
        }

        if (kind == ScopeKind.Team)
        {
            html.Append($"<p>Services without a team count in the organisation's numbers only.</p>");
        }

        var caption = new HtmlBuilder()
            .Append($"{noun} in production, {period.Label}, with the change against {previous.Label}")
            .ToMarkup();
        var columns = new[] { kind == ScopeKind.Team ? "Team" : "Service", "Environment" }.Concat(ReportMetric.Headlines.Select(m => m.Name));
        OpenTable(html, "breakdown-table", "breakdown", caption, columns);
        html.Append($"\n");
        foreach (var row in report.Breakdown)
        {
            var target = kind == ScopeKind.Team ? ReportScope.Team(row.Name) : ReportScope.Service(row.Name);
            html.Append($"""<tr><th scope="row"><a href="{ReportLinks.Page(target, period)}">{row.Name}</a></th><td>{row.Environment}</td>""");
            foreach (var metric in ReportMetric.Headlines)
            {
                // Compact: a missing value says "no data" once, with no level or comparison to repeat it.
                var change = row.Change(metric);
                html.Append($"""<td data-metric="{metric.Key}"><span class="num">{Value(metric, change.Current)}</span>""");
                if (change.Current is not null)
                {
                    html.Append($""" {Level(true, metric, row.Current)}<br>{Change(metric, change, compact: true)}""");
                }

                html.Append($"</td>");
            }

            html.Append($"</tr>\n");
        }

        CloseTable(html);
        html.Append($"</section>\n");
    }
}
