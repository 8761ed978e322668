using DoraCollector.Api.Read;
using DoraCollector.Metrics;

namespace DoraCollector.Reports.Html;

/// <summary>
/// The small pieces every section repeats: a value with its machine-readable form, a level, an
/// interval, a change, an instant, a change's name, a table's opening. Each is built with
/// <see cref="HtmlBuilder"/>, so every value in it is encoded.
/// </summary>
internal static class HtmlFragments
{
    /// <summary>Opens a table that scrolls on its own on narrow screens: region, caption, one header row, and the body.</summary>
    public static void OpenTable(HtmlBuilder html, string id, string cssClass, Markup caption, IEnumerable<string> columns)
    {
        html.Append($"""
            <div class="scroll" role="region" aria-labelledby="{id}" tabindex="0"><table class="{cssClass}">
            <caption id="{id}">{caption}</caption>
            <thead><tr>
            """);
        foreach (var column in columns)
        {
            html.Append($"""<th scope="col">{column}</th>""");
        }

        html.Append($"</tr></thead>\n<tbody>");
    }

    /// <summary>Closes a table opened with <see cref="OpenTable"/>.</summary>
    public static void CloseTable(HtmlBuilder html) => html.Append($"</tbody></table></div>\n");

    /// <summary>A pointer to the CSV when a table shows only the first <paramref name="shown"/> of <paramref name="total"/> rows.</summary>
    public static void More(HtmlBuilder html, int total, int shown, string csv)
    {
        if (total > shown)
        {
            html.Append($"""<p class="more">Showing {shown} of {total}; <a href="{csv}">the CSV has all of them</a>.</p>""");
        }
    }

    /// <summary>A pull request as <c>repo#7</c> or a commit by its short hash, linked when its address is http(s), with its title and tags.</summary>
    public static void ChangeName(HtmlBuilder html, ChangeItem change)
    {
        var label = change.PullRequestNumber is { } number
            ? $"{change.Repository}#{number}"
            : $"commit {ReportText.ShortSha(change.HeadSha)}";
        Link(html, change.Url, label);
        if (!string.IsNullOrWhiteSpace(change.Title))
        {
            html.Append($"""<span class="title">{change.Title}</span>""");
        }

        if (change.IsHotfix || change.IsRevert)
        {
            html.Append($"""<span class="tag">{(change.IsRevert ? "revert" : "hotfix")}</span>""");
        }
    }

    /// <summary>The text as a link when <paramref name="url"/> is http(s), as plain text otherwise.</summary>
    public static void Link(HtmlBuilder html, string? url, string text)
    {
        if (HtmlBuilder.SafeUrl(url) is { } safe)
        {
            html.Append($"""<a href="{safe}">{text}</a>""");
        }
        else
        {
            html.Append($"{text}");
        }
    }

    public static Markup Value(ReportMetric metric, double? value)
    {
        var html = new HtmlBuilder();
        if (value is { } v)
        {
            html.Append($"""<data value="{ReportText.Number(v)}">{ReportText.Value(metric.Unit, v)}</data>""");
        }
        else
        {
            html.Append($"""<span class="nodata">{ReportText.NoData}</span>""");
        }

        return html.ToMarkup();
    }

    public static Markup Level(bool production, ReportMetric metric, MetricValues values)
    {
        // Outside production nothing is judged; the section's heading says so once. Without a
        // value the cell already says "no data": no level to add.
        if (metric.Level is null || !production || metric.Read(values) is null)
        {
            return Markup.Empty;
        }

        var html = new HtmlBuilder();
        if (metric.LevelOf(values) is { } l)
        {
            var name = ReportText.Level(l);
            html.Append($"""<span class="level level-{name}">{name}</span>""");
        }
        else if (metric.NotEnoughData(values))
        {
            html.Append($"""<span class="nodata not-enough">{ReportText.NotEnoughData(metric.IntervalOf(values))}</span>""");
        }
        else
        {
            html.Append($"""<span class="nodata">no level</span>""");
        }

        return html.ToMarkup();
    }

    /// <summary>The 95 % interval with its sample size, in a <paramref name="element"/> (<c>p</c> or <c>span</c>); empty without one.</summary>
    public static Markup Interval(ReportMetric metric, MetricValues values, string element)
    {
        if (metric.IntervalOf(values) is not { } interval)
        {
            return Markup.Empty;
        }

        var low = ReportText.Number(interval.Low);
        var high = interval.IsBounded ? ReportText.Number(interval.High) : "";
        var text = ReportText.Interval(metric.Unit, interval);
        var html = new HtmlBuilder();
        if (element == "p")
        {
            html.Append($"""<p class="interval" data-n="{interval.N}" data-low="{low}" data-high="{high}">{text}</p>""");
        }
        else
        {
            html.Append($"""<span class="interval" data-n="{interval.N}" data-low="{low}" data-high="{high}">{text}</span>""");
        }

        return html.ToMarkup();
    }

    /// <summary>Arrow, delta, relative change and verdict in words; <paramref name="compact"/> leaves out the relative change.</summary>
    public static Markup Change(ReportMetric metric, MetricChange change, bool compact = false)
    {
        var html = new HtmlBuilder();
        if (change.Movement == Movement.None)
        {
            html.Append($"""<span class="change no-comparison">{ReportText.Verdict(change.Verdict)}</span>""");
            return html.ToMarkup();
        }

        var verdict = ReportText.Verdict(change.Verdict).Replace(' ', '-');
        var delta = ReportText.Number(change.Delta!.Value);
        var arrow = ReportText.Arrow(change.Movement);
        if (change.Movement == Movement.Flat)
        {
            html.Append($"""<span class="change unchanged" data-delta="{delta}"><span aria-hidden="true">{arrow}</span> unchanged</span>""");
            return html.ToMarkup();
        }

        var relative = compact ? "" : ReportText.Relative(metric.Unit, change);
        html.Append(
            $"""<span class="change {verdict}" data-delta="{delta}">""" +
            $"""<span aria-hidden="true">{arrow}</span> {ReportText.Delta(metric.Unit, change)}""");
        if (relative.Length > 0)
        {
            html.Append($" ({relative})");
        }

        if (change.Verdict is Verdict.Better or Verdict.Worse or Verdict.WithinNoise)
        {
            html.Append($""" <span class="verdict">{ReportText.Verdict(change.Verdict)}</span>""");
        }

        html.Append($"</span>");
        return html.ToMarkup();
    }

    public static Markup Time(DateTimeOffset instant) =>
        new HtmlBuilder().Append($"""<time datetime="{ReportText.Iso(instant)}">{ReportText.Time(instant)}</time>""").ToMarkup();

    public static string Seconds(double? seconds) => seconds is { } s ? ReportText.Duration(s) : "—";
}
