using System.Net;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;

namespace DoraCollector.IntegrationTests.Engine;

/// <summary>
/// One service on three clusters of one environment, posted through the generic API with
/// <c>cluster</c> (docs/metrics.md, "Clusters"). Revisions v1 to v8 reach eu every 20 hours, the
/// last an hour before <see cref="Now"/>; us 10 minutes after eu, ap 25 minutes after, except
/// that ap gets v3 only after eu and us run v4 (v4 + 20 minutes), and v4 5 minutes later.
/// </summary>
public sealed class MultiClusterFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Eu(int k) => Now.AddHours(-1 - ((8 - k) * 20));

    private static object[] Rollout()
    {
        var items = new List<object>();
        for (var k = 1; k <= 8; k++)
        {
            items.Add(Deployment(k, "eu", Eu(k)));
            items.Add(Deployment(k, "us", Eu(k).AddMinutes(10)));
            items.Add(Deployment(k, "ap", k switch { 3 => Eu(4).AddMinutes(20), 4 => Eu(4).AddMinutes(25), _ => Eu(k).AddMinutes(25) }));
        }

        return [.. items];
    }

    [Fact]
    public async Task A_revision_on_three_lagging_clusters_counts_once_and_a_lagging_cluster_is_no_rollback()
    {
        await using var host = await EngineHost.StartAsync(Now);
        await host.IngestAsync("/api/v1/deployments", Rollout());

        var week = (await host.SettleAsync()).Series
            .Single(s => s.Key is { Scope: "service", Service: "search", Environment: "production" } && s.Window == "7d").Values;

        // 8 deployments (none failed, none a redeploy) ÷ 7 days; every one went live on eu.
        Assert.Equal(8.0 / 7, week.DeploymentFrequencyPerDay, 12);
        Assert.Equal(new DeploymentCounts(8, 0, 0, 0), week.Deployments);
        Assert.Equal(0, week.ChangeFailureRate!.Value, 12);
        Assert.Equal(0, week.ReworkRate!.Value, 12);
        Assert.Equal(24, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts WHERE deployment_id IS NOT NULL"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM deployments WHERE is_rollback OR is_failed"));

        var list = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/deployments?service=search")).RootElement;
        Assert.Equal(8, list.GetProperty("total").GetInt32());
        var v3 = list.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("revision").GetString() == "v3");
        Assert.Equal(["ap", "eu", "us"], v3.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(Eu(3), v3.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Equal(3, v3.GetProperty("attemptCount").GetInt32());

        var one = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/v1/deployments/{v3.GetProperty("id").GetInt64()}")).RootElement;
        Assert.Equal(["eu", "us", "ap"], one.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("cluster").GetString()));
        Assert.Equal(Eu(4).AddMinutes(20), one.GetProperty("attempts")[2].GetProperty("finishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task An_incident_on_the_lagging_cluster_is_attributed_to_what_that_cluster_ran()
    {
        // At v4 + 15 minutes eu and us run v4, ap still runs v2 (since v2 + 25 minutes, 39h50m
        // earlier, within a 48h attribution window): the incident seen on ap is v2's.
        await using var host = await EngineHost.StartAsync(Now, new Dictionary<string, string?> { ["Dora:Metrics:AttributionWindow"] = "48h" });
        await host.IngestAsync("/api/v1/deployments", Rollout());
        await host.IngestAsync("/api/v1/incidents", new
        {
            id = "pd-ap", service = "search", environment = "production", cluster = "ap",
            startedAt = Eu(4).AddMinutes(15), resolvedAt = Eu(4).AddMinutes(45),
        });

        var week = (await host.SettleAsync()).Series
            .Single(s => s.Key is { Scope: "service", Service: "search", Environment: "production" } && s.Window == "7d").Values;

        Assert.Equal(1.0 / 8, week.ChangeFailureRate!.Value, 12);
        var failed = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/deployments?service=search&outcome=failed"))
            .RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("v2", failed.GetProperty("revision").GetString());
        Assert.Equal("incident", failed.GetProperty("failureReason").GetString());
        Assert.Equal("ap", failed.GetProperty("failureCluster").GetString());
        var incident = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/incidents?service=search"))
            .RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("ap", incident.GetProperty("cluster").GetString());
        Assert.Equal(failed.GetProperty("id").GetInt64(), incident.GetProperty("deploymentId").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "cluster": "eu west", "revision": "v1", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""")]
    [InlineData("/api/v1/deployments", """{ "service": "a", "environment": "production", "cluster": 5, "revision": "v1", "status": "success", "finishedAt": "2026-03-10T10:00:00Z" }""")]
    [InlineData("/api/v1/incidents", """{ "id": "i1", "service": "a", "cluster": "eu/1", "startedAt": "2026-03-10T10:00:00Z" }""")]
    public async Task A_cluster_that_is_not_a_name_is_a_400_naming_the_field(string path, string body)
    {
        await using var host = await EngineHost.StartAsync(Now);

        var response = await host.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("cluster", out _), problem.ToString());
    }

    [Fact]
    public async Task A_cluster_name_of_101_characters_is_a_400_and_one_of_100_is_accepted()
    {
        await using var host = await EngineHost.StartAsync(Now);

        var tooLong = await host.PostAsync("/api/v1/deployments", Deployment(1, new string('c', 101), Eu(1)));
        var longest = await host.PostAsync("/api/v1/deployments", Deployment(1, new string('c', 100), Eu(1)));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("cluster", await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, longest.StatusCode);
    }

    private static object Deployment(int k, string cluster, DateTimeOffset finishedAt) => new
    {
        id = $"v{k}-{cluster}", service = "search", environment = "production", cluster, revision = $"v{k}", status = "success", finishedAt,
    };
}
