using System.Net;
using DoraCollector.Hosting;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.Flux;
using Npgsql;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Ingestion;

/// <summary><c>dora_collector_webhook_duration_seconds</c>: every webhook and ingest API answer, timed per source, and nothing else.</summary>
public sealed class WebhookTimingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stored_duplicate_and_refused_requests_are_timed_under_their_source_and_other_endpoints_are_not()
    {
        await using var host = await FluxHost.StartAsync(Now);
        var body = FluxHost.Event("podinfo", "main@sha1:" + new string('a', 40), Now.AddHours(-1)).ToJsonString();

        var stored = await host.SignedAsync(body);
        var duplicate = await host.SignedAsync(body);
        var unsigned = await PostAsync(host.Engine, "/webhooks/flux", body);
        var refused = await PostAsync(host.Engine, "/api/v1/deployments", "{}");
        await host.Engine.Client.GetAsync("/healthz");
        await host.Engine.Client.GetAsync("/api/v1/services");
        var metrics = await host.Engine.Client.GetStringAsync("/metrics");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest],
            [stored.StatusCode, duplicate.StatusCode, unsigned.StatusCode, refused.StatusCode]);
        var counts = metrics.Split('\n').Where(l => l.StartsWith("dora_collector_webhook_duration_seconds_count", StringComparison.Ordinal));
        Assert.Equal(
            ["dora_collector_webhook_duration_seconds_count{source=\"flux\"} 3", "dora_collector_webhook_duration_seconds_count{source=\"generic\"} 1"],
            counts);
        Assert.Contains("dora_collector_webhook_duration_seconds_bucket{source=\"flux\",le=\"+Inf\"} 3\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_while_the_database_is_down_is_timed_too()
    {
        await using var host = await FluxHost.StartAsync(Now);
        await using (var admin = await (await PostgresServer.SharedAsync()).OpenAdminAsync())
        await using (var drop = new NpgsqlCommand(
            $"DROP DATABASE {new NpgsqlConnectionStringBuilder(host.Engine.ConnectionString).Database} WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var response = await host.SignedAsync(FluxHost.Event("podinfo", "main@sha1:" + new string('b', 40), Now).ToJsonString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("dora_collector_webhook_duration_seconds_count{source=\"flux\"} 1\n",
            await host.Engine.Service<CollectorTelemetry>().RenderAsync(), StringComparison.Ordinal);
    }
}
