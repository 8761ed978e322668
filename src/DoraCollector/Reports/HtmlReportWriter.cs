using DoraCollector.Api.Read;

namespace DoraCollector.Reports;

/// <summary>
/// Renders a <see cref="DeliveryReport"/> as one self-contained HTML page: no script, no external
/// file; semantic headings, tables with captions and header scopes, text (not colour alone) for
/// every verdict, and a print stylesheet. Every value from the data goes through
/// <see cref="HtmlBuilder"/>'s encoding.
/// </summary>
internal static class HtmlReportWriter
{
    public static string Write(DeliveryReport report)
    {
        var html = new HtmlBuilder();
        var title = $"Delivery report: {report.Scope.Title}, {report.Period.KindName} {report.Period.Label}";
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="DoraCollector">
            <title>{title}</title>
            <style>{ReportStyles.Css}</style>
            </head>
            <body>
            <a class="skip" href="#main">Skip to the report</a>

            """);
        Header(html, report);
        html.Append($"<main id=\"main\">\n");
        if (report.Environments.Count == 0)
        {
            html.Append($"""<p class="empty-report">No deployments, changes or incidents of {report.Scope.Title} in this period or the {ReportPeriod.TrendLength - 1} before it.</p>""");
        }

        for (var i = 0; i < report.Environments.Count; i++)
        {
            Environment(html, report, report.Environments[i], i);
        }

        Breakdown(html, report);
        Changes(html, report);
        FailedDeployments(html, report);
        Incidents(html, report);
        Quality(html, report);
        html.Append($"</main>\n");
        Footer(html, report);
        html.Append($"</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(HtmlBuilder html, DeliveryReport report)
    {
        var (scope, period, previous) = (report.Scope, report.Period, report.Previous);
        html.Append($"<header>\n<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>");
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
        html.Append($"<h1>Delivery report: {scope.Title}</h1>\n");
        html.Append($"""<p class="period"><strong>{Capitalised(period.Title)}</strong>, compared with the previous {period.KindName} ({previous.Label}). Times are UTC.</p>""");
        if (report.InProgress)
        {
            html.Append($"""<p class="notice">This {period.KindName} is still in progress: its numbers cover the time up to <time datetime="{ReportText.Iso(report.Now)}">{ReportText.Time(report.Now)}</time>, and rates are per day so far.</p>""");
        }

        if (ReportText.RecordsNote(report) is { Length: > 0 } records)
        {
            html.Append($"""<p class="notice records">{records} Earlier periods are shown as no data, not as zero.</p>""");
        }

        html.Append($"\n<nav class=\"periods\" aria-label=\"Other periods\"><ul>");
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
            var current = kind == period.Kind ? " aria-current=\"true\"" : "";
            html.Append($"""<li><a href="{ReportLinks.Page(scope, other)}"{new Markup(current)}>{other.KindName} {other.Label}</a></li>""");
        }

        html.Append($"</ul></nav>\n<nav class=\"downloads\" aria-label=\"Downloads\"><p>Download: <a href=\"{ReportLinks.Markdown(scope, period)}\">Markdown summary</a>; CSV: ");
        var tables = ReportTables.All.Where(t => t != ReportTables.Breakdown || report.BreakdownKind is not null).ToList();
        for (var i = 0; i < tables.Count; i++)
        {
            html.Append($"""{(i == 0 ? "" : ", ")}<a href="{ReportLinks.Csv(scope, period, tables[i])}">{tables[i]}</a>""");
        }

        html.Append($"</p></nav>\n</header>\n");
    }

    private static void Environment(HtmlBuilder html, DeliveryReport report, EnvironmentSection section, int index)
    {
        var id = $"env-{index}";
        var (period, previous) = (report.Period, report.Previous);
        html.Append($"""<section class="environment" aria-labelledby="{id}"><h2 id="{id}">{section.Environment} """);
        html.Append($"""{(section.IsProduction ? new Markup("<span class=\"tag\">production: levels judged</span>") : new Markup("<span class=\"tag muted\">not production: no levels</span>"))}</h2>""");

        html.Append($"\n<h3 class=\"visually-hidden\">Headline metrics and their trend over the last {ReportPeriod.TrendLength} periods</h3>\n<div class=\"cards\">");
        foreach (var metric in ReportMetric.Headlines)
        {
            var cardId = $"{id}-{metric.Key}";
            var change = section.Change(metric);
            html.Append($"""<article class="card" aria-labelledby="{cardId}-h"><h4 id="{cardId}-h">{metric.Name}</h4>""");
            html.Append($"""<p class="value">{Value(metric, metric.Read(section.Current))} {Level(section.IsProduction, metric, section.Current)}</p>""");
            html.Append($"""{Interval(metric, section.Current, "p")}""");
            html.Append($"""<p class="change-line">{Change(metric, change)} <span class="than">vs {previous.Label}</span></p>""");
            TrendChart.Write(html, cardId, $"{metric.Name} in {section.Environment}, last {ReportPeriod.TrendLength} periods ({ReportText.Better(metric.Direction)})",
                metric, report.Trend, section.Trend.Select(metric.Read).ToList());
            html.Append($"</article>");
        }

        html.Append($"</div>\n");
        html.Append($"""
            <div class="scroll" role="region" aria-labelledby="{id}-table" tabindex="0"><table class="metrics">
            <caption id="{id}-table">All metrics in {section.Environment}: {period.Label} against {previous.Label}</caption>
            <thead><tr><th scope="col">Metric</th><th scope="col">{period.Label}</th><th scope="col">95 % interval</th><th scope="col">Level</th><th scope="col">{previous.Label}</th><th scope="col">Change</th></tr></thead>
            <tbody>
            """);
        foreach (var metric in ReportMetric.Performance)
        {
            MetricRow(html, section, metric);
        }

        html.Append($"</tbody>\n<tbody class=\"activity\"><tr><th scope=\"rowgroup\" colspan=\"6\">Activity</th></tr>\n");
        foreach (var metric in ReportMetric.Activity)
        {
            MetricRow(html, section, metric);
        }

        html.Append($"</tbody></table></div>\n</section>\n");
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

    private static void Breakdown(HtmlBuilder html, DeliveryReport report)
    {
        if (report.BreakdownKind is not { } kind)
        {
            return;
        }

        var noun = kind == ScopeKind.Team ? "Teams" : "Services";
        html.Append($"""<section aria-labelledby="breakdown"><h2 id="breakdown">{noun}</h2>""");
        if (report.Breakdown.Count == 0)
        {
            html.Append($"""<p>No {noun.ToLowerInvariant()} with activity in a production environment in {report.Period.Label} or {report.Previous.Label}.</p></section>""");
            html.Append($"\n");
            return;
        }

        if (kind == ScopeKind.Team)
        {
            html.Append($"<p>Services without a team count in the organisation's numbers only.</p>");
        }

        html.Append($"""
            <div class="scroll" role="region" aria-labelledby="breakdown-table" tabindex="0"><table class="breakdown">
            <caption id="breakdown-table">{noun} in production, {report.Period.Label}, with the change against {report.Previous.Label}</caption>
            <thead><tr><th scope="col">{(kind == ScopeKind.Team ? "Team" : "Service")}</th><th scope="col">Environment</th>
            """);
        foreach (var metric in ReportMetric.Headlines)
        {
            html.Append($"""<th scope="col">{metric.Name}</th>""");
        }

        html.Append($"</tr></thead>\n<tbody>\n");
        foreach (var row in report.Breakdown)
        {
            var target = kind == ScopeKind.Team ? ReportScope.Team(row.Name) : ReportScope.Service(row.Name);
            html.Append($"""<tr><th scope="row"><a href="{ReportLinks.Page(target, report.Period)}">{row.Name}</a></th><td>{row.Environment}</td>""");
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

        html.Append($"</tbody></table></div>\n</section>\n");
    }

    private static void Changes(HtmlBuilder html, DeliveryReport report)
    {
        var counted = report.Changes.Where(c => !c.Discarded).ToList();
        var shown = counted.Take(report.Limits.SlowestChanges).ToList();
        html.Append($"""<section aria-labelledby="changes"><h2 id="changes">Slowest changes</h2>""");
        if (shown.Count == 0)
        {
            html.Append($"<p>No change with a lead time was deployed in {report.Period.Label}.</p></section>\n");
            return;
        }

        html.Append($"""<p>The {shown.Count} slowest of {counted.Count} changes whose lead time counts in {report.Period.Label} (first deployment of each change to an environment). For pull requests the lead time splits into coding (first commit → opened), review (opened → merged) and deploy (merged → live).</p>""");
        html.Append($"""
            <div class="scroll" role="region" aria-labelledby="changes-table" tabindex="0"><table class="evidence">
            <caption id="changes-table">Slowest changes, {report.Period.Label}</caption>
            <thead><tr><th scope="col">Change</th><th scope="col">Service</th><th scope="col">Environment</th><th scope="col">Deployed</th><th scope="col">Lead time</th><th scope="col">Coding</th><th scope="col">Review</th><th scope="col">Deploy</th></tr></thead>
            <tbody>

            """);
        foreach (var change in shown)
        {
            html.Append($"<tr><th scope=\"row\">");
            ChangeName(html, change);
            html.Append($"""</th><td>{change.Service}</td><td>{change.Environment}</td><td>{Time(change.DeployedAt)}</td>""");
            html.Append($"""<td class="num">{Seconds(change.LeadTimeSeconds)}</td><td class="num">{Seconds(change.CodingSeconds)}</td><td class="num">{Seconds(change.ReviewSeconds)}</td><td class="num">{Seconds(change.DeploySeconds)}</td></tr>""");
            html.Append($"\n");
        }

        html.Append($"</tbody></table></div>\n</section>\n");
    }

    private static void ChangeName(HtmlBuilder html, ChangeItem change)
    {
        var label = change.PullRequestNumber is { } number
            ? $"{change.Repository}#{number}"
            : $"commit {ReportText.ShortSha(change.HeadSha)}";
        if (HtmlBuilder.SafeUrl(change.Url) is { } url)
        {
            html.Append($"""<a href="{url}">{label}</a>""");
        }
        else
        {
            html.Append($"{label}");
        }

        if (!string.IsNullOrWhiteSpace(change.Title))
        {
            html.Append($"""<span class="title">{change.Title}</span>""");
        }

        if (change.IsHotfix || change.IsRevert)
        {
            html.Append($"""<span class="tag">{(change.IsRevert ? "revert" : "hotfix")}</span>""");
        }
    }

    private static void FailedDeployments(HtmlBuilder html, DeliveryReport report)
    {
        var failed = report.FailedDeployments;
        html.Append($"""<section aria-labelledby="failed"><h2 id="failed">Failed deployments</h2>""");
        if (failed.Count == 0)
        {
            html.Append($"<p>No deployment in {report.Period.Label} counts as failed.</p></section>\n");
            return;
        }

        html.Append($"""<p>{ReportText.Count(failed.Count, "deployment", "deployments")} in {report.Period.Label} {(failed.Count == 1 ? "counts" : "count")} as change failures: rolled back, followed by an incident, a hotfix or a revert, or a rollout that never went live. Recovery runs from the deployment to the incident's resolution or the next good deployment.</p>""");
        html.Append($"""
            <div class="scroll" role="region" aria-labelledby="failed-table" tabindex="0"><table class="evidence">
            <caption id="failed-table">Failed deployments, {report.Period.Label}</caption>
            <thead><tr><th scope="col">Deployment</th><th scope="col">Service</th><th scope="col">Environment</th><th scope="col">Revision</th><th scope="col">Finished</th><th scope="col">Why it counts as failed</th><th scope="col">Recovered after</th></tr></thead>
            <tbody>

            """);
        foreach (var d in failed.Take(report.Limits.MaxRows))
        {
            html.Append($"""<tr><th scope="row">#{d.Id}</th><td>{d.Service}</td><td>{d.Environment}</td><td><code>{ReportText.ShortSha(d.Revision)}</code></td><td>{Time(d.FinishedAt)}</td>""");
            html.Append($"""<td>{ReportText.FailureReason(d)}</td><td class="num">{(d.RecoverySeconds is { } s ? ReportText.Duration(s) : "not recovered")}</td></tr>""");
            html.Append($"\n");
        }

        html.Append($"</tbody></table></div>\n");
        More(html, failed.Count, report.Limits.MaxRows, ReportLinks.Csv(report.Scope, report.Period, ReportTables.Deployments));
        html.Append($"</section>\n");
    }

