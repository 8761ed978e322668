using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;

namespace DoraCollector.IntegrationTests.Metrics;

public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan FirstScrape = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Prometheus_scrapes_the_collector_and_answers_a_query_for_every_family()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = new CollectorFactory(database.ConnectionString, new Dictionary<string, string?> { ["Dora:Metrics:Publish:Profile"] = "Full" });
        var address = factory.StartOnLoopback();
        var snapshot = SampleSnapshots.Rich();
        factory.Services.GetRequiredService<SnapshotHolder>().Publish(snapshot);
        MetricsEndpointTests.RecordTelemetry(factory.Services.GetRequiredService<CollectorTelemetry>());
        await using var prometheus = await PrometheusServer.StartAsync([address]);

        await prometheus.WaitForAsync($"up{{job=\"{PrometheusServer.JobName}\"}} == 1", FirstScrape);

        var names = (await prometheus.QueryAsync("count by (__name__) ({__name__=~\"dora_.+\"})")).Select(s => s.Name).Order(StringComparer.Ordinal);
        Assert.Equal(ContractFamilies.SeriesNames.Order(StringComparer.Ordinal), names);
        foreach (var series in ContractFamilies.SeriesNames)
        {
            Assert.NotEmpty(await prometheus.QueryAsync(series));
        }

        // A histogram arrives whole: the webhook durations recorded, in their buckets.
        // (3 ms, 20 ms and 400 ms: two within 50 ms, and a median of 10 + 15 × 0.5 ms by Prometheus' interpolation).
        var fast = Assert.Single(await prometheus.QueryAsync(
            "dora_collector_webhook_duration_seconds_bucket{source=\"github\",le=\"0.05\"}"));
        Assert.Equal(2, fast.Value);
        var quantile = Assert.Single(await prometheus.QueryAsync(
            "histogram_quantile(0.5, dora_collector_webhook_duration_seconds_bucket{source=\"github\"})"));
        Assert.Equal(0.0175, quantile.Value, 9);

        // Values and escaped label values arrive as published.
        var leadTime = Assert.Single(await prometheus.QueryAsync(
            "dora_lead_time_for_changes_seconds{scope=\"organization\",environment=\"production\",window=\"30d\",quantile=\"0.9\"}"));
        Assert.Equal(86400.5 * 11, leadTime.Value);
        var awkward = await prometheus.QueryAsync(
            $"dora_changes{{service=\"{PromQl(SampleSnapshots.AwkwardService)}\",window=\"7d\"}}");
        Assert.Equal(SampleSnapshots.AwkwardService, Assert.Single(awkward).Labels["service"]);
        Assert.Equal("payments", awkward[0].Labels["team"]);
        Assert.Empty(await prometheus.QueryAsync("dora_changes{service=\"orphan\",team!=\"\"}"));

        // The level state set has exactly one level per metric and series, and the score says the same level.
        Assert.Empty(await prometheus.QueryAsync("sum without (level) (dora_performance_level) != 1"));
        Assert.Empty(await prometheus.QueryAsync(
            "dora_performance_level_score != on (scope, service, team, environment, window, metric) "
            + "(sum without (level) (dora_performance_level{level=\"elite\"} * 4 or dora_performance_level{level=\"high\"} * 3 "
            + "or dora_performance_level{level=\"medium\"} * 2 or dora_performance_level{level=\"low\"}))"));
        Assert.NotEmpty(await prometheus.QueryAsync("dora_performance_level_score"));

        // The outcomes partition the deployments: their sum is every rollout of the window.
        var rollouts = await prometheus.QueryAsync(
            "sum by (outcome) (dora_deployments{scope=\"organization\",environment=\"production\",window=\"7d\"})");
        Assert.Equal(["failed", "redeploy", "rollout_failed", "success"], rollouts.Select(r => r.Labels["outcome"]).Order(StringComparer.Ordinal));
        var expected = snapshot.Series.Single(s => s.Key.Scope == SeriesKey.OrganizationScope && s.Key.IsProduction && s.Window == "7d").Values.Deployments;
        Assert.Equal(expected.Total + expected.Redeploys, rollouts.Sum(r => r.Value));
    }

    /// <summary>A PromQL double-quoted string: backslash, quote and newline escaped as in Go.</summary>
    private static string PromQl(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
