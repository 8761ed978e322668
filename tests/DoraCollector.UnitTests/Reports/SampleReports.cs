using DoraCollector.Api.Read;
using DoraCollector.Metrics;
using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

/// <summary>Reports made by hand, to render without a database: the hostile one carries markup in every name and title.</summary>
internal static class SampleReports
{
    public const string Service = "<script>alert(1)</script>";
    public const string Team = "\"onmouseover=alert(1) x=\"";
    public const string Title = "<img src=x onerror=alert(2)> | *bold* [link](https://evil.example) =HYPERLINK(\"x\")";
    public const string Incident = "</table><iframe src=//evil>";

    public static readonly DateTimeOffset Now = new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero);

    public static MetricValues Values(double perDay, double? leadTime, double? cfr, int live = 3) => new(
        perDay, 0.5, leadTime is { } l ? new Quantiles(l, l * 2) : null, null, null, null, cfr, null, null, null,
        new DeploymentCounts(live, 0, 0, 0), live, 0, 0, 0,
        leadTime is { } lt && lt < 86_400 ? new Dictionary<DoraMetric, PerformanceLevel> { [DoraMetric.LeadTimeForChanges] = PerformanceLevel.Elite } : []);

    public static DeliveryReport Hostile(string? url = "javascript:alert(5)")
    {
        var trend = ReportPeriod.Containing(PeriodKind.Week, new DateOnly(2026, 3, 2)).Trend();
        var values = trend.Select((_, i) => Values(i / 7.0, i % 3 == 0 ? null : 3600 * i, 0.1)).ToList();
        var change = new ChangeItem(1, Service, Team, "prod<b>", Now.AddDays(-2), "pr:1:7", "pull_request", "acme/evil", 7, url, Title,
            "abcdef0123456789", 1, Now.AddDays(-3), Now.AddDays(-2.8), Now.AddDays(-2.5), true, false, false, 7200, 600, 3600, 3000, false);
        var deployment = new DeploymentItem
        {
            Id = 9, Service = Service, Team = Team, Environment = "prod<b>", Revision = "<rev>", FinishedAt = Now.AddDays(-2),
            Outcome = DeploymentOutcomes.Failed, IsFailed = true, FailureReason = "incident", IncidentIds = [4],
        };
        var incident = new IncidentItem
        {
            Id = 4, Service = Service, Team = Team, Environment = "prod<b>", Title = Incident, Severity = "<sev>",
            StartedAt = Now.AddDays(-2).AddHours(1), ResolvedAt = Now.AddDays(-2).AddHours(2), DeploymentId = 9, Attribution = "rule",
        };
        var signal = new UnattributedSignalItem
        {
            Source = "alertmanager", ExternalId = "fp", ServiceHint = "<hint>", Title = "<alert>", Url = "javascript:alert(6)", StartedAt = Now.AddDays(-1),
        };
        return new DeliveryReport(
            ReportScope.Team(Team), null, trend, Now,
            [new EnvironmentSection("prod<b>", true, values)],
            [new BreakdownRow(Service, "prod<b>", values[^1], values[^2])],
            [change], [deployment], [new IncidentEvidence(incident, deployment)],
            new ReportQuality(1, [signal], 0, [new SourceStatus("<src>", "<scope>", null, "<error>", 0, true)], []),
            new ReportLimits(10, 100));
    }
}