    private static void Incidents(HtmlBuilder html, DeliveryReport report)
    {
        var incidents = report.Incidents;
        html.Append($"""<section aria-labelledby="incidents"><h2 id="incidents">Incidents</h2>""");
        if (incidents.Count == 0)
        {
            html.Append($"<p>No incident was resolved in {report.Period.Label} or open at its end.</p></section>\n");
            return;
        }

        html.Append($"""<p>Incidents resolved in {report.Period.Label} (their durations make up time to restore) and incidents still open at its end, with the deployment each is attributed to.</p>""");
        html.Append($"""
            <div class="scroll" role="region" aria-labelledby="incidents-table" tabindex="0"><table class="evidence">
            <caption id="incidents-table">Incidents, {report.Period.Label}</caption>
            <thead><tr><th scope="col">Incident</th><th scope="col">Service</th><th scope="col">Environment</th><th scope="col">Started</th><th scope="col">Resolved</th><th scope="col">Duration</th><th scope="col">Attributed to</th></tr></thead>
            <tbody>

            """);
        foreach (var (incident, deployment) in incidents.Take(report.Limits.MaxRows))
        {
            html.Append($"""<tr><th scope="row">#{incident.Id}<span class="title">{incident.Title}</span>""");
            if (incident.Severity is { } severity)
            {
                html.Append($"""<span class="tag">{severity}</span>""");
            }

            html.Append($"""</th><td>{incident.Service}</td><td>{incident.Environment}</td><td>{Time(incident.StartedAt)}</td>""");
            if (incident.ResolvedAt is { } resolved)
            {
                html.Append($"""<td>{Time(resolved)}</td><td class="num">{ReportText.Duration(incident.DurationSeconds!.Value)}</td>""");
            }
            else
            {
                var end = report.Window.To;
                html.Append($"""<td>open</td><td class="num">{ReportText.Duration((end - incident.StartedAt).TotalSeconds)} so far</td>""");
            }

            html.Append($"<td>{Attribution(incident, deployment)}</td></tr>\n");
        }

        html.Append($"</tbody></table></div>\n");
        More(html, incidents.Count, report.Limits.MaxRows, ReportLinks.Csv(report.Scope, report.Period, ReportTables.Incidents));
        html.Append($"</section>\n");
    }

