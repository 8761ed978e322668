using DoraCollector.Pipeline;
using System.Net.Http.Json;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace DoraCollector.IntegrationTests.Engine;

/// <summary>The background stages on their own: nothing but a posted deployment and time.</summary>
public sealed class BackgroundPipelineTests
{
    [Fact]
    public async Task A_posted_deployment_reaches_metrics_through_the_background_workers_alone()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = new CollectorFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Dora:Scheduling:Enabled"] = "true",
            ["Dora:Api:Keys:0"] = EngineHost.ApiKey,
            ["Dora:Metrics:SnapshotDebounce"] = "0s",
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", EngineHost.ApiKey);

        var posted = await client.PostAsJsonAsync("/api/v1/deployments", new
        {
            id = "bg-1", service = "checkout", environment = "production", revision = "abc1234", status = "success",
            finishedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
        });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        do
        {
            await Task.Delay(250);
            metrics = await client.GetStringAsync("/metrics");
        }
        while (!metrics.Contains("service=\"checkout\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Contains(
            "dora_deployments{scope=\"service\",service=\"checkout\",environment=\"production\",window=\"30d\",outcome=\"success\"} 1",
            metrics);
        var api = JsonDocument.Parse(await client.GetStringAsync("/api/v1/deployments?service=checkout")).RootElement;
        Assert.Equal(1, api.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Changing_a_rule_projects_every_service_again_under_the_new_rule()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        await using var database = await TestDatabase.CreateAsync();
        CollectorFactory Host(string window) => new(database.ConnectionString,
            new Dictionary<string, string?> { ["Dora:Api:Keys:0"] = EngineHost.ApiKey, ["Dora:Metrics:AttributionWindow"] = window },
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(new FakeTimeProvider(now));
            });

        await using (var first = Host("24h"))
        {
            var client = first.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", EngineHost.ApiKey);
            await client.PostAsJsonAsync("/api/v1/deployments", new
            {
                id = "r1", service = "checkout", environment = "production", revision = "abc1234", status = "success", finishedAt = now.AddHours(-10),
            });
            await client.PostAsJsonAsync("/api/v1/incidents", new { id = "i1", service = "checkout", startedAt = now.AddHours(-5) });
            var firstRunner = first.Services.GetRequiredService<ProjectionRunner>();
            await firstRunner.QueueAllIfRulesChangedAsync(CancellationToken.None);
            await Settle(first);

            // The same rules again queue nothing.
            await firstRunner.QueueAllIfRulesChangedAsync(CancellationToken.None);
            Assert.Equal(0, await firstRunner.DrainAsync(CancellationToken.None));
        }

        Assert.True(await FailedAsync(database));

        await using var second = Host("1h");
        var runner = second.Services.GetRequiredService<ProjectionRunner>();
        await runner.QueueAllIfRulesChangedAsync(CancellationToken.None);
        await runner.DrainAsync(CancellationToken.None);

        Assert.False(await FailedAsync(database)); // 5 hours after the deployment is outside a 1h window
    }

    private static async Task Settle(CollectorFactory factory)
    {
        while (await factory.Services.GetRequiredService<DoraCollector.Pipeline.RawEventProcessor>().ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }

        await factory.Services.GetRequiredService<ProjectionRunner>().DrainAsync(CancellationToken.None);
    }

    private static async Task<bool> FailedAsync(TestDatabase database)
    {
        await using var conn = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT is_failed FROM deployments", conn);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }
}
