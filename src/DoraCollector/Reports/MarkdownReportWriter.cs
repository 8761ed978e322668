using System.Text;

namespace DoraCollector.Reports;

/// <summary>
/// A short summary to paste into a chat or a document: the headline metrics per environment with
/// their change, then the teams or services, the slowest changes, failures, incidents and the
/// data-quality notes. Text from outside (names, titles) is escaped so it cannot add links,
/// emphasis, tables or HTML.
/// </summary>
internal static class MarkdownReportWriter
{
    public static string Write(DeliveryReport report)
    {
        var md = new StringBuilder();
        var (period, previous) = (report.Period, report.Previous);
        md.Append("## Delivery report: ").Append(Escape(report.Scope.Title)).Append(", ")
            .Append(period.KindName).Append(' ').Append(period.Label).Append("\n\n");
        md.Append(Escape(period.Title)).Append(", compared with ").Append(previous.Label).Append(". Times are UTC.");
        if (report.InProgress)
        {
            md.Append(" In progress: up to ").Append(ReportText.Time(report.Now)).Append('.');
        }

        if (ReportText.RecordsNote(report) is { Length: > 0 } records)
        {
            md.Append(' ').Append(records);
        }

        md.Append("\n\n");
        if (report.Environments.Count == 0)
        {
            md.Append("No deployments, changes or incidents in this period.\n");
        }

        foreach (var section in report.Environments)
        {
            md.Append("**").Append(Escape(section.Environment)).Append("**")
                .Append(section.IsProduction ? " (production: levels judged)" : " (not production: no levels)").Append("\n\n");
            md.Append("| Metric | ").Append(period.Label).Append(" | 95 % interval | Level | ").Append(previous.Label).Append(" | Change |\n");
            md.Append("| --- | --- | --- | --- | --- | --- |\n");
            foreach (var metric in ReportMetric.Headlines)
            {
                var change = section.Change(metric);
                md.Append("| ").Append(metric.Name)
                    .Append(" | ").Append(ReportText.Value(metric.Unit, change.Current))
                    .Append(" | ").Append(metric.IntervalOf(section.Current) is { } interval ? ReportText.Interval(metric.Unit, interval) : "")
                    .Append(" | ").Append(LevelCell(metric, section))
                    .Append(" | ").Append(ReportText.Value(metric.Unit, change.Previous))
                    .Append(" | ").Append(Change(metric, change)).Append(" |\n");
            }

            var v = section.Current;
            md.Append('\n').Append(ReportText.Count(v.Deployments.Live, "deployment", "deployments")).Append(" went live (")
                .Append(v.Deployments.Failed).Append(" failed later), ")
                .Append(ReportText.Count(v.Deployments.RolloutFailed, "rollout", "rollouts")).Append(" failed, ")
                .Append(ReportText.Count(v.Changes, "change", "changes")).Append(", ")
                .Append(ReportText.Count(v.ResolvedIncidents, "incident", "incidents")).Append(" resolved, ").Append(v.OpenIncidents).Append(" open.\n\n");
        }

        if (report.BreakdownKind is { } kind && report.Breakdown.Count > 0)
        {
            md.Append("**").Append(kind == ScopeKind.Team ? "Teams" : "Services").Append("** (production)\n\n");
            foreach (var row in report.Breakdown)
            {
                md.Append("- ").Append(Escape(row.Name)).Append(" (").Append(Escape(row.Environment)).Append("): ");
                md.AppendJoin(", ", ReportMetric.Headlines.Select(m =>
                {
                    var change = row.Change(m);
                    var level = row.Level(m) is { } l ? $" {ReportText.Level(l)}"
                        : m.NotEnoughData(row.Current) ? $" ({ReportText.NotEnoughData(m.IntervalOf(row.Current))})" : "";
                    var arrow = change.Movement is Movement.Up or Movement.Down ? $" {ReportText.Arrow(change.Movement)}" : "";
                    return $"{Short(m)} {ReportText.Value(m.Unit, change.Current)}{level}{arrow}";
                }));
                md.Append('\n');
            }

            md.Append('\n');
        }

        var slowest = report.Changes.Where(c => !c.Discarded).Take(Math.Min(5, report.Limits.SlowestChanges)).ToList();
        if (slowest.Count > 0)
        {
            md.Append("**Slowest changes** (for a pull request: coding, first commit → opened; review, opened → merged; deploy, merged → live)\n\n");
            foreach (var c in slowest)
            {
                var name = c.PullRequestNumber is { } n ? $"{c.Repository}#{n}" : $"commit {ReportText.ShortSha(c.HeadSha)}";
                md.Append("- ").Append(Link(name, c.Url));
                if (!string.IsNullOrWhiteSpace(c.Title))
                {
                    md.Append(' ').Append(Escape(c.Title));
                }

                md.Append(" (").Append(Escape(c.Service)).Append(", ").Append(Escape(c.Environment)).Append("): ")
                    .Append(ReportText.Duration(c.LeadTimeSeconds));
                if (c.CodingSeconds is not null || c.ReviewSeconds is not null || c.DeploySeconds is not null)
                {
                    md.Append(" = coding ").Append(Part(c.CodingSeconds)).Append(" + review ").Append(Part(c.ReviewSeconds))
                        .Append(" + deploy ").Append(Part(c.DeploySeconds));
                }

                if (c.PromotionSeconds is { } promotion)
                {
                    md.Append("; promotion ").Append(ReportText.Duration(promotion));
                }

                md.Append('\n');
            }

            md.Append('\n');
        }

        if (report.FailedDeployments.Count > 0)
        {
            md.Append("**Failed deployments**: ").Append(report.FailedDeployments.Count).Append("\n\n");
            foreach (var d in report.FailedDeployments.Take(5))
            {
                md.Append("- #").Append(d.Id).Append(' ').Append(Escape(d.Service)).Append(" (").Append(Escape(d.Environment)).Append(") ")
                    .Append(ReportText.Time(d.FinishedAt)).Append(": ").Append(Escape(ReportText.FailureReason(d)));
                md.Append(d.RecoverySeconds is { } s ? $", recovered after {ReportText.Duration(s)}" : ", not recovered").Append('\n');
            }

            md.Append(report.FailedDeployments.Count > 5 ? $"- … and {report.FailedDeployments.Count - 5} more\n\n" : "\n");
        }

        if (report.Incidents.Count > 0)
        {
            md.Append("**Incidents**: ").Append(report.Incidents.Count).Append("\n\n");
            foreach (var (i, _) in report.Incidents.Take(5))
            {
                md.Append("- #").Append(i.Id).Append(' ').Append(Escape(i.Title ?? "(untitled)")).Append(" (").Append(Escape(i.Service)).Append("): ")
                    .Append(i.DurationSeconds is { } s ? ReportText.Duration(s) : "still open")
                    .Append(i.DeploymentId is { } id ? $", attributed to deployment #{id}" : "").Append('\n');
            }

            md.Append(report.Incidents.Count > 5 ? $"- … and {report.Incidents.Count - 5} more\n\n" : "\n");
        }

        var stale = report.Quality.Sources.Count(s => s.Stale);
        md.Append("**Data quality**: ").Append(ReportText.Count(report.Quality.UnattributedTotal, "incident signal", "incident signals"))
            .Append(" without a service (organisation-wide), ")
            .Append(ReportText.Count(report.Quality.DiscardedLeadTimes, "lead time", "lead times")).Append(" discarded, ")
            .Append(report.Quality.Unresolved.Count > 0
                ? $"{ReportText.Count(report.Quality.Unresolved.Count, "deployment", "deployments")} without an application revision " +
                  $"({Escape(report.Quality.UnresolvedNames(5))}), "
                : "")
            .Append(report.Quality.IgnoredSummary() is ({ } total and > 0, var reasons)
                ? $"{ReportText.Count(total, "event", "events")} ignored ({reasons}), "
                : "")
            .Append(!report.Quality.SourcesConfigured ? "no source configured"
                : stale == 0 ? "no stale source" : ReportText.Count(stale, "stale or failing source", "stale or failing sources")).Append(".\n");
        return md.ToString();
    }