    private static string Attribution(IncidentItem incident, DeploymentItem? deployment)
    {
        if (incident.DeploymentId is not { } id)
        {
            return "no deployment (none finished within the attribution window before it)";
        }

        var how = incident.Attribution == "explicit" ? "linked by the source" : "latest deployment before it";
        return deployment is null
            ? $"deployment #{id} ({how})"
            : $"deployment #{id} of {deployment.Service}, {ReportText.ShortSha(deployment.Revision)}, finished {ReportText.Time(deployment.FinishedAt)} ({how})";
    }

    private static void Quality(HtmlBuilder html, DeliveryReport report)
    {
        var quality = report.Quality;
        var stale = quality.Sources.Where(s => s.Stale).ToList();
        var discarded = report.Changes.Where(c => c.Discarded).ToList();
        html.Append($"""<section aria-labelledby="quality"><h2 id="quality">Data quality</h2><ul class="notes">""");
        if (quality.UnattributedTotal == 0)
        {
            html.Append($"""<li>Every incident signal open in {report.Period.Label} was matched to a service.</li>""");
        }
        else
        {
            var verb = quality.UnattributedTotal == 1 ? "it counts" : "they count";
            html.Append($"""<li>{ReportText.Count(quality.UnattributedTotal, "incident signal", "incident signals")} open in {report.Period.Label} could not be matched to any service (organisation-wide), so {verb} for no one's time to restore.</li>""");
        }

        if (quality.DiscardedLeadTimes == 0)
        {
            html.Append($"""<li>No change of {report.Scope.Title} was left out of lead time.</li>""");
        }
        else
        {
            var which = quality.DiscardedLeadTimes == 1 ? "it" : "each";
            html.Append($"""<li>{ReportText.Count(quality.DiscardedLeadTimes, "change", "changes")} of {report.Scope.Title} left out of lead time because {which} came out zero or negative (clock skew, or a change dated after its deployment).</li>""");
        }

        if (quality.IgnoredSummary() is ({ } ignored and > 0, var reasons))
        {
            html.Append($"""<li>{ReportText.Count(ignored, "event", "events")} received in {report.Period.Label} ignored, never counted ({reasons}): an instant before 2000 or more than a day ahead, or a name too long to be real.</li>""");
        }

        html.Append($"""<li>{(!quality.SourcesConfigured ? "No source is configured, so nothing is collected (README, Configuration)." : stale.Count == 0 ? "No source is stale or failing." : $"{ReportText.Count(stale.Count, "source is", "sources are")} stale or failing: data after their last success may be missing.")}</li>""");
        html.Append($"</ul>\n");

        if (discarded.Count > 0)
        {
            html.Append($"""
                <div class="scroll" role="region" aria-labelledby="discarded-table" tabindex="0"><table class="evidence">
                <caption id="discarded-table">Changes with a discarded lead time, {report.Period.Label}</caption>
                <thead><tr><th scope="col">Change</th><th scope="col">Service</th><th scope="col">Environment</th><th scope="col">First commit</th><th scope="col">Deployed</th></tr></thead>
                <tbody>

                """);
            foreach (var change in discarded.Take(report.Limits.MaxRows))
            {
                html.Append($"<tr><th scope=\"row\">");
                ChangeName(html, change);
                html.Append($"""</th><td>{change.Service}</td><td>{change.Environment}</td><td>{Time(change.FirstCommitAt)}</td><td>{Time(change.DeployedAt)}</td></tr>""");
                html.Append($"\n");
            }

            html.Append($"</tbody></table></div>\n");
        }

        if (quality.Unattributed.Count > 0)
        {
            html.Append($"""
                <div class="scroll" role="region" aria-labelledby="unattributed-table" tabindex="0"><table class="evidence">
                <caption id="unattributed-table">Incident signals without a service, {report.Period.Label}</caption>
                <thead><tr><th scope="col">Signal</th><th scope="col">Source</th><th scope="col">Service named by the source</th><th scope="col">Started</th><th scope="col">Resolved</th></tr></thead>
                <tbody>

                """);
            foreach (var signal in quality.Unattributed.Take(report.Limits.MaxRows))
            {
                html.Append($"<tr><th scope=\"row\">");
                if (HtmlBuilder.SafeUrl(signal.Url) is { } url)
                {
                    html.Append($"""<a href="{url}">{signal.Title ?? signal.ExternalId}</a>""");
                }
                else
                {
                    html.Append($"{signal.Title ?? signal.ExternalId}");
                }

                html.Append($"""</th><td>{signal.Source}</td><td>{signal.ServiceHint ?? "(none)"}</td><td>{Time(signal.StartedAt)}</td><td>{(signal.ResolvedAt is { } r ? Time(r) : new Markup("open"))}</td></tr>""");
                html.Append($"\n");
            }

            html.Append($"</tbody></table></div>\n");
            More(html, (int)Math.Min(quality.UnattributedTotal, int.MaxValue), report.Limits.MaxRows, ReportLinks.Csv(report.Scope, report.Period, ReportTables.Unattributed));
        }

        if (quality.Sources.Count > 0)
        {
            html.Append($"""
                <div class="scroll" role="region" aria-labelledby="sources-table" tabindex="0"><table class="evidence">
                <caption id="sources-table">Sources as of {ReportText.Time(report.Now)}</caption>
                <thead><tr><th scope="col">Source</th><th scope="col">Scope</th><th scope="col">Last success</th><th scope="col">Status</th></tr></thead>
                <tbody>

                """);
            foreach (var source in quality.Sources)
            {
                html.Append($"""<tr><th scope="row">{source.Source}</th><td>{source.Scope}</td><td>{(source.LastSuccessAt is { } at ? Time(at) : new Markup("never"))}</td><td class="{(source.Stale ? "worse" : "")}">{SourceState(source)}</td></tr>""");
                html.Append($"\n");
            }

            html.Append($"</tbody></table></div>\n");
        }

        html.Append($"</section>\n");
    }

