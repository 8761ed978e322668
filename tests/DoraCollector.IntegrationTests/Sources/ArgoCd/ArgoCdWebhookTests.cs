using System.Net;
using System.Text.Json;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Simulator.ArgoCd;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Sources.ArgoCd;

/// <summary><c>POST /webhooks/argocd</c> with the shipped notification template, alone and together with polling.</summary>
public sealed class ArgoCdWebhookTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_rollout_reported_by_webhook_and_by_poll_is_stored_once_whichever_comes_first()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var notifiedFirst = new ArgoCdApplication("checkout").Synced(Ago(hours: 3, minutes: 1), Ago(hours: 3), Sha("c1"));
        var polledFirst = new ArgoCdApplication("billing").Synced(Ago(hours: 2, minutes: 1), Ago(hours: 2), Sha("b1"));

        Assert.Equal(HttpStatusCode.Accepted, (await host.NotifyAsync(notifiedFirst)).StatusCode);
        await host.Engine.SettleAsync();
        await host.PollAsync(notifiedFirst, polledFirst);
        Assert.Equal(HttpStatusCode.Accepted, (await host.NotifyAsync(polledFirst)).StatusCode);
        await host.Engine.SettleAsync();

        Assert.Equal(["c1 success"], await host.DeploymentsAsync("checkout"));
        Assert.Equal(["b1 success"], await host.DeploymentsAsync("billing"));
        Assert.Equal(2, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal(4, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE source = 'argocd' AND state = 'processed'"));
    }

    [Fact]
    public async Task A_failed_sync_seen_only_by_the_webhook_is_kept_when_the_poll_has_moved_on()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var app = new ArgoCdApplication("checkout").Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c1"));
        await host.PollAsync(app);

        // The failure is notified, and fixed by the next sync before the next poll.
        await host.NotifyAsync(app.Failed(Ago(hours: 5), Ago(hours: 5, minutes: -1), Sha("c2")));
        await host.PollAsync(app.Synced(Ago(hours: 4), Ago(hours: 4, minutes: -1), Sha("c2")));

        Assert.Equal(["c1 success", "c2 success x2"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task Any_notification_carries_the_history_so_a_degraded_one_reports_syncs_missed_before()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var app = new ArgoCdApplication("checkout")
            .Synced(Ago(days: 2, minutes: 1), Ago(days: 2), Sha("c1"))
            .Synced(Ago(days: 1, minutes: 1), Ago(days: 1), Sha("c2"))
            .Health("Degraded", Ago(hours: 1));

        Assert.Equal(HttpStatusCode.Accepted, (await host.NotifyAsync(app)).StatusCode);
        await host.Engine.SettleAsync();

        Assert.Equal(["c1 success", "c2 success"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task The_shipped_template_posts_json_with_a_bearer_token_and_its_triggers_fire_once_per_operation()
    {
        var data = NotificationTemplate.Data();
        var (method, _) = NotificationTemplate.Webhook();

        Assert.Equal("POST", method);
        Assert.Contains("value: application/json", data["service.webhook.dora-collector"], StringComparison.Ordinal);
        Assert.Contains("value: Bearer $dora-collector-token", data["service.webhook.dora-collector"], StringComparison.Ordinal);
        Assert.Contains("/webhooks/argocd", data["service.webhook.dora-collector"], StringComparison.Ordinal);
        foreach (var trigger in new[] { "dora-on-sync-succeeded", "dora-on-sync-failed", "dora-on-deployed", "dora-on-health-degraded" })
        {
            Assert.Contains("send: [dora-collector-rollout]", data[$"trigger.{trigger}"], StringComparison.Ordinal);
        }

        Assert.Contains("oncePer: app.status.operationState?.startedAt", data["trigger.dora-on-deployed"], StringComparison.Ordinal);

        // A multi-source application has no spec.source: the template renders null for it.
        var multi = new ArgoCdApplication("checkout")
            .WithSources(ArgoCdApplication.Source("https://github.com/acme/shop.git", "services/checkout/deploy", "main"))
            .Synced(Ago(hours: 1, minutes: 1), Ago(hours: 1), "", revisions: [Sha("c1")]);
        var body = JsonDocument.Parse(NotificationTemplate.Render(multi.ToJson())).RootElement;
        Assert.Equal(JsonValueKind.Null, body.GetProperty("spec").GetProperty("source").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("metadata").GetProperty("labels").ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-0123456789abcdef")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task A_missing_or_wrong_token_is_401_and_nothing_is_stored(string? authorization)
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var body = NotificationTemplate.Render(new ArgoCdApplication("checkout").Synced(Ago(hours: 1, minutes: 1), Ago(hours: 1), Sha("c1")).ToJson());

        var response = authorization is null
            ? await PostAsync(host.Engine, "/webhooks/argocd", body)
            : await PostAsync(host.Engine, "/webhooks/argocd", body, ("Authorization", authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        Assert.Contains("dora_collector_webhook_rejections_total{source=\"argocd\",reason=\"unauthorized\"} 1",
            await host.Engine.Client.GetStringAsync("/metrics"));
    }

    [Theory]
    [InlineData("{\"metadata\": {\"name\": \"checkout\"", "malformed")]
    [InlineData("[1, 2]", "malformed")]
    [InlineData("{\"status\": {\"history\": [{\"deployedAt\": \"yesterday\"}]}, \"metadata\": {\"name\": \"x\"}}", "malformed")]
    [InlineData("{\"app\": \"checkout\", \"operationState\": {}}", "invalid")]
    public async Task A_body_that_is_not_an_application_is_400_and_nothing_is_stored(string body, string reason)
    {
        await using var host = await ArgoCdHost.StartAsync(Now);

        var response = await host.NotifyAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        Assert.Contains($"dora_collector_webhook_rejections_total{{source=\"argocd\",reason=\"{reason}\"}} 1",
            await host.Engine.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_redelivered_notification_is_a_duplicate()
    {
        await using var host = await ArgoCdHost.StartAsync(Now);
        var body = NotificationTemplate.Render(new ArgoCdApplication("checkout").Synced(Ago(hours: 1, minutes: 1), Ago(hours: 1), Sha("c1")).ToJson());

        Assert.Equal(HttpStatusCode.Accepted, (await host.NotifyAsync(body)).StatusCode);
        var again = await host.NotifyAsync(body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("duplicate", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_a_webhook_token_the_endpoint_is_off()
    {
        await using var host = await EngineHost.StartAsync(Now);

        var response = await PostAsync(host, "/webhooks/argocd", "{}", ("Authorization", "Bearer anything-at-all-0123456789"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    private static DateTimeOffset Ago(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes);
}