    // A level, "not enough data (n = 4)" when the interval spans bands, "—" for a judged metric without one.
    private static string LevelCell(ReportMetric metric, EnvironmentSection section) =>
        section.Level(metric) is { } level ? ReportText.Level(level)
        : metric.Level is null ? ""
        : section.IsProduction && metric.NotEnoughData(section.Current) ? ReportText.NotEnoughData(metric.IntervalOf(section.Current))
        : "—";

    private static string Change(ReportMetric metric, MetricChange change)
    {
        if (change.Movement == Movement.None)
        {
            return ReportText.Verdict(change.Verdict);
        }

        var relative = ReportText.Relative(metric.Unit, change);
        var verdict = change.Verdict is Verdict.Better or Verdict.Worse or Verdict.WithinNoise ? " " + ReportText.Verdict(change.Verdict) : "";
        return $"{ReportText.Arrow(change.Movement)} {ReportText.Delta(metric.Unit, change)}{(relative.Length > 0 ? $" ({relative})" : "")}{verdict}";
    }

    private static string Short(ReportMetric metric) => metric.Key switch
    {
        "deployment_frequency_per_day" => "deploys",
        "lead_time_p50_seconds" => "lead time",
        "change_failure_rate" => "CFR",
        "time_to_restore_p50_seconds" => "restore",
        "failed_deployment_recovery_p50_seconds" => "recovery",
        "rework_rate" => "rework",
        _ => metric.Key,
    };

    // A part the change has no times for (a direct commit has no review) is unknown, not zero.
    private static string Part(double? seconds) => seconds is { } s ? ReportText.Duration(s) : "unknown";

    private static string Link(string text, string? url) =>
        Html.HtmlBuilder.SafeUrl(url) is { } safe
            ? $"[{Escape(text)}](<{safe.Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}>)"
            : Escape(text);

    /// <summary>
    /// Backslash-escapes the characters that start markup inside a line (emphasis, code, links,
    /// HTML, table cells, strike-through) and flattens line breaks, so outside text stays plain
    /// text. Outside text never starts a line here, so heading and list markers are harmless and
    /// stay readable: <c>checkout-api</c> is not written <c>checkout\-api</c>.
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n' or '\t')
            {
                escaped.Append(' ');
                continue;
            }

            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '|' or '~')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
