using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dapper;
using DoraCollector.Digests;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Digests;

/// <summary>
/// Scheduled digests against loopback receivers and a loopback SMTP server: what arrives, that a
/// period is sent once, that a failing receiver is retried until it recovers, and what is recorded.
/// </summary>
public sealed class DigestTests
{
    // A Tuesday: the last complete week is 2026-W10 (2 to 9 March).
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const string BaseUrl = "https://dora.example.com";

    [Fact]
    public async Task Slack_teams_and_a_json_webhook_get_the_summary_with_numbers_confidence_and_link_once_per_period()
    {
        await using var slack = new LoopbackReceiver();
        await using var teams = new LoopbackReceiver();
        await using var webhook = new LoopbackReceiver();
        await using var host = await EngineHost.StartAsync(Now, Schedule(new()
        {
            ["SlackWebhookUrl"] = slack.Url, ["TeamsWebhookUrl"] = teams.Url, ["WebhookUrl"] = webhook.Url,
        }));
        await IngestWeekAsync(host);

        var sent = await host.Service<DigestSender>().SendAsync("payments-weekly", CancellationToken.None);
        var again = await host.Service<DigestSender>().SendAsync("payments-weekly", CancellationToken.None);

        Assert.Equal((3, 0), (sent, again));
        var link = $"{BaseUrl}/reports/teams/payments?period=week&date=2026-03-02";
        var text = Body(slack).GetProperty("text").GetString()!;
        Assert.StartsWith("## Delivery report: team payments, week 2026-W10", text, StringComparison.Ordinal);
        Assert.Contains("| Deployment frequency | 0.43/day | 95 %: 0.09/day–1.25/day, n = 3 |", text, StringComparison.Ordinal);
        Assert.Contains("| Change failure rate | 33.3 % | 95 %: 6.1 %–79.2 %, n = 3 | not enough data (n = 3) |", text, StringComparison.Ordinal);
        Assert.EndsWith($"[Full report]({link})\n", text, StringComparison.Ordinal);

        var card = Body(teams).GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", card.GetProperty("contentType").GetString());
        Assert.Equal(text, card.GetProperty("content").GetProperty("body")[1].GetProperty("text").GetString());
        Assert.Equal(link, card.GetProperty("content").GetProperty("actions")[0].GetProperty("url").GetString());

        var json = Body(webhook);
        Assert.Equal(("payments-weekly", "team", "payments", "2026-W10", link),
            (json.GetProperty("digest").GetString(), json.GetProperty("scope").GetString(), json.GetProperty("team").GetString(),
             json.GetProperty("period").GetString(), json.GetProperty("reportUrl").GetString()));
        Assert.Equal(text, json.GetProperty("markdown").GetString());

        var records = await host.QueryAsync<(string Target, string State, int Attempts)>(
            "SELECT target, state, attempts FROM digest_deliveries WHERE digest = 'payments-weekly' AND period = '2026-W10' ORDER BY target");
        Assert.Equal([("slack", "sent", 1), ("teams", "sent", 1), ("webhook", "sent", 1)], records);
        Assert.Equal((1, 1, 1), (slack.Requests, teams.Requests, webhook.Requests));
    }

    [Fact]
    public async Task A_receiver_that_fails_is_retried_with_a_doubling_pause_until_it_recovers()
    {
        await using var webhook = new LoopbackReceiver(failures: 2);
        await using var host = await EngineHost.StartAsync(Now, Schedule(new() { ["WebhookUrl"] = webhook.Url }, firstRetry: "10s"));
        await IngestWeekAsync(host);

        var sending = host.Service<DigestSender>().SendAsync("payments-weekly", CancellationToken.None);
        await WaitForRequestsAsync(webhook, 1);
        host.Clock.Advance(TimeSpan.FromSeconds(10));   // the first pause
        await WaitForRequestsAsync(webhook, 2);
        host.Clock.Advance(TimeSpan.FromSeconds(19));   // the second pause is 20 s: not yet
        await Task.Delay(300);
        Assert.Equal(2, webhook.Requests);
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await sending.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((3, 1), (webhook.Requests, webhook.Received.Count));
        var record = (await host.QueryAsync<(string State, int Attempts, string? LastError)>(
            "SELECT state, attempts, last_error FROM digest_deliveries")).Single();
        Assert.Equal(("sent", 3, null), record);
    }

