using DoraCollector.Api.Read;
using static DoraCollector.Reports.Html.HtmlFragments;

namespace DoraCollector.Reports.Html;

/// <summary>The evidence behind the numbers: the slowest changes, the failed deployments and the incidents of the period.</summary>
internal static class EvidenceParts
{
    public static void Changes(HtmlBuilder html, DeliveryReport report)
    {
        var period = report.Period.Label;
        var counted = report.Changes.Where(c => !c.Discarded).ToList();
        var shown = counted.Take(report.Limits.SlowestChanges).ToList();
        html.Append($"""<section aria-labelledby="changes"><h2 id="changes">Slowest changes</h2>""");
        if (shown.Count == 0)
        {
            html.Append($"<p>No change with a lead time was deployed in {period}.</p></section>\n");
            return;
        }

        html.Append(
            $"""<p>The {shown.Count} slowest of {counted.Count} changes whose lead time counts in {period} """ +
            $"""(first deployment of each change to an environment). For pull requests the lead time splits into """ +
            $"""coding (first commit → opened), review (opened → merged) and deploy (merged → live).</p>""");
        var caption = new HtmlBuilder().Append($"Slowest changes, {period}").ToMarkup();
        // Promotion (first non-production deployment → production) where any change was promoted.
        var promoted = shown.Any(c => c.PromotionSeconds is not null);
        OpenTable(html, "changes-table", "evidence", caption,
            ["Change", "Service", "Environment", "Deployed", "Lead time", "Coding", "Review", "Deploy", .. promoted ? new[] { "Promotion" } : []]);
        html.Append($"\n");
        foreach (var change in shown)
        {
            html.Append($"<tr><th scope=\"row\">");
            ChangeName(html, change);
            html.Append($"""</th><td>{change.Service}</td><td>{change.Environment}</td><td>{Time(change.DeployedAt)}</td>""");
            html.Append($"""<td class="num">{Seconds(change.LeadTimeSeconds)}</td><td class="num">{Seconds(change.CodingSeconds)}</td>""");
            html.Append($"""<td class="num">{Seconds(change.ReviewSeconds)}</td><td class="num">{Seconds(change.DeploySeconds)}</td>""");
            if (promoted)
            {
                html.Append($"""<td class="num">{Seconds(change.PromotionSeconds)}</td>""");
            }

            html.Append($"</tr>");
            html.Append($"\n");
        }

        CloseTable(html);
        html.Append($"</section>\n");
    }

    public static void FailedDeployments(HtmlBuilder html, DeliveryReport report)
    {
        var period = report.Period.Label;
        var failed = report.FailedDeployments;
        html.Append($"""<section aria-labelledby="failed"><h2 id="failed">Failed deployments</h2>""");
        if (failed.Count == 0)
        {
            html.Append($"<p>No deployment in {period} counts as failed.</p></section>\n");
            return;
        }

        var counts = failed.Count == 1 ? "counts" : "count";
        html.Append(
            $"""<p>{ReportText.Count(failed.Count, "deployment", "deployments")} in {period} {counts} as change failures: """ +
            $"""rolled back, followed by an incident, a hotfix or a revert, or a rollout that never went live. """ +
            $"""Recovery runs from the deployment to the incident's resolution or the next good deployment.</p>""");
        var caption = new HtmlBuilder().Append($"Failed deployments, {period}").ToMarkup();
        OpenTable(html, "failed-table", "evidence", caption,
            ["Deployment", "Service", "Environment", "Revision", "Finished", "Why it counts as failed", "Recovered after"]);
        html.Append($"\n");
        foreach (var d in failed.Take(report.Limits.MaxRows))
        {
            var recovery = d.RecoverySeconds is { } s ? ReportText.Duration(s) : "not recovered";
            html.Append($"""<tr><th scope="row">#{d.Id}</th><td>{d.Service}</td><td>{d.Environment}</td>""");
            html.Append($"""<td><code>{ReportText.ShortSha(d.Revision)}</code>""");
            if (d.Resolution != Projection.ResolutionMethods.SameRepository)
            {
                // A GitOps revision: the application's commit beside it, or that it is unresolved.
                html.Append($""" → {(d.ApplicationRevision is { } application ? $"{ReportText.ShortSha(application)} ({d.Resolution})" : "unresolved")}""");
            }

            html.Append($"""</td><td>{Time(d.FinishedAt)}</td>""");
            html.Append($"""<td>{ReportText.FailureReason(d)}</td><td class="num">{recovery}</td></tr>""");
            html.Append($"\n");
        }

        CloseTable(html);
        More(html, failed.Count, report.Limits.MaxRows, ReportLinks.Csv(report.Scope, report.Period, ReportTables.Deployments));
        html.Append($"</section>\n");
    }

    public static void Incidents(HtmlBuilder html, DeliveryReport report)
    {
        var period = report.Period.Label;
        var incidents = report.Incidents;
        html.Append($"""<section aria-labelledby="incidents"><h2 id="incidents">Incidents</h2>""");
        if (incidents.Count == 0)
        {
            html.Append($"<p>No incident was resolved in {period} or open at its end.</p></section>\n");
            return;
        }

        html.Append(
            $"""<p>Incidents resolved in {period} (their durations make up time to restore) """ +
            $"""and incidents still open at its end, with the deployment each is attributed to.</p>""");
        var caption = new HtmlBuilder().Append($"Incidents, {period}").ToMarkup();
        OpenTable(html, "incidents-table", "evidence", caption,
            ["Incident", "Service", "Environment", "Started", "Resolved", "Duration", "Attributed to"]);
        html.Append($"\n");
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
                var open = ReportText.Duration((report.Window.To - incident.StartedAt).TotalSeconds);
                html.Append($"""<td>open</td><td class="num">{open} so far</td>""");
            }

            html.Append($"<td>{Attribution(incident, deployment)}</td></tr>\n");
        }

        CloseTable(html);
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
            : $"deployment #{id} of {deployment.Service}, {ReportText.ShortSha(deployment.Revision)}, "
                + $"finished {ReportText.Time(deployment.FinishedAt)} ({how})";
    }
}