    /// <summary>What a reader needs about a source, in words: ok, stale since when, or its error.</summary>
    internal static string SourceState(SourceStatus source) =>
        source.LastError is { } error ? $"failing: {error}"
        : source.Errors > 0 ? $"{source.Errors} ingest errors since this replica started"
        : source.Stale ? "stale: no recent success"
        : "ok";

    private static void Footer(HtmlBuilder html, DeliveryReport report) =>
        html.Append($"""
            <footer>
            <p>Periods are (start, end]: a deployment counts in the period its finish falls in, a change with its first deployment, an incident by its resolution. Levels are judged on production environments only, against the configured benchmark bands, and given only when the whole 95 % interval of the number lies in one band ("not enough data" otherwise, with the sample size n); a change is "within noise" when the two periods' intervals overlap; "no data" means there was nothing to measure, never zero. Team and organisation values are computed over all their deployments, changes and incidents, not averaged over services.</p>
            <p>Generated by DoraCollector at <time datetime="{ReportText.Iso(report.Now)}">{ReportText.Time(report.Now)}</time>.</p>
            </footer>

            """);

    private static void More(HtmlBuilder html, int total, int shown, string csv)
    {
        if (total > shown)
        {
            html.Append($"""<p class="more">Showing {shown} of {total}; <a href="{csv}">the CSV has all of them</a>.</p>""");
        }
    }

