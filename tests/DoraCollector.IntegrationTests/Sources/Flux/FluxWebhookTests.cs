using System.Net;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Sources.Flux;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;
using static DoraCollector.IntegrationTests.Sources.Flux.FluxHost;

namespace DoraCollector.IntegrationTests.Sources.Flux;

/// <summary><c>POST /webhooks/flux</c>: what Flux's events become once the engine has projected them.</summary>
public sealed class FluxWebhookTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Successes_of_new_revisions_are_deployments_and_the_periodic_repeats_are_not()
    {
        await using var host = await FluxHost.StartAsync(Now);

        await host.DeliverAsync(
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 5)),
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 4, minutes: 50)),
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 4, minutes: 40)),
            Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 2)),
            Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 1, minutes: 50)),
            Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 1, minutes: 40), reason: "Progressing"));

        Assert.Equal(["c1 success", "c2 success"], await host.DeploymentsAsync("podinfo"));
        Assert.Equal([Ago(hours: 5), Ago(hours: 2)], (await DeploymentsAsync(host.Engine)).Select(d => d.FinishedAt));
        Assert.Equal(2, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
    }

    [Fact]
    public async Task The_documented_error_event_then_a_success_of_its_revision_is_one_deployment()
    {
        await using var host = await FluxHost.StartAsync(Now);
        var error = Payload("flux/event.kustomization-error.providers-md-generic.json");
        var retried = (JsonObject)error.DeepClone();
        retried["timestamp"] = "2022-10-28T07:36:19Z";
        retried["reportingInstance"] = "kustomize-controller-7c7b47f5f-9qzlm";

        await host.DeliverAsync(
            Event("webapp", "main@sha1:0000000000000000000000000000000000000001", new DateTimeOffset(2022, 10, 27, 9, 0, 0, TimeSpan.Zero), ns: "apps"),
            error, retried,
            Event("webapp", "main@sha1:731f7eaddfb6af01cb2173e18f0f75b0ba780ef1", new DateTimeOffset(2022, 10, 28, 8, 0, 0, TimeSpan.Zero), ns: "apps"));

        Assert.Equal(["0000000000000000000000000000000000000001 success", "731f7eaddfb6af01cb2173e18f0f75b0ba780ef1 success x2"],
            await host.DeploymentsAsync("webapp"));
    }

    [Fact]
    public async Task A_failed_reconcile_then_a_fix_is_a_failed_rollout()
    {
        await using var host = await FluxHost.StartAsync(Now);

        await host.DeliverAsync(
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(days: 1)),
            Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 6), reason: "HealthCheckFailed", severity: "error"),
            Event("podinfo", $"main@sha1:{Sha("c3")}", Ago(hours: 5)));

        Assert.Equal(["c1 success", "c2 failure failed:outcome", "c3 success"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task A_return_to_an_earlier_revision_is_a_rollback()
    {
        await using var host = await FluxHost.StartAsync(Now);

        await host.DeliverAsync(
            Event("podinfo", $"v1.4.0@sha1:{Sha("c1")}", Ago(days: 2)),
            Event("podinfo", $"v1.5.0@sha1:{Sha("c2")}", Ago(days: 1)),
            Event("podinfo", $"v1.4.0@sha1:{Sha("c1")}", Ago(hours: 3)));

        Assert.Equal(["c1 success", "c2 success failed:rolled_back", "c1 success rollback"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task Repeats_arriving_before_the_first_report_fold_onto_the_earliest()
    {
        await using var host = await FluxHost.StartAsync(Now);

        await host.DeliverAsync(
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(days: 1)),
            Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 4, minutes: 40)),
            Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 5)));

        Assert.Equal(["c1 success", "c2 success"], await host.DeploymentsAsync());
        Assert.Equal(Ago(hours: 5), (await DeploymentsAsync(host.Engine))[^1].FinishedAt);
    }

    [Fact]
    public async Task Helm_releases_roll_out_chart_versions_and_values_and_a_remediation_is_marked()
    {
        await using var host = await FluxHost.StartAsync(Now);
        JsonObject Helm(string version, string digest, DateTimeOffset at, string reason, string severity = "info") =>
            Event("checkout", version, at, reason, severity, kind: "HelmRelease", ns: "apps",
                metadata: new() { ["token"] = $"sha256:{digest}{new string('0', 52)}" });

        await host.DeliverAsync(
            Helm("6.4.0", "aaaaaaaaaaaa", Ago(days: 2), "InstallSucceeded"),
            Helm("6.4.0", "bbbbbbbbbbbb", Ago(days: 1), "UpgradeSucceeded"),
            Helm("6.4.0", "bbbbbbbbbbbb", Ago(days: 1, minutes: -3), "TestSucceeded"),
            Helm("6.5.0", "bbbbbbbbbbbb", Ago(hours: 3), "UpgradeFailed", "error"),
            Helm("6.4.0", "bbbbbbbbbbbb", Ago(hours: 3, minutes: -1), "RollbackSucceeded"));

        Assert.Equal(
        [
            "6.4.0@sha256:aaaaaaaaaaaa success", "6.4.0@sha256:bbbbbbbbbbbb success", "6.5.0@sha256:bbbbbbbbbbbb failure failed:outcome",
            "6.4.0@sha256:bbbbbbbbbbbb success redeploy",
        ], await host.DeploymentsAsync("checkout"));
        Assert.True(await host.Engine.ScalarAsync<bool>("SELECT rollback_hint FROM deployment_attempts ORDER BY finished_at DESC LIMIT 1"));
    }

    [Fact]
    public async Task The_environment_comes_from_the_alerts_event_metadata_else_a_rule_else_the_default()
    {
        await using var host = await FluxHost.StartAsync(Now, new Dictionary<string, string?>
        {
            ["Dora:Flux:EnvironmentRules:0:Namespace"] = "-staging$",
            ["Dora:Flux:EnvironmentRules:0:Environment"] = "staging",
            ["Dora:Catalog:Services:0:Name"] = "shop",
            ["Dora:Catalog:Services:0:FluxObjects:0"] = "apps/podinfo",
            ["Dora:Catalog:Services:0:FluxObjects:1"] = "Kustomization/apps-staging/podinfo",
        });

        await host.DeliverAsync(
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 3), ns: "apps-staging"),
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 2), ns: "apps"),
            Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1), ns: "edge", metadata: new() { ["env"] = "canary" }));

        Assert.Equal([("podinfo", "canary"), ("shop", "production"), ("shop", "staging")],
            await host.Engine.QueryAsync<(string, string)>(
                "SELECT s.name, d.environment FROM deployments d JOIN services s ON s.id = d.service_id ORDER BY 1, 2"));
    }

    [Fact]
    public async Task A_generic_provider_authenticates_with_the_bearer_token()
    {
        await using var host = await FluxHost.StartAsync(Now);

        var response = await PostAsync(host.Engine, "/webhooks/flux", Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1)).ToJsonString(),
            ("Authorization", $"Bearer {Token}"));
        await host.Engine.SettleAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["c1 success"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task A_bad_signature_or_token_is_401_and_nothing_is_stored()
    {
        await using var host = await FluxHost.StartAsync(Now);
        var body = Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1)).ToJsonString();

        var forged = await host.SignedAsync(body, secret: "not-the-secret-0123456789");
        var tampered = await PostAsync(host.Engine, "/webhooks/flux", body.Replace("podinfo", "payroll", StringComparison.Ordinal),
            ("X-Signature", SignatureOf(body)));
        var unsigned = await PostAsync(host.Engine, "/webhooks/flux", body);
        var wrongToken = await PostAsync(host.Engine, "/webhooks/flux", body, ("Authorization", "Bearer not-the-token-0123456789"));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            [forged.StatusCode, tampered.StatusCode, unsigned.StatusCode, wrongToken.StatusCode]);
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        var metrics = await host.Engine.Client.GetStringAsync("/metrics");
        Assert.Contains("dora_collector_webhook_rejections_total{source=\"flux\",reason=\"signature\"} 2", metrics);
        Assert.Contains("dora_collector_webhook_rejections_total{source=\"flux\",reason=\"unauthorized\"} 2", metrics);
    }

    [Fact]
    public async Task With_only_a_secret_every_request_must_be_signed()
    {
        await using var host = await FluxHost.StartAsync(Now, bearer: false);

        var response = await PostAsync(host.Engine, "/webhooks/flux", Event("podinfo", "main@sha1:" + Sha("c1"), Ago(hours: 1)).ToJsonString(),
            ("Authorization", $"Bearer {Token}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"involvedObject\": {\"kind\": \"Kustomization\"", "malformed")]
    [InlineData("{\"involvedObject\": {\"kind\": \"Kustomization\", \"name\": \"podinfo\"}, \"timestamp\": \"soon\"}", "malformed")]
    [InlineData("{\"involvedObject\": {\"kind\": \"Kustomization\", \"name\": \"podinfo\"}}", "invalid")]
    [InlineData("{\"severity\": \"info\", \"timestamp\": \"2026-03-10T10:00:00Z\"}", "invalid")]
    public async Task A_body_that_is_not_an_event_is_400_and_nothing_is_stored(string body, string reason)
    {
        await using var host = await FluxHost.StartAsync(Now);

        var response = await host.SignedAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        Assert.Contains($"dora_collector_webhook_rejections_total{{source=\"flux\",reason=\"{reason}\"}} 1",
            await host.Engine.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_retried_delivery_is_a_duplicate_and_events_of_other_objects_are_kept_but_map_to_nothing()
    {
        await using var host = await FluxHost.StartAsync(Now);
        var body = Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1)).ToJsonString();
        var source = Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1), reason: "NewArtifact", kind: "GitRepository").ToJsonString();

        Assert.Equal(HttpStatusCode.Accepted, (await host.SignedAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SignedAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.SignedAsync(source)).StatusCode);
        await host.Engine.SettleAsync();

        Assert.Equal(["processed", "ignored"], await host.Engine.QueryAsync<string>("SELECT state FROM raw_events ORDER BY id"));
        Assert.Equal(["c1 success"], await host.DeploymentsAsync());
    }

    [Fact]
    public async Task The_cluster_in_the_providers_address_makes_each_clusters_object_a_stream_of_its_own()
    {
        // docs/metrics.md, "Clusters": Flux in eu and us reconciles the same Kustomization; us lags,
        // fails c2 once and retries it. The same event from both clusters, byte for byte, is two.
        await using var host = await FluxHost.StartAsync(Now);
        var c1 = Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 5)).ToJsonString();

        foreach (var (cluster, body) in new[]
        {
            ("eu", c1), ("us", c1),
            ("eu", Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 4, minutes: 50)).ToJsonString()),
            ("eu", Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 2)).ToJsonString()),
            ("us", Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 1, minutes: 50), reason: "HealthCheckFailed", severity: "error").ToJsonString()),
            ("us", Event("podinfo", $"main@sha1:{Sha("c2")}", Ago(hours: 1, minutes: 30)).ToJsonString()),
        })
        {
            var response = await PostAsync(host.Engine, $"{FluxWebhookEndpoints.Path}?cluster={cluster}", body, ("X-Signature", SignatureOf(body)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await host.Engine.SettleAsync();

        Assert.Equal(["c1 success x2", "c2 success x3"], await host.DeploymentsAsync("podinfo"));
        Assert.Equal([("eu", "c1", "success"), ("us", "c1", "success"), ("eu", "c2", "success"), ("us", "c2", "failure"), ("us", "c2", "success")],
            (await host.Engine.QueryAsync<(string Cluster, string Revision, string Outcome)>(
                "SELECT cluster, revision, outcome FROM deployment_attempts ORDER BY finished_at, id")).Select(a => (a.Cluster, Name(a.Revision), a.Outcome)));
    }

    [Fact]
    public async Task A_cluster_that_is_not_a_cluster_name_is_400_and_nothing_is_stored()
    {
        await using var host = await FluxHost.StartAsync(Now);
        var body = Event("podinfo", $"main@sha1:{Sha("c1")}", Ago(hours: 1)).ToJsonString();

        var response = await PostAsync(host.Engine, $"{FluxWebhookEndpoints.Path}?cluster=eu%2Fwest", body, ("X-Signature", SignatureOf(body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cluster", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.Engine.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task Without_a_secret_or_token_the_endpoint_is_off()
    {
        await using var host = await EngineHost.StartAsync(Now);

        var response = await PostAsync(host, "/webhooks/flux", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string SignatureOf(string body) => "sha256=" + Convert.ToHexStringLower(
        System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(body)));

    private static DateTimeOffset Ago(double days = 0, double hours = 0, double minutes = 0) =>
        Now.AddDays(-days).AddHours(-hours).AddMinutes(-minutes);
}
