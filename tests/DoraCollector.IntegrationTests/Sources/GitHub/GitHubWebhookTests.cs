using DoraCollector.IntegrationTests.Infrastructure;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DoraCollector.Hosting;
using DoraCollector.Sources.GitHub.Polling;

namespace DoraCollector.IntegrationTests.Sources.GitHub;

/// <summary><c>POST /webhooks/github</c> with GitHub's own example deliveries.</summary>
public sealed class GitHubWebhookTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private GitHubHost _host = null!;

    // Webhooks only: nothing is polled, so deliveries of any repository are taken.
    public async Task InitializeAsync() => _host = await GitHubHost.StartAsync(Now, []);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_signed_delivery_is_stored_byte_for_byte_and_acknowledged_at_once()
    {
        var body = GitHubHost.Payload("webhook.deployment_status.payload.json");

        var response = await _host.DeliverAsync("deployment_status", body, "72d3162e-cc78-11e3-81ab-4c9367dc0958");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = Assert.Single(await _host.QueryAsync<(string Kind, string ExternalId, byte[] Body)>(
            "SELECT r.kind, r.external_id, b.body FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id WHERE r.source = 'github'"));
        Assert.Equal(("deployment_status", "72d3162e-cc78-11e3-81ab-4c9367dc0958"), (stored.Kind, stored.ExternalId));
        Assert.Equal(Encoding.UTF8.GetBytes(body), stored.Body);
    }

    [Theory]
    [InlineData(null)]                                                                          // missing
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]      // wrong
    [InlineData("sha1=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")]                               // the legacy header's form
    [InlineData("sha256=not-hex")]                                                               // malformed
    public async Task A_delivery_without_a_valid_signature_is_refused_and_not_stored(string? signature)
    {
        var body = GitHubHost.Payload("webhook.deployment_status.payload.json");

        var response = await _host.DeliverAsync("deployment_status", body, signature: signature ?? "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        Assert.Contains("dora_collector_webhook_rejections_total{source=\"github\",reason=\"signature\"} ",
            await _host.Service<CollectorTelemetry>().RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_over_another_body_is_refused()
    {
        var body = GitHubHost.Payload("webhook.issues.opened.payload.json");

        var response = await _host.DeliverAsync("issues", body, signature: GitHubHost.Sign(body.Replace("Spelling", "Spellings", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task A_redelivery_is_stored_once()
    {
        var body = GitHubHost.Payload("webhook.pull_request.closed.payload.json");

        var first = await _host.DeliverAsync("pull_request", body, "d1a4f0a0-0000-4000-8000-000000000001");
        var again = await _host.DeliverAsync("pull_request", body, "d1a4f0a0-0000-4000-8000-000000000001");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal("duplicate", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task Ping_and_events_the_collector_does_not_use_are_acknowledged_and_not_stored()
    {
        var ping = await _host.DeliverAsync("ping", """{"zen":"Design for failure.","hook_id":1}""");
        var release = await _host.DeliverAsync("release", GitHubHost.Payload("webhook.release.published.payload.json"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ping.StatusCode, release.StatusCode));
        Assert.Equal("pong", JsonDocument.Parse(await ping.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal("ignored", JsonDocument.Parse(await release.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task A_truncated_body_with_a_valid_signature_is_a_bad_request_and_not_stored()
    {
        var body = GitHubHost.Payload("webhook.push.with-new-branch.payload.json");
        var truncated = body[..(body.Length / 2)];

        var response = await _host.DeliverAsync("push", truncated);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task A_successful_deployment_status_becomes_a_deployment_of_the_repositorys_service()
    {
        await _host.DeliverAsync("deployment_status", GitHubHost.Payload("webhook.deployment_status.payload.json"));

        await _host.SettleAsync();
        Assert.Empty(await _host.QueryAsync<string>("SELECT error FROM raw_events WHERE error IS NOT NULL"));

        var deployment = Assert.Single(await _host.QueryAsync<(string Service, string Environment, string Revision, string Outcome)>(
            "SELECT s.name, d.environment, d.revision, d.outcome FROM deployments d JOIN services s ON s.id = d.service_id"));
        Assert.Equal(("Hello-World", "production", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "success"), deployment);
    }

    [Fact]
    public async Task A_deployment_in_progress_is_not_an_attempt_yet()
    {
        var created = await _host.DeliverAsync("deployment", GitHubHost.Payload("webhook.deployment.payload.json"));
        await _host.DeliverAsync("deployment_status", GitHubHost.Payload("webhook.deployment_status.gh-pages.payload.json"));

        await _host.SettleAsync();

        // A deployment has no outcome yet: its statuses bring one, so it is not even stored.
        Assert.Equal("ignored", JsonNode.Parse(await created.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal(["deployment_status"], await _host.QueryAsync<string>("SELECT kind FROM raw_events WHERE state = 'ignored'"));
    }

    [Fact]
    public async Task A_push_to_the_default_branch_of_a_polled_repository_requests_its_sync_once_and_is_not_stored()
    {
        await using var host = await GitHubHost.StartAsync(Now, ["Codertocat/Hello-World"]);
        var push = GitHubHost.Payload("webhook.push.with-new-branch.payload.json");                // refs/heads/master, the default

        var first = await host.DeliverAsync("push", push);
        var again = await host.DeliverAsync("push", push.Replace("\"after\": \"", "\"after\": \"1", StringComparison.Ordinal));
        var tag = await host.DeliverAsync("push", GitHubHost.Payload("webhook.push.payload.json"));  // refs/tags/simple-tag

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.OK), (first.StatusCode, again.StatusCode, tag.StatusCode));
        Assert.Equal("sync_requested", JsonNode.Parse(await first.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal("ignored", JsonNode.Parse(await tag.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal([GitHubSyncRequests.TriggerName("Codertocat/Hello-World")], await host.QueryAsync<string>(
            "SELECT trigger_name FROM qrtz_triggers WHERE job_name = 'github.ingest' AND trigger_name <> 'github.ingest.trigger'"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task A_push_to_a_repository_that_is_not_polled_is_acknowledged_and_dropped()
    {
        var response = await _host.DeliverAsync("push", GitHubHost.Payload("webhook.push.with-new-branch.payload.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE 'github.ingest.push.%'"));
        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task An_issue_labelled_incident_opens_an_incident_and_closing_it_resolves_it()
    {
        var opened = JsonNode.Parse(GitHubHost.Payload("webhook.issues.labeled.payload.json"))!;
        opened["issue"]!["labels"]!.AsArray().Add(new JsonObject { ["name"] = "incident" });
        opened["issue"]!["body"] = "Checkout fails.\n\nRoot cause: 0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
        var closed = opened.DeepClone();
        closed["action"] = "closed";
        closed["issue"]!["state"] = "closed";
        closed["issue"]!["closed_at"] = "2019-05-15T17:20:18Z";

        await _host.DeliverAsync("issues", opened.ToJsonString());
        await _host.SettleAsync();
        var open = Assert.Single(await _host.QueryAsync<(DateTime Started, DateTime? Resolved, string? Revision)>(
            "SELECT started_at, resolved_at, revision_ref FROM incident_signals"));
        await _host.DeliverAsync("issues", closed.ToJsonString());
        await _host.SettleAsync();

        Assert.Equal((new DateTime(2019, 5, 15, 15, 20, 18), (DateTime?)null, "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"), open);
        Assert.Equal(new DateTime(2019, 5, 15, 17, 20, 18), await _host.ScalarAsync<DateTime>("SELECT resolved_at FROM incidents"));
    }

    [Fact]
    public async Task A_pinned_incident_issue_without_a_state_maps_as_the_open_issue_it_is()
    {
        // GitHub's own example: the pinned and unpinned deliveries' issue has no state.
        var pinned = JsonNode.Parse(GitHubHost.Payload("webhook.issues.pinned.payload.json"))!;
        pinned["issue"]!["labels"] = new JsonArray(new JsonObject { ["name"] = "incident" });
        var unpinned = pinned.DeepClone();
        unpinned["action"] = "unpinned";

        await _host.DeliverAsync("issues", pinned.ToJsonString());
        await _host.DeliverAsync("issues", unpinned.ToJsonString());
        await _host.SettleAsync();

        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE state <> 'processed'"));
        Assert.Equal(1, await _host.ScalarAsync<long>("SELECT count(*) FROM incident_signals WHERE resolved_at IS NULL"));
    }

    [Fact]
    public async Task An_issue_without_the_incident_label_is_no_incident()
    {
        await _host.DeliverAsync("issues", GitHubHost.Payload("webhook.issues.opened.payload.json"));

        await _host.SettleAsync();

        Assert.Equal(0, await _host.ScalarAsync<long>("SELECT count(*) FROM incident_signals"));
    }

    [Fact]
    public async Task A_merged_pull_request_and_its_review_are_stored_and_a_closed_one_is_not_merged()
    {
        var merged = JsonNode.Parse(GitHubHost.Payload("webhook.pull_request.closed.payload.json"))!;
        merged["pull_request"]!["merged"] = true;
        merged["pull_request"]!["merged_at"] = "2019-05-15T15:21:18Z";
        var review = new JsonObject
        {
            ["action"] = "submitted",
            ["review"] = new JsonObject { ["state"] = "approved", ["submitted_at"] = "2019-05-15T15:21:00Z", ["user"] = new JsonObject { ["login"] = "rev" } },
            ["pull_request"] = merged["pull_request"]!.DeepClone(),
            ["repository"] = merged["repository"]!.DeepClone(),
        };

        await _host.DeliverAsync("pull_request", GitHubHost.Payload("webhook.pull_request.closed.payload.json"));
        await _host.SettleAsync();
        var closedState = await _host.ScalarAsync<string>("SELECT state || ':' || coalesce(merge_commit_sha, '-') FROM pull_requests");
        await _host.DeliverAsync("pull_request", merged.ToJsonString());
        await _host.DeliverAsync("pull_request_review", review.ToJsonString());
        await _host.SettleAsync();

        Assert.Equal("closed:-", closedState);
        var pr = Assert.Single(await _host.QueryAsync<(string State, string MergeCommit, DateTime FirstReview)>(
            "SELECT state, merge_commit_sha, first_review_at FROM pull_requests"));
        Assert.Equal(("merged", "c4295bd74fb0f4fda03689c3df3f2803b658fd85", new DateTime(2019, 5, 15, 15, 21, 0)), pr);
    }

    [Fact]
    public async Task A_workflow_run_of_a_deployment_workflow_is_a_deployment_attempt()
    {
        await using var host = await GitHubHost.StartAsync(Now, [], new Dictionary<string, string?>
        {
            ["Dora:GitHub:DeploymentWorkflows:0"] = "test.yml",
        });

        await host.DeliverAsync("workflow_run", GitHubHost.Payload("webhook.workflow_run.completed.payload.json"));
        await host.SettleAsync();

        var attempt = Assert.Single(await host.QueryAsync<(string Environment, string Revision, string Outcome)>(
            "SELECT environment, revision, outcome FROM deployment_attempts"));
        Assert.Equal(("production", "3484a3fb816e0859fd6e1cea078d76385ff50625", "success"), attempt);
    }

    [Fact]
    public async Task Deliveries_of_repositories_that_are_not_collected_are_acknowledged_and_dropped()
    {
        await using var host = await GitHubHost.StartAsync(Now, ["acme/shop"]);

        var response = await host.DeliverAsync("deployment_status", GitHubHost.Payload("webhook.deployment_status.payload.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task Without_a_webhook_secret_the_receiver_is_off()
    {
        await using var host = await GitHubHost.StartAsync(Now, [], new Dictionary<string, string?> { ["Dora:GitHub:WebhookSecret"] = "" });

        var response = await host.DeliverAsync("push", GitHubHost.Payload("webhook.push.payload.json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not found", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }
}
