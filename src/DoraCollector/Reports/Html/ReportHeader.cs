namespace DoraCollector.Reports.Html;

/// <summary>The page's header: breadcrumb, title, period line and notices, links to other periods and the downloads.</summary>
internal static class ReportHeader
{
    public static void Write(HtmlBuilder html, DeliveryReport report)
    {
        var (scope, period, previous) = (report.Scope, report.Period, report.Previous);
        html.Append($"<header>\n");
        Breadcrumb(html, report);
        html.Append($"<h1>Delivery report: {scope.Title}</h1>\n");
        html.Append(
            $"""<p class="period"><strong>{Capitalised(period.Title)}</strong>, """ +
            $"""compared with the previous {period.KindName} ({previous.Label}). Times are UTC.</p>""");
        if (report.InProgress)
        {
            html.Append(
                $"""<p class="notice">This {period.KindName} is still in progress: its numbers cover the time up to """ +
                $"""<time datetime="{ReportText.Iso(report.Now)}">{ReportText.Time(report.Now)}</time>, and rates are per day so far.</p>""");
        }

        if (ReportText.RecordsNote(report) is { Length: > 0 } records)
        {
            html.Append($"""<p class="notice records">{records} Earlier periods are shown as no data, not as zero.</p>""");
        }

        html.Append($"\n");
        OtherPeriods(html, report);
        Downloads(html, report);
        html.Append($"</header>\n");
    }

    private static void Breadcrumb(HtmlBuilder html, DeliveryReport report)
    {
        var (scope, period) = (report.Scope, report.Period);
        html.Append($"""<nav class="crumbs" aria-label="Breadcrumb"><ol>""");
        if (scope.Kind == ScopeKind.Organization)
        {
            html.Append($"""<li><a aria-current="page" href="{ReportLinks.Page(scope, period)}">Organisation</a></li>""");
        }
        else
        {
            html.Append($"""<li><a href="{ReportLinks.Page(ReportScope.Organization, period)}">Organisation</a></li>""");
            if (report.Team is { } team)
            {
                html.Append($"""<li><a href="{ReportLinks.Page(ReportScope.Team(team), period)}">team {team}</a></li>""");
            }

            html.Append($"""<li><a aria-current="page" href="{ReportLinks.Page(scope, period)}">{scope.Title}</a></li>""");
        }

        html.Append($"</ol></nav>\n");
    }

    /// <summary>The previous and (when it has begun) the next period, and the week, month and quarter holding this one's start.</summary>
    private static void OtherPeriods(HtmlBuilder html, DeliveryReport report)
    {
        var (scope, period, previous) = (report.Scope, report.Period, report.Previous);
        html.Append($"""<nav class="periods" aria-label="Other periods"><ul>""");
        html.Append($"""<li><a rel="prev" href="{ReportLinks.Page(scope, previous)}">← previous {period.KindName} ({previous.Label})</a></li>""");
        var next = period.Next();
        if (next.Start < report.Now)
        {
            html.Append($"""<li><a rel="next" href="{ReportLinks.Page(scope, next)}">next {period.KindName} ({next.Label}) →</a></li>""");
        }

        var day = DateOnly.FromDateTime(period.Start.UtcDateTime);
        foreach (var kind in new[] { PeriodKind.Week, PeriodKind.Month, PeriodKind.Quarter })
        {
            var other = ReportPeriod.Containing(kind, day);
            var current = kind == period.Kind ? new Markup(" aria-current=\"true\"") : Markup.Empty;
            html.Append($"""<li><a href="{ReportLinks.Page(scope, other)}"{current}>{other.KindName} {other.Label}</a></li>""");
        }

        html.Append($"</ul></nav>\n");
    }

    /// <summary>The Markdown summary and every CSV table the report has (the breakdown only where there is one).</summary>
    private static void Downloads(HtmlBuilder html, DeliveryReport report)
    {
        var (scope, period) = (report.Scope, report.Period);
        html.Append(
            $"""<nav class="downloads" aria-label="Downloads"><p>Download: """ +
            $"""<a href="{ReportLinks.Markdown(scope, period)}">Markdown summary</a>; CSV: """);
        var tables = ReportTables.All.Where(t => t != ReportTables.Breakdown || report.BreakdownKind is not null).ToList();
        for (var i = 0; i < tables.Count; i++)
        {
            html.Append($"""{(i == 0 ? "" : ", ")}<a href="{ReportLinks.Csv(scope, period, tables[i])}">{tables[i]}</a>""");
        }

        html.Append($"</p></nav>\n");
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
