using static DoraCollector.Reports.Html.HtmlFragments;

namespace DoraCollector.Reports.Html;

/// <summary>What the numbers leave out and why: unmatched incident signals, discarded lead times, ignored events, sources.</summary>
internal static class QualityPart
{
    public static void Write(HtmlBuilder html, DeliveryReport report)
    {
        html.Append($"""<section aria-labelledby="quality"><h2 id="quality">Data quality</h2><ul class="notes">""");
        Notes(html, report);
        html.Append($"</ul>\n");
        Discarded(html, report);
        Unattributed(html, report);
        Sources(html, report);
        html.Append($"</section>\n");
    }

    /// <summary>What a reader needs about a source, in words: ok, stale since when, or its error.</summary>
    internal static string SourceState(SourceStatus source) =>
        source.LastError is { } error ? $"failing: {error}"
        : source.Errors > 0 ? $"{source.Errors} ingest errors since this replica started"
        : source.Stale ? "stale: no recent success"
        : "ok";

    private static void Notes(HtmlBuilder html, DeliveryReport report)
    {
        var (quality, period, scope) = (report.Quality, report.Period.Label, report.Scope.Title);
        if (quality.UnattributedTotal == 0)
        {
            html.Append($"""<li>Every incident signal open in {period} was matched to a service.</li>""");
        }
        else
        {
            var signals = ReportText.Count(quality.UnattributedTotal, "incident signal", "incident signals");
            var verb = quality.UnattributedTotal == 1 ? "it counts" : "they count";
            html.Append(
                $"""<li>{signals} open in {period} could not be matched to any service (organisation-wide), """ +
                $"""so {verb} for no one's time to restore.</li>""");
        }

        if (quality.DiscardedLeadTimes == 0)
        {
            html.Append($"""<li>No change of {scope} was left out of lead time.</li>""");
        }
        else
        {
            var changes = ReportText.Count(quality.DiscardedLeadTimes, "change", "changes");
            var which = quality.DiscardedLeadTimes == 1 ? "it" : "each";
            html.Append(
                $"""<li>{changes} of {scope} left out of lead time because {which} came out zero or negative """ +
                $"""(clock skew, or a change dated after its deployment).</li>""");
        }

        if (quality.Unresolved.Count > 0)
        {
            var deployments = ReportText.Count(quality.Unresolved.Count, "deployment", "deployments");
            html.Append(
                $"""<li>{deployments} of {scope} synced a GitOps repository without an application revision that could be resolved: """ +
                $"""counted for deployment frequency and change failure rate, without changes or lead time ({quality.UnresolvedNames(report.Limits.MaxRows)}).</li>""");
        }

        if (quality.IgnoredSummary() is ({ } ignored and > 0, var reasons))
        {
            html.Append(
                $"""<li>{ReportText.Count(ignored, "event", "events")} received in {period} ignored, never counted ({reasons}): """ +
                $"""an instant before 2000 or more than a day ahead, or a name too long to be real.</li>""");
        }

        var stale = quality.Sources.Count(s => s.Stale);
        var sources = !quality.SourcesConfigured ? "No source is configured, so nothing is collected (README, Configuration)."
            : stale == 0 ? "No source is stale or failing."
            : $"{ReportText.Count(stale, "source is", "sources are")} stale or failing: data after their last success may be missing.";
        html.Append($"""<li>{sources}</li>""");
    }

    private static void Discarded(HtmlBuilder html, DeliveryReport report)
    {
        var discarded = report.Changes.Where(c => c.Discarded).ToList();
        if (discarded.Count == 0)
        {
            return;
        }

        var caption = new HtmlBuilder().Append($"Changes with a discarded lead time, {report.Period.Label}").ToMarkup();
        OpenTable(html, "discarded-table", "evidence", caption, ["Change", "Service", "Environment", "First commit", "Deployed"]);
        html.Append($"\n");
        foreach (var change in discarded.Take(report.Limits.MaxRows))
        {
            html.Append($"<tr><th scope=\"row\">");
            ChangeName(html, change);
            html.Append($"""</th><td>{change.Service}</td><td>{change.Environment}</td>""");
            html.Append($"""<td>{Time(change.FirstCommitAt)}</td><td>{Time(change.DeployedAt)}</td></tr>""");
            html.Append($"\n");
        }

        CloseTable(html);
    }

    private static void Unattributed(HtmlBuilder html, DeliveryReport report)
    {
        var quality = report.Quality;
        if (quality.Unattributed.Count == 0)
        {
            return;
        }

        var caption = new HtmlBuilder().Append($"Incident signals without a service, {report.Period.Label}").ToMarkup();
        OpenTable(html, "unattributed-table", "evidence", caption,
            ["Signal", "Source", "Service named by the source", "Started", "Resolved"]);
        html.Append($"\n");
        foreach (var signal in quality.Unattributed.Take(report.Limits.MaxRows))
        {
            html.Append($"<tr><th scope=\"row\">");
            Link(html, signal.Url, signal.Title ?? signal.ExternalId);
            var resolved = signal.ResolvedAt is { } r ? Time(r) : new Markup("open");
            html.Append($"""</th><td>{signal.Source}</td><td>{signal.ServiceHint ?? "(none)"}</td>""");
            html.Append($"""<td>{Time(signal.StartedAt)}</td><td>{resolved}</td></tr>""");
            html.Append($"\n");
        }

        CloseTable(html);
        var total = (int)Math.Min(quality.UnattributedTotal, int.MaxValue);
        More(html, total, report.Limits.MaxRows, ReportLinks.Csv(report.Scope, report.Period, ReportTables.Unattributed));
    }

    private static void Sources(HtmlBuilder html, DeliveryReport report)
    {
        if (report.Quality.Sources.Count == 0)
        {
            return;
        }

        var caption = new HtmlBuilder().Append($"Sources as of {ReportText.Time(report.Now)}").ToMarkup();
        OpenTable(html, "sources-table", "evidence", caption, ["Source", "Scope", "Last success", "Status"]);
        html.Append($"\n");
        foreach (var source in report.Quality.Sources)
        {
            var lastSuccess = source.LastSuccessAt is { } at ? Time(at) : new Markup("never");
            html.Append($"""<tr><th scope="row">{source.Source}</th><td>{source.Scope}</td><td>{lastSuccess}</td>""");
            html.Append($"""<td class="{(source.Stale ? "worse" : "")}">{SourceState(source)}</td></tr>""");
            html.Append($"\n");
        }

        CloseTable(html);
    }
}
