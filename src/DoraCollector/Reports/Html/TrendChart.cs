using System.Globalization;

namespace DoraCollector.Reports.Html;

/// <summary>
/// A small line chart of one metric over the trend periods as inline SVG: no script, no external
/// file, scales with the page and prints as vectors. Periods without data leave a gap (never a
/// zero). The <c>title</c> and <c>desc</c> carry every value for screen readers; each point has a
/// tooltip.
/// </summary>
internal static class TrendChart
{
    private const double Width = 320;
    private const double Height = 150;
    private const double Right = 10;

    // The value labels sit left of the axis: the margin grows with the longest one ("20 h 19 min"),
    // at about 6 px a character of the 10 px tick font, so none is cut at the chart's edge.
    private const double NarrowestLeft = 40;
    private const double TickCharWidth = 6;
    private const double Top = 12;
    private const double Bottom = 118;

    public static void Write(HtmlBuilder html, string id, string title, ReportMetric metric,
        IReadOnlyList<ReportPeriod> periods, IReadOnlyList<double?> values)
    {
        var max = values.OfType<double>().DefaultIfEmpty(0).Max();
        var top = max <= 0 ? 1 : max * 1.1;
        var longest = Math.Max(ReportText.Value(metric.Unit, 0).Length, max > 0 ? ReportText.Value(metric.Unit, max).Length : 0);
        var left = Math.Max(NarrowestLeft, (longest * TickCharWidth) + 8);
        double X(int i) => left + ((Width - left - Right) * i / Math.Max(1, periods.Count - 1));
        double Y(double v) => Bottom - ((Bottom - Top) * v / top);

        var description = string.Join("; ", periods.Select((p, i) => $"{p.Label}: {ReportText.Value(metric.Unit, values[i])}"));
        html.Append($"""<svg class="trend" viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMidYMid meet">""");
        html.Append($"""<title id="{id}-t">{title}</title><desc id="{id}-d">{description}</desc>""");

        // Axes and the two reference values: zero and the largest value shown.
        html.Append($"""<line class="axis" x1="{left}" y1="{Bottom}" x2="{Width - Right}" y2="{Bottom}"/>""");
        html.Append($"""<line class="grid" x1="{left}" y1="{Y(max):0.##}" x2="{Width - Right}" y2="{Y(max):0.##}"/>""");
        html.Append($"""<text class="tick" x="{left - 4}" y="{Bottom + 4}" text-anchor="end">{ReportText.Value(metric.Unit, 0)}</text>""");
        if (max > 0)
        {
            html.Append($"""<text class="tick" x="{left - 4}" y="{Y(max) + 4:0.##}" text-anchor="end">{ReportText.Value(metric.Unit, max)}</text>""");
        }

        html.Append($"""<text class="tick" x="{X(0)}" y="{Height - 14}" text-anchor="start">{periods[0].ShortLabel}</text>""");
        html.Append($"""<text class="tick" x="{X(periods.Count - 1)}" y="{Height - 14}" text-anchor="end">{periods[^1].ShortLabel}</text>""");
        if (values.All(v => v is null))
        {
            html.Append($"""<text class="empty" x="{(left + Width - Right) / 2}" y="{(Top + Bottom) / 2}" text-anchor="middle">{ReportText.NoData}</text>""");
        }

        // One polyline per run of periods with data: a period without data is a gap, not a fall to zero.
        var run = new List<string>();
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && values[i] is { } v)
            {
                run.Add(string.Create(CultureInfo.InvariantCulture, $"{X(i):0.##},{Y(v):0.##}"));
                continue;
            }

            if (run.Count > 1)
            {
                html.Append($"""<polyline class="line" points="{string.Join(' ', run)}"/>""");
            }

            run.Clear();
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v)
            {
                var last = i == values.Count - 1;
                html.Append(
                    $"""<circle class="{(last ? "point current" : "point")}" cx="{X(i):0.##}" cy="{Y(v):0.##}" r="{(last ? 4.5 : 3)}">""" +
                    $"""<title>{periods[i].Label}: {ReportText.Value(metric.Unit, v)}</title></circle>""");
            }
        }

        html.Append($"</svg>");
    }
}
