using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Metrics;
using Npgsql;
using static DoraCollector.IntegrationTests.Sources.Alertmanager.AlertPayloads;

namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// <c>POST /webhooks/alertmanager</c> through the real pipeline on a real database: the rules of
/// docs/metrics.md ("What is counted") for alerts, and bad input that leaves nothing behind.
/// </summary>
public sealed class AlertmanagerWebhookTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 10, 0, 0, TimeSpan.Zero);

    // Marks a request sent without an Authorization header.
    private static readonly AuthenticationHeaderValue Anonymous = new("None");

    [Fact]
    public async Task A_firing_alert_opens_an_incident_and_its_resolve_closes_it()
    {
        await using var host = await StartAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(host, Notification(Firing("aa01", T0, Labels(), "5xx above 5%")))).StatusCode);
        var open = await host.SettleAsync();
        Assert.Equal(1, Week(open, "checkout").OpenIncidents);
        var incident = await IncidentAsync(host);
        Assert.Equal((T0, (DateTimeOffset?)null, "5xx above 5%", "critical"), (incident.StartedAt, incident.ResolvedAt, incident.Title, incident.Severity));

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(host, Notification(Resolved("aa01", T0, T0.AddMinutes(42), Labels())))).StatusCode);
        var closed = await host.SettleAsync();

        Assert.Equal((0, 1), (Week(closed, "checkout").OpenIncidents, Week(closed, "checkout").ResolvedIncidents));
        Assert.Equal(42 * 60, Week(closed, "checkout").TimeToRestore!.P50, 3);
        var signal = (await host.QueryAsync<(string ExternalId, string ClosedBy)>("SELECT external_id, closed_by FROM incident_signals")).Single();
        Assert.Equal(("aa01@2025-01-02T10:00:00.000Z", "source"), signal);
    }

    [Fact]
    public async Task Repeated_and_regrouped_notifications_of_one_alert_are_one_incident()
    {
        await using var host = await StartAsync();
        var body = Notification(Firing("aa01", T0, Labels()));

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(host, body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(host, Notification(
            Firing("aa01", T0, Labels()), Firing("aa02", T0.AddMinutes(5), Labels(more: ("pod", "checkout-2")))))).StatusCode);
        await host.SettleAsync();

        Assert.Equal(2, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        Assert.Equal(2, await host.ScalarAsync<long>("SELECT count(*) FROM incident_signals"));
        var incident = await IncidentAsync(host);
        Assert.Equal((T0, 2), (incident.StartedAt, incident.SignalCount));
    }

    [Fact]
    public async Task Overlapping_alerts_of_a_service_merge_into_one_incident_that_ends_with_the_last()
    {
        await using var host = await StartAsync();
        await PostAsync(host, Notification(
            Resolved("aa01", T0, T0.AddMinutes(30), Labels()),
            Resolved("aa02", T0.AddMinutes(20), T0.AddMinutes(50), Labels(more: ("pod", "checkout-2"))),
            Resolved("aa03", T0.AddMinutes(90), T0.AddMinutes(95), Labels(more: ("pod", "checkout-3")))));

        await host.SettleAsync();

        var incidents = await host.QueryAsync<(DateTimeOffset StartedAt, DateTimeOffset ResolvedAt, int Signals)>(
            "SELECT started_at, resolved_at, signal_count FROM incidents ORDER BY started_at");
        Assert.Equal([(T0, T0.AddMinutes(50), 2), (T0.AddMinutes(90), T0.AddMinutes(95), 1)], incidents);
    }

    [Fact]
    public async Task A_late_firing_notification_does_not_reopen_a_resolved_alert()
    {
        await using var host = await StartAsync();
        await PostAsync(host, Notification(Resolved("aa01", T0, T0.AddMinutes(10), Labels())));
        await host.SettleAsync();

        await PostAsync(host, Notification(Firing("aa01", T0, Labels())));
        var snapshot = await host.SettleAsync();

        Assert.Equal((0, 1), (Week(snapshot, "checkout").OpenIncidents, Week(snapshot, "checkout").ResolvedIncidents));
    }

    [Fact]
    public async Task Alerts_the_matchers_do_not_let_through_are_stored_but_are_no_incident()
    {
        await using var host = await StartAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(host, Notification(Firing("aa01", T0, Labels(severity: "warning"))))).StatusCode);
        await host.SettleAsync();

        Assert.Equal("ignored", await host.ScalarAsync<string>("SELECT state FROM raw_events"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM incident_signals"));
    }

    [Fact]
    public async Task Configured_matchers_decide_what_qualifies()
    {
        await using var host = await StartAsync(("Dora:Alertmanager:Matchers:0", "{severity=~\"warning|critical\", team!=\"sandbox\"}"));

        await PostAsync(host, Notification(
            Firing("aa01", T0, Labels(severity: "warning")),
            Firing("aa02", T0, Labels(severity: "critical", more: ("team", "sandbox"))),
            Firing("aa03", T0, Labels(severity: "page"))));
        await host.SettleAsync();

        Assert.Equal(["aa01@2025-01-02T10:00:00.000Z"], await host.QueryAsync<string>("SELECT external_id FROM incident_signals"));
    }

    [Fact]
    public async Task An_alert_for_an_unknown_service_is_kept_unattributed_and_counted()
    {
        await using var host = await StartAsync();

        await PostAsync(host, Notification(Firing("aa01", T0, Labels(service: "ledger")), Firing("aa02", T0, Labels(service: null))));
        var snapshot = await host.SettleAsync();

        var signals = await host.QueryAsync<(int? ServiceId, string Hint)>("SELECT service_id, service_hint FROM incident_signals ORDER BY external_id");
        Assert.Equal([(null, "ledger"), (null, "HighErrorRate")], signals);
        Assert.Equal(2, snapshot.Quality.UnattributedIncidents);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM incidents"));
        Assert.Contains("dora_collector_unattributed_incidents 2\n", await host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_comes_from_the_app_label_and_from_catalog_aliases()
    {
        await using var host = await StartAsync(
            ("Dora:Catalog:Services:1:Name", "cart"),
            ("Dora:Catalog:Services:1:AlertLabelValues:0", "cart-frontend"));

        await PostAsync(host, Notification(
            Firing("aa01", T0, Labels(service: null, more: ("app", "checkout"))),
            Firing("aa02", T0, Labels(service: "cart-frontend")),
            Firing("aa03", T0, Labels(service: "no-such-service", more: ("app", "cart")))));
        await host.SettleAsync();

        var services = await host.QueryAsync<(string ExternalId, string Service)>(
            "SELECT s.external_id, v.name FROM incident_signals s JOIN services v ON v.id = s.service_id ORDER BY s.external_id");
        Assert.Equal(["checkout", "cart", "cart"], services.Select(s => s.Service));
    }

    [Fact]
    public async Task An_alert_is_attributed_to_the_deployment_before_it_or_to_the_revision_it_names()
    {
        await using var host = await StartAsync();
        await host.IngestAsync("/api/v1/deployments", new object[]
        {
            new { id = "d1", service = "checkout", environment = "production", revision = "1111111111111111111111111111111111111111", status = "success", finishedAt = T0.AddHours(-3) },
            new { id = "d2", service = "checkout", environment = "production", revision = "2222222222222222222222222222222222222222", status = "success", finishedAt = T0.AddMinutes(-30) },
        });

        await PostAsync(host, Notification(
            Resolved("aa01", T0, T0.AddMinutes(5), Labels()),
            Resolved("aa02", T0.AddHours(1), T0.AddHours(1.5), Labels(more: ("revision", "1111111")))));
        await host.SettleAsync();

        var incidents = await host.QueryAsync<(string Attribution, string Revision)>(
            "SELECT i.attribution, d.revision FROM incidents i JOIN deployments d ON d.id = i.deployment_id ORDER BY i.started_at");
        Assert.Equal([("rule", "2222222222222222222222222222222222222222"), ("explicit", "1111111111111111111111111111111111111111")], incidents);
    }

    [Fact]
    public async Task An_alert_naming_a_cluster_is_attributed_within_that_clusters_stream_first()
    {
        // docs/metrics.md, "Clusters": r1 runs on eu and us; eu moves to r2 half an hour before the
        // alerts, us still runs r1; ap never received anything.
        const string r1 = "1111111111111111111111111111111111111111", r2 = "2222222222222222222222222222222222222222";
        await using var host = await StartAsync();
        await host.IngestAsync("/api/v1/deployments", new object[]
        {
            new { id = "eu-1", service = "checkout", environment = "production", revision = r1, status = "success", finishedAt = T0.AddHours(-3), cluster = "eu" },
            new { id = "us-1", service = "checkout", environment = "production", revision = r1, status = "success", finishedAt = T0.AddHours(-2.5), cluster = "us" },
            new { id = "eu-2", service = "checkout", environment = "production", revision = r2, status = "success", finishedAt = T0.AddMinutes(-30), cluster = "eu" },
        });

        await PostAsync(host, Notification(
            Resolved("aa01", T0, T0.AddMinutes(5), Labels(more: ("cluster", "us"))),
            Resolved("aa02", T0.AddHours(1), T0.AddHours(1.1), Labels(more: ("cluster", "eu"))),
            Resolved("aa03", T0.AddHours(2), T0.AddHours(2.1), Labels()),
            Resolved("aa04", T0.AddHours(3), T0.AddHours(3.1), Labels(more: ("cluster", "ap"))),
            Resolved("aa05", T0.AddHours(4), T0.AddHours(4.1), Labels(more: ("cluster", "arn:aws:eks:us-east-1:123456789012:cluster/us")))));
        await host.SettleAsync();

        var signals = await host.QueryAsync<string>("SELECT cluster FROM incident_signals ORDER BY started_at");
        Assert.Equal(["us", "eu", "", "ap", ""], signals);
        var incidents = await host.QueryAsync<(string? Cluster, string Revision)>(
            "SELECT i.cluster, d.revision FROM incidents i JOIN deployments d ON d.id = i.deployment_id ORDER BY i.started_at");
        // us still ran r1; eu ran r2; no label, an unknown cluster and a value that is no cluster name: the environment's latest, r2.
        Assert.Equal([("us", r1), ("eu", r2), (null, r2), ("ap", r2), (null, r2)], incidents);
        var failed = await host.QueryAsync<(string Revision, string? FailureCluster)>(
            "SELECT revision, failure_cluster FROM deployments WHERE is_failed ORDER BY finished_at");
        Assert.Equal([(r1, "us"), (r2, "eu")], failed);
    }

    [Fact]
    public async Task An_empty_cluster_label_setting_ignores_the_label()
    {
        await using var host = await StartAsync(("Dora:Alertmanager:ClusterLabel", ""));

        await PostAsync(host, Notification(Firing("aa01", T0, Labels(more: ("cluster", "us")))));
        await host.SettleAsync();

        Assert.Equal("", await host.ScalarAsync<string>("SELECT cluster FROM incident_signals"));
        Assert.Null(await host.ScalarAsync<string?>("SELECT cluster FROM incidents"));
    }

    [Fact]
    public async Task The_environment_label_places_the_incident()
    {
        await using var host = await StartAsync();

        await PostAsync(host, Notification(Firing("aa01", T0, Labels(more: ("env", "staging")))));
        await host.SettleAsync();

        Assert.Equal("staging", await host.ScalarAsync<string>("SELECT environment FROM incidents"));
    }

    [Fact]
    public async Task Basic_auth_as_http_config_sends_it_is_accepted()
    {
        await using var host = await StartAsync(("Dora:Alertmanager:WebhookToken", ""), ("Dora:Alertmanager:WebhookUsername", "alertmanager"),
            ("Dora:Alertmanager:WebhookPassword", "basic-password-value"));

        var response = await PostAsync(host, Notification(Firing("aa01", T0, Labels())),
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alertmanager:basic-password-value"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer wrong-token-0123456789")]
    [InlineData("Basic YWxlcnRtYW5hZ2VyOnRva2Vu")]
    public async Task Missing_or_wrong_credentials_are_401_and_nothing_is_stored(string authorization)
    {
        await using var host = await StartAsync();

        var response = await PostAsync(host, Notification(Firing("aa01", T0, Labels())),
            authorization.Length == 0 ? Anonymous : AuthenticationHeaderValue.Parse(authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task Without_configured_credentials_the_receiver_refuses_everything()
    {
        await using var host = await StartAsync(("Dora:Alertmanager:WebhookToken", ""));

        var response = await PostAsync(host, Notification(Firing("aa01", T0, Labels())));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Dora:Alertmanager:WebhookToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("garbage")]
    [InlineData("missing-start")]
    [InlineData("resolved-without-end")]
    [InlineData("not-an-object")]
    public async Task Bad_notifications_are_400_and_nothing_of_them_is_written(string kind)
    {
        await using var host = await StartAsync();
        var good = Firing("aa01", T0, Labels());
        var body = kind switch
        {
            "version" => Notification([good], version: "3"),
            "garbage" => "{\"version\": \"4\", \"alerts\": [",
            "missing-start" => Notification(good, Firing("aa02", T0, Labels())).Replace(
                $"\"startsAt\":\"{GoTime(T0)}\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prometheus.monitoring:9090/graph?g0.expr=rate\",\"fingerprint\":\"aa02\"",
                "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"x\",\"fingerprint\":\"aa02\"", StringComparison.Ordinal),
            "resolved-without-end" => Notification(good, Resolved("aa02", T0, T0.AddMinutes(1), Labels())).Replace(
                GoTime(T0.AddMinutes(1)), "0001-01-01T00:00:00Z", StringComparison.Ordinal),
            _ => "[1, 2, 3]",
        };

        var response = await PostAsync(host, body);
        await host.SettleAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM incident_signals"));
    }

    [Theory]
    [InlineData("invalid-utf8")]
    [InlineData("lone-surrogate")]
    public async Task A_body_that_is_not_text_is_400_not_a_failure(string kind)
    {
        await using var host = await StartAsync();
        var text = Notification(Firing("aa01", T0, Labels(), "5xx above 5%"));
        var body = Encoding.UTF8.GetBytes(text.Replace("5xx above 5%", kind == "lone-surrogate" ? "5xx \\ud800 above" : "5xx ~", StringComparison.Ordinal));
        if (kind == "invalid-utf8")
        {
            body[Array.IndexOf(body, (byte)'~')] = 0xC3;   // a lead byte followed by '"': not UTF-8
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/alertmanager") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.ScalarAsync<long>("SELECT count(*) FROM raw_events"));
    }

    [Fact]
    public async Task The_problem_names_the_field_that_is_wrong()
    {
        await using var host = await StartAsync();

        var response = await PostAsync(host, Notification(Resolved("aa01", T0, T0.AddMinutes(1), Labels())).Replace(
            GoTime(T0.AddMinutes(1)), "0001-01-01T00:00:00Z", StringComparison.Ordinal));

        Assert.Contains("alerts[0].endsAt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_being_down_is_503_so_Alertmanager_retries()
    {
        await using var host = await StartAsync();
        await using (var admin = await (await PostgresServer.SharedAsync()).OpenAdminAsync())
        await using (var drop = new NpgsqlCommand($"DROP DATABASE {new NpgsqlConnectionStringBuilder(host.ConnectionString).Database} WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var response = await PostAsync(host, Notification(Firing("aa01", T0, Labels())));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_truncated_notification_fires_the_reconciliation_job()
    {
        await using var host = await StartAsync(("Dora:Alertmanager:Url", "http://127.0.0.1:9/"));

        var response = await PostAsync(host, Notification([Firing("aa01", T0, Labels())], truncated: 3));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await host.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_triggers WHERE job_name = 'alertmanager.reconcile' AND trigger_name <> 'alertmanager.reconcile.trigger'"));
    }

    private static Task<EngineHost> StartAsync(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dora:Alertmanager:WebhookToken"] = Token,
            ["Dora:Catalog:Services:0:Name"] = "checkout",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return EngineHost.StartAsync(Now, all);
    }

    private static async Task<HttpResponseMessage> PostAsync(EngineHost host, string body, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/alertmanager")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        authorization ??= new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Authorization = ReferenceEquals(authorization, Anonymous) ? null : authorization;
        return await host.Client.SendAsync(request);
    }

    private static MetricValues Week(DoraSnapshot snapshot, string service) =>
        snapshot.Series.Single(s => s.Key.Scope == "service" && s.Key.Service == service && s.Window == "7d").Values;

    private static async Task<IncidentRow> IncidentAsync(EngineHost host) =>
        (await host.QueryAsync<IncidentRow>(
            "SELECT started_at AS StartedAt, resolved_at AS ResolvedAt, title AS Title, severity AS Severity, signal_count AS SignalCount FROM incidents")).Single();

    private sealed record IncidentRow
    {
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
        public string? Title { get; init; }
        public string? Severity { get; init; }
        public int SignalCount { get; init; }
    }
}
