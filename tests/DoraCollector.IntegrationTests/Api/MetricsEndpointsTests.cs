using System.Text.Json;
using DoraCollector.Metrics;

namespace DoraCollector.IntegrationTests.Api;

public sealed class MetricsEndpointsTests
{
    private static readonly DateTimeOffset ComputedAt = new(2026, 3, 2, 11, 59, 30, TimeSpan.Zero);

    [Fact]
    public async Task The_snapshot_is_served_as_is_with_nulls_for_no_data_and_only_judged_levels()
    {
        await using var host = await ReadApiHost.StartAsync();
        Publish(host, Snapshot());

        var body = await host.GetJsonAsync("/api/v1/metrics");

        Assert.Equal(["computedAt", "windows", "series", "dataQuality"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-03-02T11:59:30Z", body.GetProperty("computedAt").GetString());
        Assert.Equal(["7d", "30d"], body.GetProperty("windows").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(3, body.GetProperty("dataQuality").GetProperty("unattributedIncidents").GetInt32());
        Assert.Equal(2, body.GetProperty("dataQuality").GetProperty("discardedLeadTimes").GetInt32());
        var series = body.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(4, series.Count);

        var checkout = series[0];
        Assert.Equal(
            ["scope", "service", "team", "environment", "window", "deploymentFrequencyPerDay", "deploymentDaysRatio",
             "leadTimeForChanges", "leadTimeCoding", "leadTimeReview", "leadTimeDeploy", "changeFailureRate", "timeToRestore",
             "failedDeploymentRecoveryTime", "reworkRate", "deployments", "changes", "incidents", "discardedLeadTimes", "levels",
             "confidence"],
            checkout.EnumerateObject().Select(p => p.Name));
        Assert.Equal("service", checkout.GetProperty("scope").GetString());
        Assert.Equal("checkout", checkout.GetProperty("service").GetString());
        Assert.Equal("payments", checkout.GetProperty("team").GetString());
        Assert.Equal("production", checkout.GetProperty("environment").GetString());
        Assert.Equal("7d", checkout.GetProperty("window").GetString());
        Assert.Equal(1.5, checkout.GetProperty("deploymentFrequencyPerDay").GetDouble());
        Assert.Equal(0.75, checkout.GetProperty("deploymentDaysRatio").GetDouble());
        Assert.Equal(3600, checkout.GetProperty("leadTimeForChanges").GetProperty("p50").GetDouble());
        Assert.Equal(7200, checkout.GetProperty("leadTimeForChanges").GetProperty("p90").GetDouble());
        Assert.Equal(600, checkout.GetProperty("leadTimeCoding").GetProperty("p50").GetDouble());
        Assert.Equal(0.1, checkout.GetProperty("changeFailureRate").GetDouble());
        Assert.Equal(1800, checkout.GetProperty("timeToRestore").GetProperty("p90").GetDouble());
        Assert.Equal(0.2, checkout.GetProperty("reworkRate").GetDouble());
        var deployments = checkout.GetProperty("deployments");
        Assert.Equal(["success", "failed", "rolloutFailed", "redeploy"], deployments.EnumerateObject().Select(p => p.Name));
        Assert.Equal([9, 1, 0, 2], deployments.EnumerateObject().Select(p => p.Value.GetInt32()));
        Assert.Equal(14, checkout.GetProperty("changes").GetInt32());
        Assert.Equal(1, checkout.GetProperty("incidents").GetProperty("open").GetInt32());
        Assert.Equal(2, checkout.GetProperty("incidents").GetProperty("resolved").GetInt32());
        Assert.Equal(1, checkout.GetProperty("discardedLeadTimes").GetInt32());
        Assert.Equal(
            ["deploymentFrequency:elite", "leadTimeForChanges:elite", "changeFailureRate:high", "timeToRestore:elite"],
            checkout.GetProperty("levels").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetString()}"));

        var confidence = checkout.GetProperty("confidence");
        Assert.Equal("""{"n":10,"low":0.7,"high":2.6}""", confidence.GetProperty("deploymentFrequencyPerDay").GetRawText());
        Assert.Equal("""{"p50":{"n":5,"low":0,"high":null},"p90":{"n":5,"low":1800,"high":null}}""",
            confidence.GetProperty("leadTimeForChanges").GetRawText());
        Assert.Equal(JsonValueKind.Null, confidence.GetProperty("failedDeploymentRecoveryTime").ValueKind);
        Assert.Equal("""{"changeFailureRate":"high"}""", confidence.GetProperty("levels").GetRawText());
        Assert.Equal(["deploymentFrequency", "leadTimeForChanges", "timeToRestore"],
            confidence.GetProperty("notEnoughData").EnumerateArray().Select(m => m.GetString()));

        var quiet = series[1];
        Assert.Equal(0, quiet.GetProperty("deploymentFrequencyPerDay").GetDouble());
        foreach (var name in new[] { "leadTimeForChanges", "leadTimeCoding", "leadTimeReview", "leadTimeDeploy", "changeFailureRate",
                     "timeToRestore", "failedDeploymentRecoveryTime", "reworkRate" })
        {
            Assert.Equal(JsonValueKind.Null, quiet.GetProperty(name).ValueKind);
        }

        Assert.Equal(["deploymentFrequency:low"], quiet.GetProperty("levels").EnumerateObject().Select(p => $"{p.Name}:{p.Value.GetString()}"));
        Assert.Equal(JsonValueKind.Null, series[3].GetProperty("team").ValueKind);
        Assert.Equal(JsonValueKind.Null, series[3].GetProperty("service").ValueKind);
    }

    [Theory]
    [InlineData("scope=service", new[] { "service/checkout/production/7d", "service/checkout/staging/30d" })]
    [InlineData("scope=team", new[] { "team/-/production/7d" })]
    [InlineData("scope=organization", new[] { "organization/-/production/7d" })]
    [InlineData("service=checkout", new[] { "service/checkout/production/7d", "service/checkout/staging/30d" })]
    [InlineData("team=payments", new[] { "service/checkout/production/7d", "service/checkout/staging/30d", "team/-/production/7d" })]
    [InlineData("environment=staging", new[] { "service/checkout/staging/30d" })]
    [InlineData("window=7d", new[] { "service/checkout/production/7d", "team/-/production/7d", "organization/-/production/7d" })]
    [InlineData("scope=team&team=payments&environment=production&window=7d", new[] { "team/-/production/7d" })]
    [InlineData("service=nothing", new string[0])]
    public async Task Series_filter_by_scope_service_team_environment_and_window(string query, string[] expected)
    {
        await using var host = await ReadApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dora:Metrics:Windows:0"] = "7d",
            ["Dora:Metrics:Windows:1"] = "30d",
        });
        Publish(host, Snapshot());

        var body = await host.GetJsonAsync($"/api/v1/metrics?{query}");

        Assert.Equal(expected, body.GetProperty("series").EnumerateArray().Select(s =>
            $"{s.GetProperty("scope").GetString()}/{s.GetProperty("service").GetString() ?? "-"}/{s.GetProperty("environment").GetString()}/{s.GetProperty("window").GetString()}"));
    }

    [Fact]
    public async Task Before_the_first_computation_there_is_no_time_and_no_series()
    {
        await using var host = await ReadApiHost.StartAsync();

        var body = await host.GetJsonAsync("/api/v1/metrics");

        Assert.Equal(JsonValueKind.Null, body.GetProperty("computedAt").ValueKind);
        Assert.Equal(["7d", "30d", "90d"], body.GetProperty("windows").EnumerateArray().Select(w => w.GetString()));
        Assert.Empty(body.GetProperty("series").EnumerateArray());
        Assert.Equal(0, body.GetProperty("dataQuality").GetProperty("unattributedIncidents").GetInt32());
    }

    private static void Publish(ReadApiHost host, DoraSnapshot snapshot) =>
        host.Factory.Services.GetRequiredService<SnapshotHolder>().Publish(snapshot);

    private static DoraSnapshot Snapshot()
    {
        var checkout = new SeriesKey(SeriesKey.ServiceScope, "checkout", "payments", "production", IsProduction: true);
        var checkoutStaging = new SeriesKey(SeriesKey.ServiceScope, "checkout", "payments", "staging", IsProduction: false);
        var payments = new SeriesKey(SeriesKey.TeamScope, null, "payments", "production", IsProduction: true);
        var organization = new SeriesKey(SeriesKey.OrganizationScope, null, null, "production", IsProduction: true);
        var busy = new MetricValues(
            DeploymentFrequencyPerDay: 1.5, DeploymentDaysRatio: 0.75,
            LeadTime: new Quantiles(3600, 7200), LeadTimeCoding: new Quantiles(600, 900), LeadTimeReview: new Quantiles(1200, 2400),
            LeadTimeDeploy: new Quantiles(300, 450), ChangeFailureRate: 0.1, TimeToRestore: new Quantiles(900, 1800),
            FailedDeploymentRecoveryTime: null, ReworkRate: 0.2,
            Deployments: new DeploymentCounts(Succeeded: 9, Failed: 1, RolloutFailed: 0, Redeploys: 2),
            Changes: 14, OpenIncidents: 1, ResolvedIncidents: 2, DiscardedLeadTimes: 1,
            Levels: new Dictionary<DoraMetric, PerformanceLevel>
            {
                [DoraMetric.TimeToRestore] = PerformanceLevel.Elite,
                [DoraMetric.DeploymentFrequency] = PerformanceLevel.Elite,
                [DoraMetric.ChangeFailureRate] = PerformanceLevel.High,
                [DoraMetric.LeadTimeForChanges] = PerformanceLevel.Elite,
            })
        {
            Confidence = new MetricConfidence(
                new Interval(10, 0.7, 2.6), new Interval(20, 0.5, 0.9),
                new QuantileIntervals(new Interval(5, 0, double.PositiveInfinity), new Interval(5, 1800, double.PositiveInfinity)),
                null, null, null,
                new Interval(10, 0.06, 0.09),
                new QuantileIntervals(new Interval(2, 0, double.PositiveInfinity), new Interval(2, 0, double.PositiveInfinity)),
                null, null,
                new Dictionary<DoraMetric, PerformanceLevel> { [DoraMetric.ChangeFailureRate] = PerformanceLevel.High }),
        };
        var quiet = new MetricValues(0, 0, null, null, null, null, null, null, null, null, DeploymentCounts.None, 0, 0, 0, 0,
            new Dictionary<DoraMetric, PerformanceLevel> { [DoraMetric.DeploymentFrequency] = PerformanceLevel.Low });
        return new DoraSnapshot(
            ComputedAt, TimeSpan.FromMilliseconds(120), ["7d", "30d"],
            [
                new SeriesValues(checkout, "7d", busy),
                new SeriesValues(checkoutStaging, "30d", quiet),
                new SeriesValues(payments, "7d", busy),
                new SeriesValues(organization, "7d", busy),
            ],
            [],
            new DataQuality(UnattributedIncidents: 3, DiscardedLeadTimes: 2));
    }
}
