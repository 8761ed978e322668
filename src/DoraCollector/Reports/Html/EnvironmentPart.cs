using static DoraCollector.Reports.Html.HtmlFragments;

namespace DoraCollector.Reports.Html;

/// <summary>One environment: a card per headline metric with its trend chart, then every metric against the previous period.</summary>
internal static class EnvironmentPart
{
    public static void Write(HtmlBuilder html, DeliveryReport report, EnvironmentSection section, int index)
    {
        var id = $"env-{index}";
        var (period, previous) = (report.Period, report.Previous);
        var tag = section.IsProduction
            ? new Markup("<span class=\"tag\">production: levels judged</span>")
            : new Markup("<span class=\"tag muted\">not production: no levels</span>");
        html.Append($"""<section class="environment" aria-labelledby="{id}"><h2 id="{id}">{section.Environment} {tag}</h2>""");
        html.Append($"""

            <h3 class="visually-hidden">Headline metrics and their trend over the last {ReportPeriod.TrendLength} periods</h3>
            <div class="cards">
            """);
        foreach (var metric in ReportMetric.Headlines)
        {
            Card(html, report, section, metric, $"{id}-{metric.Key}");
        }

        html.Append($"</div>\n");
        var caption = new HtmlBuilder()
            .Append($"All metrics in {section.Environment}: {period.Label} against {previous.Label}")
            .ToMarkup();
        OpenTable(html, $"{id}-table", "metrics", caption, ["Metric", period.Label, "95 % interval", "Level", previous.Label, "Change"]);
        foreach (var metric in ReportMetric.Performance)
        {
            MetricRow(html, section, metric);
        }

        html.Append($"""
            </tbody>
            <tbody class="activity"><tr><th scope="rowgroup" colspan="6">Activity</th></tr>

            """);
        foreach (var metric in ReportMetric.Activity)
        {
            MetricRow(html, section, metric);
        }

        CloseTable(html);
        html.Append($"</section>\n");
    }

    private static void Card(HtmlBuilder html, DeliveryReport report, EnvironmentSection section, ReportMetric metric, string id)
    {
        var change = section.Change(metric);
        html.Append($"""<article class="card" aria-labelledby="{id}-h"><h4 id="{id}-h">{metric.Name}</h4>""");
        html.Append(
            $"""<p class="value">{Value(metric, metric.Read(section.Current))} """ +
            $"""{Level(section.IsProduction, metric, section.Current)}</p>""");
        html.Append($"""{Interval(metric, section.Current, "p")}""");
        html.Append($"""<p class="change-line">{Change(metric, change)} <span class="than">vs {report.Previous.Label}</span></p>""");
        var title = $"{metric.Name} in {section.Environment}, last {ReportPeriod.TrendLength} periods ({ReportText.Better(metric.Direction)})";
        TrendChart.Write(html, id, title, metric, report.Trend, section.Trend.Select(metric.Read).ToList());
        html.Append($"</article>");
    }

    private static void MetricRow(HtmlBuilder html, EnvironmentSection section, ReportMetric metric)
    {
        var change = section.Change(metric);
        var better = ReportText.Better(metric.Direction);
        html.Append($"""<tr data-metric="{metric.Key}"><th scope="row">{metric.Name}""");
        if (better.Length > 0)
        {
            html.Append($"""<span class="hint">{better}</span>""");
        }

        html.Append($"""</th><td class="num">{Value(metric, change.Current)}</td><td>{Interval(metric, section.Current, "span")}</td>""");
        html.Append($"""<td>{Level(section.IsProduction, metric, section.Current)}</td>""");
        html.Append($"""<td class="num">{Value(metric, change.Previous)}</td><td>{Change(metric, change)}</td></tr>""");
        html.Append($"\n");
    }
}