    private static Markup Value(ReportMetric metric, double? value)
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

    private static Markup Level(bool production, ReportMetric metric, Metrics.MetricValues values)
    {
        // Outside production nothing is judged; the section's heading says so once. Without a
        // value the cell already says "no data": no level to add.
        var html = new HtmlBuilder();
        if (metric.Level is null || !production || metric.Read(values) is null)
        {
            return Markup.Empty;
        }

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
    private static Markup Interval(ReportMetric metric, Metrics.MetricValues values, string element)
    {
        var html = new HtmlBuilder();
        if (metric.IntervalOf(values) is not { } interval)
        {
            return Markup.Empty;
        }

        var high = interval.IsBounded ? ReportText.Number(interval.High) : "";
        var text = ReportText.Interval(metric.Unit, interval);
        if (element == "p")
        {
            html.Append($"""<p class="interval" data-n="{interval.N}" data-low="{ReportText.Number(interval.Low)}" data-high="{high}">{text}</p>""");
        }
        else
        {
            html.Append($"""<span class="interval" data-n="{interval.N}" data-low="{ReportText.Number(interval.Low)}" data-high="{high}">{text}</span>""");
        }

        return html.ToMarkup();
    }

    /// <summary>Arrow, delta, relative change and verdict in words; <paramref name="compact"/> leaves out the relative change.</summary>
    private static Markup Change(ReportMetric metric, MetricChange change, bool compact = false)
    {
        var html = new HtmlBuilder();
        if (change.Movement == Movement.None)
        {
            html.Append($"""<span class="change no-comparison">{ReportText.Verdict(change.Verdict)}</span>""");
            return html.ToMarkup();
        }

        var verdict = ReportText.Verdict(change.Verdict).Replace(' ', '-');
        var delta = ReportText.Number(change.Delta!.Value);
        if (change.Movement == Movement.Flat)
        {
            html.Append($"""<span class="change unchanged" data-delta="{delta}"><span aria-hidden="true">{ReportText.Arrow(change.Movement)}</span> unchanged</span>""");
            return html.ToMarkup();
        }

        var relative = compact ? "" : ReportText.Relative(metric.Unit, change);
        html.Append($"""<span class="change {verdict}" data-delta="{delta}"><span aria-hidden="true">{ReportText.Arrow(change.Movement)}</span> {ReportText.Delta(metric.Unit, change)}""");
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

    private static Markup Time(DateTimeOffset instant)
    {
        var html = new HtmlBuilder();
        html.Append($"""<time datetime="{ReportText.Iso(instant)}">{ReportText.Time(instant)}</time>""");
        return html.ToMarkup();
    }

    private static string Seconds(double? seconds) => seconds is { } s ? ReportText.Duration(s) : "—";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
