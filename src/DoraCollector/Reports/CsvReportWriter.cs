using System.Text;

namespace DoraCollector.Reports;

/// <summary>
/// Each table of a report as RFC 4180 CSV: a header row of snake_case names, then raw values
/// (seconds, ratios from 0 to 1, ISO-8601 UTC instants, empty for no data) so a spreadsheet can
/// compute with them. The evidence tables hold every row, not just the ones a page lists.
/// </summary>
internal static class CsvReportWriter
{
    public static string Write(DeliveryReport report, string table)
    {
        var csv = new CsvBuilder();
        switch (table)
        {
            case ReportTables.Metrics:
                Metrics(csv, report);
                break;
            case ReportTables.Trend:
                Trend(csv, report);
                break;
            case ReportTables.Breakdown:
                Breakdown(csv, report);
                break;
            case ReportTables.Changes:
                Changes(csv, report);
                break;
            case ReportTables.Deployments:
                Deployments(csv, report);
                break;
            case ReportTables.Incidents:
                Incidents(csv, report);
                break;
            case ReportTables.Unattributed:
                Unattributed(csv, report);
                break;
            case ReportTables.Sources:
                Sources(csv, report);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(table), table, "not a report table");
        }

        return csv.ToString();
    }

    private static void Metrics(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row("period", "previous_period", "environment", "production", "metric", "unit", "value", "previous_value",
            "delta", "relative_change", "verdict", "level", "not_enough_data", "n", "interval_low", "interval_high");
        foreach (var section in report.Environments)
        {
            foreach (var metric in ReportMetric.All)
            {
                var change = section.Change(metric);
                csv.Row([report.Period.Label, report.Previous.Label, section.Environment, Bool(section.IsProduction), metric.Key, Unit(metric.Unit),
                    Number(change.Current), Number(change.Previous), Number(change.Delta), Number(change.Relative),
                    change.Verdict == Verdict.NotComparable ? "" : ReportText.Verdict(change.Verdict),
                    section.Level(metric) is { } level ? ReportText.Level(level) : "",
                    section.IsProduction && metric.NotEnoughData(section.Current) ? "true" : "",
                    .. IntervalCells(metric.IntervalOf(section.Current))]);
            }
        }
    }

    // n, low, high; high is empty when the sample cannot bound it, all three for no interval.
    private static string[] IntervalCells(Metrics.Interval? interval) => interval is null
        ? ["", "", ""]
        : [Integer(interval.N), Number(interval.Low), interval.IsBounded ? Number(interval.High) : ""];

    private static void Trend(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row(["period", "from", "to", "environment", "production", .. ReportMetric.All.Select(m => m.Key)]);
        foreach (var section in report.Environments)
        {
            for (var i = 0; i < report.Trend.Count; i++)
            {
                var window = report.Trend[i].Window(report.Now);
                csv.Row([report.Trend[i].Label, ReportText.Iso(window.From), ReportText.Iso(window.To), section.Environment, Bool(section.IsProduction),
                    .. ReportMetric.All.Select(m => Number(m.Read(section.Trend[i])))]);
            }
        }
    }

    private static void Breakdown(CsvBuilder csv, DeliveryReport report)
    {
        var noun = report.BreakdownKind == ScopeKind.Service ? "service" : "team";
        csv.Row([noun, "environment", "period",
            .. ReportMetric.Headlines.SelectMany(m => new[] { m.Key, m.Key + "_previous", m.Key + "_level", m.Key + "_n", m.Key + "_low", m.Key + "_high" })]);
        foreach (var row in report.Breakdown)
        {
            csv.Row([row.Name, row.Environment, report.Period.Label,
                .. ReportMetric.Headlines.SelectMany(m => (string[])
                [
                    Number(m.Read(row.Current)), Number(m.Read(row.Previous)), row.Level(m) is { } level ? ReportText.Level(level) : "",
                    .. IntervalCells(m.IntervalOf(row.Current)),
                ])]);
        }
    }

    private static void Changes(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row("deployed_at", "service", "team", "environment", "deployment_id", "kind", "repository", "pull_request", "title", "url",
            "head_sha", "commit_count", "first_commit_at", "opened_at", "merged_at", "lead_time_seconds", "coding_seconds", "review_seconds",
            "deploy_seconds", "hotfix", "revert", "discarded", "promotion_seconds");
        foreach (var c in report.Changes)
        {
            csv.Row(ReportText.Iso(c.DeployedAt), c.Service, c.Team, c.Environment, Integer(c.DeploymentId), c.Kind, c.Repository,
                c.PullRequestNumber is { } n ? Integer(n) : "", c.Title, c.Url, c.HeadSha, Integer(c.CommitCount), ReportText.Iso(c.FirstCommitAt),
                Instant(c.OpenedAt), Instant(c.MergedAt), ReportText.Number(c.LeadTimeSeconds), Number(c.CodingSeconds), Number(c.ReviewSeconds),
                Number(c.DeploySeconds), Bool(c.IsHotfix), Bool(c.IsRevert), Bool(c.Discarded), Number(c.PromotionSeconds));
        }
    }

    private static void Deployments(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row("deployment_id", "finished_at", "service", "team", "environment", "revision", "repository", "outcome", "failure_reason",
            "why", "rolled_back_by", "incident_ids", "recovered_at", "recovery_seconds", "attempts", "application_revision",
            "application_repository", "resolution");
        foreach (var d in report.FailedDeployments)
        {
            csv.Row(Integer(d.Id), ReportText.Iso(d.FinishedAt), d.Service, d.Team, d.Environment, d.Revision, d.Repository, d.Outcome,
                d.FailureReason, ReportText.FailureReason(d), d.RolledBackById is { } by ? Integer(by) : "",
                string.Join(' ', d.IncidentIds.Select(Integer)), Instant(d.RecoveredAt), Number(d.RecoverySeconds), Integer(d.AttemptCount),
                d.ApplicationRevision, d.ApplicationRepository, d.Resolution);
        }
    }

    private static void Incidents(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row("incident_id", "service", "team", "environment", "title", "severity", "started_at", "resolved_at", "duration_seconds",
            "state", "deployment_id", "deployment_revision", "deployment_finished_at", "attribution");
        foreach (var (i, d) in report.Incidents)
        {
            csv.Row(Integer(i.Id), i.Service, i.Team, i.Environment, i.Title, i.Severity, ReportText.Iso(i.StartedAt), Instant(i.ResolvedAt),
                Number(i.DurationSeconds), i.ResolvedAt is null ? "open" : "resolved", i.DeploymentId is { } id ? Integer(id) : "",
                d?.Revision, d is null ? "" : ReportText.Iso(d.FinishedAt), i.Attribution);
        }
    }

    private static void Unattributed(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row("source", "external_id", "service_hint", "environment", "title", "severity", "url", "started_at", "resolved_at");
        foreach (var s in report.Quality.Unattributed)
        {
            csv.Row(s.Source, s.ExternalId, s.ServiceHint, s.Environment, s.Title, s.Severity, s.Url, ReportText.Iso(s.StartedAt), Instant(s.ResolvedAt));
        }
    }

    private static void Sources(CsvBuilder csv, DeliveryReport report)
    {
        csv.Row("source", "scope", "last_success_at", "last_error", "errors_since_start", "stale");
        foreach (var s in report.Quality.Sources)
        {
            csv.Row(s.Source, s.Scope, Instant(s.LastSuccessAt), s.LastError, Integer(s.Errors), Bool(s.Stale));
        }
    }

    private static string Number(double? value) => value is { } v ? ReportText.Number(v) : "";

    private static string Integer(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset? instant) => instant is { } at ? ReportText.Iso(at) : "";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Unit(MetricUnit unit) => unit switch
    {
        MetricUnit.PerDay => "per_day",
        MetricUnit.Ratio => "ratio",
        MetricUnit.Seconds => "seconds",
        _ => "count",
    };

    /// <summary>
    /// Quotes a field when it holds a comma, quote or line break. A text field that a spreadsheet
    /// would run as a formula (starting with = + - @ or a tab) gets a leading apostrophe: titles
    /// and names come from outside. Numbers are written by this class and never need it.
    /// </summary>
    private sealed class CsvBuilder
    {
        private readonly StringBuilder _csv = new();

        public void Row(params string?[] fields)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    _csv.Append(',');
                }

                _csv.Append(Field(fields[i] ?? ""));
            }

            _csv.Append("\r\n");
        }

        public override string ToString() => _csv.ToString();

        private static string Field(string value)
        {
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value))
            {
                value = "'" + value;
            }

            return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        }

        private static bool IsNumber(string value) =>
            double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
    }
}
