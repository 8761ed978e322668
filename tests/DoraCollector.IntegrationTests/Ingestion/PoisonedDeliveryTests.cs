using DoraCollector.Pipeline;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using DoraCollector.Ingestion;
using DoraCollector.Reports;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.Alertmanager;
using DoraCollector.IntegrationTests.Sources.ArgoCd;
using DoraCollector.IntegrationTests.Sources.Flux;
using DoraCollector.IntegrationTests.Sources.GitHub;
using DoraCollector.Simulator.ArgoCd;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using static DoraCollector.IntegrationTests.Sources.GitOpsKit;

namespace DoraCollector.IntegrationTests.Ingestion;

/// <summary>
/// Deliveries no real sender sends, posted through the real webhook endpoints at the same time
/// as valid ones: none of them holds the others back, none is answered 503, and each gets the
/// answer docs/metrics.md ("Data quality") gives it.
/// </summary>
public sealed class PoisonedDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const string FluxSecret = "flux-generic-hmac-key-0123456789";

    [Fact]
    public async Task Poisoned_deliveries_among_valid_ones_are_stored_as_sent_and_ignored_with_a_reason_and_recompute_gives_the_same_rows()
    {
        await using var host = await StartAsync();

        var valid = new List<Delivery>();
        for (var i = 0; i < 14; i++)
        {
            valid.Add(GitHub($"gh-{i}", DeploymentStatus(i, Now.AddHours(-i - 1))));
        }

        for (var i = 0; i < 12; i++)
        {
            valid.Add(ArgoCd(new ArgoCdApplication($"argo-app-{i}").Synced(Now.AddHours(-i - 2), Now.AddHours(-i - 1), Sha($"a{i}"))));
            valid.Add(Flux(FluxHost.Event($"flux-app-{i}", $"main@sha1:{Sha($"f{i}")}", Now.AddHours(-i - 1)).ToJsonString()));
            valid.Add(Alertmanager(AlertPayloads.Notification(AlertPayloads.Firing($"fp{i:D2}", Now.AddHours(-i - 1), AlertPayloads.Labels()))));
        }

        // A NUL in a string (jsonb refuses it), bytes that are not UTF-8, instants in year 1 and
        // 9999, names of 1 MiB and of 201 characters.
        var withNul = GitHub("gh-nul", DeploymentStatus(100, Now.AddHours(-1), description: "\\u0000 deployed"));
        var notUtf8 = GitHub("gh-not-utf8", Replace(DeploymentStatus(101, Now.AddHours(-1), description: "INVALID"), "INVALID", [0xC3, 0x28, 0xFF, 0xFE]));
        var argoBody = Argo(new ArgoCdApplication("argo-bytes").Synced(Now.AddHours(-2), Now.AddHours(-1), Sha("ab")));
        var open = argoBody.IndexOf('{', StringComparison.Ordinal) + 1;
        var argoNotUtf8 = ArgoCdBody(Replace(Encoding.UTF8.GetBytes(argoBody[..open] + "\"note\":\"INVALID\"," + argoBody[open..]), "INVALID", [0xED, 0xA0, 0x80, 0xFF]));
        var implausible = new[]
        {
            GitHub("gh-year-1", DeploymentStatus(102, new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero))),
            GitHub("gh-year-9999", DeploymentStatus(103, new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero))),
            Flux(FluxHost.Event("flux-year-1", $"main@sha1:{Sha("f1")}", new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToJsonString()),
            Alertmanager(AlertPayloads.Notification(AlertPayloads.Firing("fp9999", new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), AlertPayloads.Labels()))),
        };
        var tooLong = new[]
        {
            ArgoCd(new ArgoCdApplication(new string('a', 1024 * 1024)).Synced(Now.AddHours(-2), Now.AddHours(-1), Sha("al"))),
            Flux(FluxHost.Event(new string('f', 201), $"main@sha1:{Sha("fl")}", Now.AddHours(-1)).ToJsonString()),
        };
        var poisoned = new[] { withNul, notUtf8, argoNotUtf8 }.Concat(implausible).Concat(tooLong).ToList();

        // All at once, poisoned ones among the valid ones, so they share group commits.
        var all = valid.Take(25).Concat(poisoned).Concat(valid.Skip(25)).ToList();
        var answers = await Task.WhenAll(all.Select(d => Task.Run(() => PostAsync(host, d))));

        Assert.All(answers.Zip(all), a => Assert.True(a.First == HttpStatusCode.Accepted, $"{a.Second.Path}: {a.First}"));
        await host.SettleAsync();

        var states = (await host.QueryAsync<(string Digest, string State, string? Error)>(
            "SELECT encode(digest, 'hex'), state, error FROM raw_events")).ToDictionary(r => r.Digest);
        Assert.Equal(all.Count, states.Count);
        Assert.All(valid.Append(withNul).Append(notUtf8).Append(argoNotUtf8), d => Assert.Equal(("processed", (string?)null), Settled(states, d)));
        Assert.All(implausible, d => Assert.StartsWith("implausible_time: ", Assert.IsType<string>(Ignored(states, d))));
        Assert.All(tooLong, d => Assert.StartsWith("name_too_long: ", Assert.IsType<string>(Ignored(states, d))));

        // Stored byte for byte; mapped with U+FFFD where the text could not be held.
        foreach (var d in new[] { notUtf8, argoNotUtf8, withNul })
        {
            Assert.Equal(d.Body, await host.ScalarAsync<byte[]>(
                "SELECT b.body FROM raw_events r JOIN raw_event_bodies b ON b.raw_event_id = r.id WHERE r.digest = sha256(@body)", new { body = d.Body }));
        }

        Assert.Equal(["\uFFFD deployed"], await host.QueryAsync<string>(
            "SELECT details ->> 'description' FROM deployment_attempts WHERE source = 'github' AND details ->> 'description' LIKE '%deployed'"));
        Assert.Equal(0, await host.ScalarAsync<long>(
            "SELECT count(*) FROM deployment_attempts WHERE finished_at < '2000-01-01' OR finished_at > '2030-01-01' OR length(external_id) > 500"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM incident_signals WHERE started_at > '2030-01-01'"));
        Assert.Equal(14 + 1 + 1 + 12 + 1 + 12, await host.ScalarAsync<long>("SELECT count(*) FROM deployment_attempts"));
        Assert.Equal(12, await host.ScalarAsync<long>("SELECT count(*) FROM incident_signals"));

        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("dora_collector_events_ignored_total{source=\"github\",reason=\"implausible_time\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("dora_collector_events_ignored_total{source=\"argocd\",reason=\"name_too_long\"} 1", metrics, StringComparison.Ordinal);

        Assert.Equal(
            new IgnoredEvents[] { new("alertmanager", "implausible_time", 1), new("argocd", "name_too_long", 1), new("flux", "implausible_time", 1),
             new("flux", "name_too_long", 1), new("github", "implausible_time", 2) },
            await host.Service<SourceHealth>().IgnoredAsync(Now.AddDays(-1), Now, CancellationToken.None));

        // recompute maps the same stored bytes to the same rows, and ignores the same events.
        var before = await DomainRowsAsync(host);
        await using (var conn = new NpgsqlConnection(host.ConnectionString))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync(
                """
                TRUNCATE deployment_changes, deployments, deployment_attempts, incidents, incident_signals,
                         pull_request_commits, pull_requests, commits, projection_queue;
                UPDATE raw_events SET state = 'pending', error = NULL, processed_at = NULL, attempts = 0;
                """, transaction: tx);
            var (mapped, failed) = await host.Service<RawEventProcessor>().MapAllAsync(conn, tx, CancellationToken.None);
            await tx.CommitAsync();
            Assert.Equal((all.Count, 0), (mapped, failed));
        }

        Assert.Equal(before, await DomainRowsAsync(host));
    }

    [Fact]
    public async Task A_delivery_the_database_refuses_is_answered_422_not_503()
    {
        await using var host = await EngineHost.StartAsync(Now);

        var result = await host.Service<WebhookInbox>().StoreAsync(new NewRawEvent("github", "push", "d-\0", "{}"), CancellationToken.None);

        Assert.Equal(422, Assert.IsType<ProblemHttpResult>(result).StatusCode);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_where_a_receiver_reads_a_name_are_a_400_not_a_server_error()
    {
        await using var host = await StartAsync();
        byte[] bad = [0xC3, 0x28, 0xFF];
        var github = JsonNode.Parse(DeploymentStatus(1, Now.AddHours(-1)))!;
        github["repository"]!["full_name"] = "INVALID";
        var deliveries = new[]
        {
            GitHub("gh-bad-name", Replace(Encoding.UTF8.GetBytes(github.ToJsonString()), "INVALID", bad)),
            ArgoCdBody(Replace(Encoding.UTF8.GetBytes(Argo(new ArgoCdApplication("INVALID").Synced(Now.AddHours(-2), Now.AddHours(-1), Sha("ab")))), "INVALID", bad)),
            Flux(FluxHost.Event("INVALID", $"main@sha1:{Sha("f1")}", Now.AddHours(-1)).ToJsonString(), bad),
            Alertmanager(AlertPayloads.Notification(AlertPayloads.Firing("fpbad", Now.AddHours(-1), AlertPayloads.Labels(service: "INVALID"))), bad),
        };

        var answers = new List<HttpStatusCode>();
        foreach (var d in deliveries)
        {
            answers.Add(await PostAsync(host, d));
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], answers);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    private static Task<EngineHost> StartAsync() => EngineHost.StartAsync(Now, new Dictionary<string, string?>
    {
        ["Dora:GitHub:WebhookSecret"] = GitHubHost.WebhookSecret,
        ["Dora:ArgoCd:WebhookToken"] = ArgoCdHost.WebhookToken,
        ["Dora:Flux:WebhookSecret"] = FluxSecret,
        ["Dora:Alertmanager:WebhookToken"] = AlertPayloads.Token,
        ["Dora:Catalog:Services:0:Name"] = "checkout",
    });

    private static async Task<List<string>> DomainRowsAsync(EngineHost host) =>
    [
        .. await host.QueryAsync<string>(
            """
            SELECT concat_ws(' ', a.source, a.external_id, s.name, a.environment, a.revision, a.outcome, a.started_at, a.finished_at, a.details)
            FROM deployment_attempts a JOIN services s ON s.id = a.service_id ORDER BY 1
            """),
        .. await host.QueryAsync<string>(
            "SELECT concat_ws(' ', source, external_id, service_id, service_hint, environment, started_at, resolved_at) FROM incident_signals ORDER BY 1"),
        .. await host.QueryAsync<string>("SELECT concat_ws(' ', encode(digest, 'hex'), state, error) FROM raw_events ORDER BY 1"),
    ];

    private static (string State, string? Error) Settled(Dictionary<string, (string Digest, string State, string? Error)> states, Delivery d)
    {
        var (_, state, error) = states[Convert.ToHexStringLower(SHA256.HashData(d.Body))];
        return (state, error);
    }

    private static string? Ignored(Dictionary<string, (string Digest, string State, string? Error)> states, Delivery d)
    {
        var (state, error) = Settled(states, d);
        Assert.Equal("ignored", state);
        return error;
    }

    private static async Task<HttpStatusCode> PostAsync(EngineHost host, Delivery d)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Path) { Content = new ByteArrayContent(d.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in d.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static Delivery GitHub(string id, byte[] body) => new("/webhooks/github", body,
    [
        ("X-GitHub-Event", "deployment_status"), ("X-GitHub-Delivery", id),
        ("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(GitHubHost.WebhookSecret), body))),
    ]);

    private static string Argo(ArgoCdApplication app) => Sources.ArgoCd.NotificationTemplate.Render(app.ToJson());

    private static Delivery ArgoCd(ArgoCdApplication app) => ArgoCdBody(Encoding.UTF8.GetBytes(Argo(app)));

    private static Delivery ArgoCdBody(byte[] body) => new("/webhooks/argocd", body, [("Authorization", $"Bearer {ArgoCdHost.WebhookToken}")]);

    private static Delivery Flux(string json, byte[]? invalid = null)
    {
        var body = invalid is null ? Encoding.UTF8.GetBytes(json) : Replace(Encoding.UTF8.GetBytes(json), "INVALID", invalid);
        return new("/webhooks/flux", body,
        [
            ("X-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(FluxSecret), body))),
            ("Gotk-Component", "kustomize-controller"),
        ]);
    }

    private static Delivery Alertmanager(string json, byte[]? invalid = null) => new("/webhooks/alertmanager",
        invalid is null ? Encoding.UTF8.GetBytes(json) : Replace(Encoding.UTF8.GetBytes(json), "INVALID", invalid),
        [("Authorization", $"Bearer {AlertPayloads.Token}")]);

    /// <summary>GitHub's example deployment status, made a deployment of its own that finished at <paramref name="at"/>.</summary>
    private static byte[] DeploymentStatus(int n, DateTimeOffset at, string description = "Deployment finished successfully.")
    {
        var json = JsonNode.Parse(GitHubHost.Payload("webhook.deployment_status.payload.json"))!;
        var time = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        json["deployment"]!["id"] = 5000 + n;
        json["deployment"]!["sha"] = Sha($"d{n}");
        json["deployment"]!["created_at"] = time;
        json["deployment"]!["updated_at"] = time;
        json["deployment"]!["description"] = null;
        json["deployment_status"]!["id"] = 7000 + n;
        json["deployment_status"]!["created_at"] = time;
        json["deployment_status"]!["updated_at"] = time;
        json["deployment_status"]!["description"] = "DESCRIPTION";

        // The description is written as it is, escapes and all, as a sender would.
        return Encoding.UTF8.GetBytes(json.ToJsonString().Replace("DESCRIPTION", description, StringComparison.Ordinal));
    }

    private static byte[] Replace(byte[] body, string marker, byte[] with)
    {
        var at = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
        return [.. body.AsSpan(0, at), .. with, .. body.AsSpan(at + marker.Length)];
    }

    private sealed record Delivery(string Path, byte[] Body, (string Name, string Value)[] Headers);
}
