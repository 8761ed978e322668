using System.Globalization;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>
/// The organisation of the engine's hand-computed flow (EngineFlowTests) plus one deployment the
/// week before, reported over the 7 days up to now against the 7 days before: every number and
/// every change below is worked out by hand.
/// </summary>
public sealed class ReportArithmeticTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_range_against_the_one_before_shows_hand_computed_values_and_changes()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", new[]
        {
            // The range before: d0 live at −8d with PR #9 (first commit −8d−1h, opened −8d−30m, merged −8d−15m): lead 3600.
            Deployment("d0", "c9", "success", Ago(days: 8), Pr("c9", 9, Ago(days: 8, hours: 1), Ago(days: 8, minutes: 30), Ago(days: 8, minutes: 15))),
            // This range, as in EngineFlowTests: leads 7200, 16200, 3600; d1 caused an incident, d3 needed a hotfix (d4).
            Deployment("d1", "c1", "success", Ago(days: 3), Pr("c1", 1, Ago(days: 3, hours: 2), Ago(days: 3, hours: 1.5), Ago(days: 3, hours: 1))),
            Deployment("d2", "c2", "failure", Ago(days: 2), new { sha = Sha("c2"), authoredAt = Ago(days: 2, hours: 4) }),
            Deployment("d3", "c2", "success", Ago(days: 2, hours: -0.5), new { sha = Sha("c2"), authoredAt = Ago(days: 2, hours: 4) }),
            Deployment("d4", "c3", "success", Ago(hours: 20), Pr("c3", 2, Ago(hours: 21), Ago(hours: 20, minutes: 50), Ago(hours: 20, minutes: 10), "hotfix")),
        });
        await host.IngestAsync("/api/v1/incidents", new
        {
            id = "i1", service = "checkout", environment = "production", title = "checkout 5xx",
            startedAt = Ago(days: 3, hours: -1), resolvedAt = Ago(days: 3, hours: -2), deploymentId = "d1",
        });
        await host.SettleAsync();

        var html = await ReportPage.GetAsync(host, "/reports?from=2026-03-03T12:00:00Z&to=2026-03-10T12:00:00Z");
        var production = ReportPage.Metrics(html)["production"];

        Assert.Equal((3.0 / 7, 1.0 / 7, 2.0 / 7), Triple(production["deployment_frequency_per_day"]));
        Assert.Equal((7200.0, 3600.0, 3600.0), Triple(production["lead_time_p50_seconds"]));
        Assert.Equal((14_400.0, 3600.0, 10_800.0), Triple(production["lead_time_p90_seconds"]));
        Assert.Equal((1200.0, 1800.0, -600.0), Triple(production["lead_time_coding_p50_seconds"]));
        Assert.Equal((2.0 / 3, 0.0, 2.0 / 3), Triple(production["change_failure_rate"]));
        Assert.Equal((1.0 / 3, 0.0, 1.0 / 3), Triple(production["rework_rate"]));
        Assert.Equal((3600.0, null, null), Triple(production["time_to_restore_p50_seconds"]));
        Assert.Equal((53_100.0, null, null), Triple(production["failed_deployment_recovery_p50_seconds"]));
        Assert.Equal((3.0, 1.0, 2.0), Triple(production["deployments"]));
        Assert.Equal((0.0, 0.0, 0.0), Triple(production["deployments_rollout_failed"]));

        // Read as a manager reads them: which way, how much, and whether it could be chance. Every
        // 95 % interval of these small samples overlaps the one before (docs/metrics.md): frequency
        // 3 in 7 days 0.09..1.25/day against 1 in 7 days 0.004..0.80/day; medians of 3 and 1 values
        // 0 or more; failure rate 2 of 3 20.8 %..93.9 % against 0 of 1 0 %..79.3 %.
        Assert.Contains("▲</span> +0.29/day (+200 %) <span class=\"verdict\">within noise</span>", Text(production["deployment_frequency_per_day"]));
        Assert.Contains("▲</span> +1 h (+100 %) <span class=\"verdict\">within noise</span>", Text(production["lead_time_p50_seconds"]));
        Assert.Contains("▼</span> −10 min (−33 %) <span class=\"verdict\">within noise</span>", production["lead_time_coding_p50_seconds"].Row);
        Assert.Contains("▲</span> +66.7 pp <span class=\"verdict\">within noise</span>", Text(production["change_failure_rate"]));
        Assert.Contains("95 %: 20.8 %–93.9 %, n = 3", production["change_failure_rate"].Row);

        // 20.8 %..93.9 % is all above 15 %: low. The lead time's 0-or-more interval spans every band.
        Assert.Contains("<span class=\"level level-low\">low</span>", production["change_failure_rate"].Row);
        Assert.Contains("not enough data (n = 3)", production["lead_time_p50_seconds"].Row);
        Assert.Contains("no comparison", production["time_to_restore_p50_seconds"].Row);
        Assert.Contains("<data value=\"3600\">1 h</data>", production["time_to_restore_p50_seconds"].Row);
        Assert.Contains("<td>caused incident #", html);
        Assert.Contains("<td>the next change was a hotfix</td><td class=\"num\">1 d 4 h</td>", html);
        // The records begin with d0 (−8d): the range before it holds d0 and nothing earlier, so its
        // comparison is "no earlier data", and the ranges before are no data in the chart, never 0/day.
        var before = await ReportPage.GetAsync(host, "/reports?from=2026-02-24T12:00:00Z&to=2026-03-03T12:00:00Z");
        var earlier = ReportPage.Metrics(before)["production"];
        Assert.Equal((1.0 / 7, null, null), Triple(earlier["deployment_frequency_per_day"]));
        Assert.Equal((1.0, null, null), Triple(earlier["deployments"]));
        Assert.Contains("no earlier data", earlier["deployment_frequency_per_day"].Row);
        Assert.DoesNotContain(": 0/day;", before);
        Assert.Contains("Records begin at 2026-03-02 12:00 UTC: this range holds 1 day of data.", before);
    }

    private static (double?, double?, double?) Triple(MetricCell cell) => (cell.Current, cell.Previous, cell.Delta);

    /// <summary>The row with character references decoded (the encoder writes + as &amp;#x2B;).</summary>
    private static string Text(MetricCell cell) => System.Net.WebUtility.HtmlDecode(cell.Row);

    private static object Deployment(string id, string revision, string status, string finishedAt, object commit) =>
        new { id, service = "checkout", team = "payments", environment = "production", repository = "acme/shop", revision = Sha(revision), status, finishedAt, commits = new[] { commit } };

    private static object Pr(string sha, int number, string authoredAt, string openedAt, string mergedAt, params string[] labels) =>
        new { sha = Sha(sha), authoredAt, pullRequest = new { number, title = $"PR {number}", url = $"https://github.example/acme/shop/pull/{number}", openedAt, mergedAt, labels } };

    private static string Sha(string name) => name + "0000000";

    private static string Ago(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes).ToString("O", CultureInfo.InvariantCulture);
}