    [Fact]
    public async Task A_receiver_that_never_recovers_is_recorded_as_failed_without_its_secret_url()
    {
        await using var webhook = new LoopbackReceiver(failures: 100);
        await using var host = await EngineHost.StartAsync(Now, Schedule(new() { ["SlackWebhookUrl"] = webhook.Url }, firstRetry: "1s", attempts: "2"));
        await IngestWeekAsync(host);

        var sending = host.Service<DigestSender>().SendAsync("payments-weekly", CancellationToken.None);
        await WaitForRequestsAsync(webhook, 1);
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, await sending.WaitAsync(TimeSpan.FromSeconds(30)));
        var record = (await host.QueryAsync<(string State, int Attempts, string? LastError)>(
            "SELECT state, attempts, last_error FROM digest_deliveries")).Single();
        Assert.Equal(("failed", 2, "slack: HTTP 500 Internal Server Error"), record);
        Assert.DoesNotContain("secret-token", string.Join("\n", await host.QueryAsync<string>("SELECT row_to_json(d)::text FROM digest_deliveries d")));
    }

    [Fact]
    public async Task An_email_goes_through_smtp_with_authentication_as_markdown_text_and_an_html_page()
    {
        await using var smtp = new LoopbackSmtpServer();
        await using var host = await EngineHost.StartAsync(Now, Schedule(new()
        {
            ["EmailTo:0"] = "lead@payments.example",
            [Section + ":Smtp:Host"] = "127.0.0.1", [Section + ":Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            [Section + ":Smtp:Security"] = "None", [Section + ":Smtp:Username"] = "digest", [Section + ":Smtp:Password"] = "s3cret",
            [Section + ":Smtp:From"] = "dora@example.com",
        }));
        await IngestWeekAsync(host);

        Assert.Equal(1, await host.Service<DigestSender>().SendAsync("payments-weekly", CancellationToken.None));

        var (from, to, data, _) = Assert.Single(smtp.Messages);
        Assert.Equal("dora@example.com", from);
        Assert.Equal(["lead@payments.example"], to);
        Assert.Equal("digest\0s3cret", Assert.Single(smtp.Logins));
        Assert.Contains("Subject: Delivery digest: team payments, week 2026-W10", data, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain", data, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html", data, StringComparison.Ordinal);
        Assert.Equal("email:lead@payments.example", await host.ScalarAsync<string>("SELECT target FROM digest_deliveries WHERE state = 'sent'"));
    }

    [Fact]
    public async Task Starttls_is_required_and_the_server_certificate_is_checked_against_the_configured_one()
    {
        using var certificate = SelfSigned();
        var pem = Path.Combine(Path.GetTempPath(), $"dora-smtp-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        try
        {
            await using var smtp = new LoopbackSmtpServer(certificate);
            await using var plain = new LoopbackSmtpServer();
            foreach (var (server, expected) in new[] { (smtp, 1), (plain, 0) })
            {
                await using var host = await EngineHost.StartAsync(Now, Schedule(new()
                {
                    ["EmailTo:0"] = "lead@payments.example",
                    [Section + ":Smtp:Host"] = "127.0.0.1", [Section + ":Smtp:Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
                    [Section + ":Smtp:Security"] = "StartTls", [Section + ":Smtp:Username"] = "digest", [Section + ":Smtp:Password"] = "s3cret",
                    [Section + ":Smtp:From"] = "dora@example.com", [Section + ":Smtp:TrustedCertificateFile"] = pem,
                }, attempts: "1"));
                await IngestWeekAsync(host);

                Assert.Equal(expected, await host.Service<DigestSender>().SendAsync("payments-weekly", CancellationToken.None));
            }

            Assert.True(Assert.Single(smtp.Messages).Tls);
            Assert.Empty(plain.Messages);     // a server without STARTTLS gets nothing, not even the password
            Assert.Empty(plain.Logins);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task Two_replicas_on_one_database_send_a_digest_once_however_often_its_trigger_fires()
    {
        await using var webhook = new LoopbackReceiver();
        await using var database = await TestDatabase.CreateAsync();
        var settings = Schedule(new() { ["WebhookUrl"] = webhook.Url }, cron: "0/1 * * * * ?");
        settings.Remove($"{Section}:Schedules:0:Team");   // the organisation: it exists without data
        settings["Dora:Scheduling:Enabled"] = "true";
        await using var first = new CollectorFactory(database.ConnectionString, settings);
        await using var second = new CollectorFactory(database.ConnectionString, settings);
        _ = first.CreateClient();
        _ = second.CreateClient();

        await using var db = database.CreateDataSource();
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (webhook.Received.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(4));   // four more firings, on either replica
        await using var conn = await db.OpenConnectionAsync();
        Assert.Single(webhook.Received);
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM digest_deliveries WHERE state = 'sent'"));
    }

    private const string Section = "Dora:Digests";

    private static Dictionary<string, string?> Schedule(
        Dictionary<string, string?> targets, string cron = "0 0 8 ? * MON", string firstRetry = "30s", string attempts = "5")
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{Section}:ReportBaseUrl"] = BaseUrl,
            [$"{Section}:FirstRetryDelay"] = firstRetry,
            [$"{Section}:MaxAttempts"] = attempts,
            [$"{Section}:Schedules:0:Name"] = "payments-weekly",
            [$"{Section}:Schedules:0:Team"] = "payments",
            [$"{Section}:Schedules:0:Period"] = "week",
            [$"{Section}:Schedules:0:Cron"] = cron,
        };
        foreach (var (key, value) in targets)
        {
            settings[key.StartsWith(Section, StringComparison.Ordinal) ? key : $"{Section}:Schedules:0:{key}"] = value;
        }

        return settings;
    }

    // payments' week 2026-W10: three live deployments of checkout, one of them failed by an incident.
    private static async Task IngestWeekAsync(EngineHost host)
    {
        object Deployment(string id, string sha, DateTimeOffset at) => new
        {
            id, service = "checkout", team = "payments", environment = "production", repository = "acme/shop", revision = sha,
            status = "success", finishedAt = at, commits = new[] { new { sha, authoredAt = at.AddHours(-2) } },
        };
        var monday = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        await host.IngestAsync("/api/v1/deployments", new[]
        {
            Deployment("d1", "a1000000", monday.AddDays(1)),
            Deployment("d2", "a2000000", monday.AddDays(3)),
            Deployment("d3", "a3000000", monday.AddDays(5)),
        });
        await host.IngestAsync("/api/v1/incidents", new
        {
            id = "i1", service = "checkout", environment = "production", startedAt = monday.AddDays(1).AddHours(1),
            resolvedAt = monday.AddDays(1).AddHours(2), deploymentId = "d1",
        });
        await host.SettleAsync();
    }

    private static JsonElement Body(LoopbackReceiver receiver) => JsonDocument.Parse(Assert.Single(receiver.Received)).RootElement;

    private static async Task WaitForRequestsAsync(LoopbackReceiver receiver, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (receiver.Requests < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(receiver.Requests >= count, $"{receiver.Requests} requests, expected {count}");
        await Task.Delay(100);   // the failure is recorded and the pause begun
    }
}
