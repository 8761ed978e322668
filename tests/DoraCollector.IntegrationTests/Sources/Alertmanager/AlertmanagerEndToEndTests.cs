using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Sources.Alertmanager;

namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// A real Alertmanager, configured with the receiver shipped in <c>deploy/alertmanager/</c>,
/// notifying the collector on loopback: alerts posted to Alertmanager's API become incidents,
/// resolving closes them, repeats add nothing, and a collector that was down misses nothing.
/// Alertmanager runs on the wall clock, so these tests wait for what it sends.
/// </summary>
public sealed class AlertmanagerEndToEndTests
{
    private const string Token = "e2e-webhook-token-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string Signals = "SELECT external_id AS ExternalId, resolved_at AS ResolvedAt, closed_by AS ClosedBy FROM incident_signals ORDER BY started_at";

    [Fact]
    public async Task Alerts_become_incidents_resolving_closes_them_and_repeats_add_nothing()
    {
        var port = LoopbackProcess.FreePort();
        await using var alertmanager = await StartAlertmanagerAsync(LoopbackCollector.Webhook(port));
        await using var collector = await LoopbackCollector.StartAsync(port, Settings(alertmanager));
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(-1).AddTicks(1234);

        await alertmanager.PostAlertsAsync(Alert("HighErrorRate", "critical", startsAt), Alert("DiskAlmostFull", "warning", startsAt));

        var open = await collector.WaitForAsync<SignalRow>(Signals, rows => rows.Count == 1, Patience, () => alertmanager.Output);
        Assert.Null(open[0].ResolvedAt);
        Assert.StartsWith(Fingerprint(await alertmanager.AlertsAsync(), "HighErrorRate") + "@", open[0].ExternalId, StringComparison.Ordinal);

        // repeat_interval is 2s: let Alertmanager send the same notification again a few times.
        var sent = await WaitForNotificationsAsync(alertmanager, atLeast: 3);
        Assert.Equal(0, await alertmanager.MetricAsync("alertmanager_notifications_failed_total", "integration=\"webhook\""));
        var reconciled = await collector.Service<AlertmanagerReconciler>().RunAsync(CancellationToken.None);
        await collector.SettleAsync();
        Assert.True(sent >= 3, $"Alertmanager sent {sent} notifications");
        Assert.Equal((1, 1), (reconciled.Active, reconciled.Qualifying));
        Assert.Equal(1, await collector.ScalarAsync<long>("SELECT count(*) FROM raw_events WHERE kind = 'notification'"));
        Assert.Equal(1, await collector.ScalarAsync<long>("SELECT count(*) FROM incident_signals"));
        Assert.Equal(1, await collector.ScalarAsync<long>("SELECT count(*) FROM incidents"));

        var endsAt = DateTimeOffset.UtcNow;
        await alertmanager.PostAlertsAsync(Alert("HighErrorRate", "critical", startsAt, endsAt));

        var closed = await collector.WaitForAsync<SignalRow>(Signals, rows => rows is [{ ResolvedAt: not null }], Patience, () => alertmanager.Output);
        Assert.Equal("source", closed[0].ClosedBy);
        Assert.True((closed[0].ResolvedAt!.Value - endsAt).Duration() < TimeSpan.FromMilliseconds(1), $"resolved at {closed[0].ResolvedAt:O}, ended {endsAt:O}");
        var incident = (await collector.QueryAsync<(DateTimeOffset StartedAt, DateTimeOffset? ResolvedAt, int Signals)>(
            "SELECT started_at, resolved_at, signal_count FROM incidents")).Single();
        Assert.Equal((AlertmanagerAlert.ToMilliseconds(startsAt), closed[0].ResolvedAt, 1), incident);
    }

    [Fact]
    public async Task A_collector_that_was_down_gets_everything_once_it_is_back()
    {
        var port = LoopbackProcess.FreePort();
        await using var alertmanager = await StartAlertmanagerAsync(LoopbackCollector.Webhook(port));
        await using var collector = await LoopbackCollector.StartAsync(port, Settings(alertmanager));
        var firstStart = DateTimeOffset.UtcNow.AddMinutes(-2);
        await alertmanager.PostAlertsAsync(Alert("HighErrorRate", "critical", firstStart));
        await collector.WaitForAsync<SignalRow>(Signals, rows => rows.Count == 1, Patience, () => alertmanager.Output);

        await collector.StopAsync();
        var failedBefore = await alertmanager.MetricAsync("alertmanager_notification_requests_failed_total", "integration=\"webhook\"");
        var resolvedAt = DateTimeOffset.UtcNow;
        await alertmanager.PostAlertsAsync(Alert("HighErrorRate", "critical", firstStart, resolvedAt));
        await Task.Delay(50);
        await alertmanager.PostAlertsAsync(Alert("LatencyHigh", "page", DateTimeOffset.UtcNow));
        await WaitAsync(async () => await alertmanager.MetricAsync("alertmanager_notification_requests_failed_total", "integration=\"webhook\"") >= failedBefore + 4,
            "Alertmanager to try and fail while the collector is down", alertmanager);
        collector.Start();

        var rows = await collector.WaitForAsync<SignalRow>(Signals, r => r is [{ ResolvedAt: not null }, { ResolvedAt: null }], Patience, () => alertmanager.Output);
        Assert.Equal("source", rows[0].ClosedBy);
        Assert.True((rows[0].ResolvedAt!.Value - resolvedAt).Duration() < TimeSpan.FromMilliseconds(1));
        Assert.Equal(
            [(AlertmanagerAlert.ToMilliseconds(firstStart), (DateTimeOffset?)rows[0].ResolvedAt)],
            (await collector.QueryAsync<(DateTimeOffset, DateTimeOffset?)>("SELECT started_at, resolved_at FROM incidents WHERE resolved_at IS NOT NULL")));
        Assert.Equal(1, await collector.ScalarAsync<long>("SELECT count(*) FROM incidents WHERE resolved_at IS NULL"));
    }

    [Fact]
    public async Task Reconciliation_opens_what_the_webhook_lost_and_closes_what_vanished_until_the_real_resolve_arrives()
    {
        // Alertmanager notifies a port where nothing listens: every webhook is lost.
        await using var alertmanager = await StartAlertmanagerAsync(LoopbackCollector.Webhook(LoopbackProcess.FreePort()));
        var port = LoopbackProcess.FreePort();
        var settings = new Dictionary<string, string?>(Settings(alertmanager)) { ["Dora:Alertmanager:VanishedAfter"] = "0s" };
        await using var collector = await LoopbackCollector.StartAsync(port, settings);
        var reconciler = collector.Service<AlertmanagerReconciler>();

        var add = await Amtool.RunAsync("alert", "add", "alertname=PodCrashLooping", "severity=critical", "service=checkout", "cluster=eu",
            "--annotation=summary=checkout pods crash", $"--alertmanager.url={alertmanager.Address}");
        Assert.True(add.ExitCode == 0, add.Output);
        await Amtool.RunAsync("alert", "add", "alertname=DiskAlmostFull", "severity=warning", "service=checkout", $"--alertmanager.url={alertmanager.Address}");

        var first = await reconciler.RunAsync(CancellationToken.None);
        await collector.SettleAsync();

        Assert.Equal((true, 1, 1, 0), (first.Ran, first.Active, first.Qualifying, first.Vanished));
        var open = (await collector.QueryAsync<(string ExternalId, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, string Title)>(
            "SELECT external_id, started_at, last_seen_at, title FROM incident_signals")).Single();
        Assert.Equal("checkout pods crash", open.Title);
        Assert.Equal(1, await collector.ScalarAsync<long>("SELECT count(*) FROM incidents WHERE resolved_at IS NULL"));

        var fingerprint = open.ExternalId[..open.ExternalId.IndexOf('@', StringComparison.Ordinal)];
        var endsAt = DateTimeOffset.UtcNow;
        await alertmanager.PostAlertsAsync(new Dictionary<string, object>
        {
            ["labels"] = new Dictionary<string, string> { ["alertname"] = "PodCrashLooping", ["severity"] = "critical", ["service"] = "checkout", ["cluster"] = "eu" },
            ["startsAt"] = Go(open.StartedAt),
            ["endsAt"] = Go(endsAt),
        });
        var second = await reconciler.RunAsync(CancellationToken.None);
        await collector.SettleAsync();

        Assert.Equal((0, 1), (second.Qualifying, second.Vanished));
        var vanished = (await collector.QueryAsync<(DateTimeOffset ResolvedAt, string ClosedBy, string Cluster)>(
            "SELECT resolved_at, closed_by, cluster FROM incident_signals")).Single();
        // Closing what vanished keeps what the alert said, its cluster among it.
        Assert.Equal((open.LastSeenAt, "reconciliation", "eu"), vanished);
        Assert.Equal(open.LastSeenAt, await collector.ScalarAsync<DateTimeOffset>("SELECT resolved_at FROM incidents"));

        // The resolve Alertmanager retries once the collector is reachable replaces the estimate.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, collector.WebhookUrl)
        {
            Content = new StringContent(AlertPayloads.Notification(AlertPayloads.Resolved(fingerprint, open.StartedAt, endsAt,
                new Dictionary<string, string> { ["alertname"] = "PodCrashLooping", ["severity"] = "critical", ["service"] = "checkout", ["cluster"] = "eu" })),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(request)).StatusCode);
        await collector.SettleAsync();

        var resolved = (await collector.QueryAsync<(DateTimeOffset ResolvedAt, string ClosedBy)>("SELECT resolved_at, closed_by FROM incident_signals")).Single();
        Assert.Equal("source", resolved.ClosedBy);
        Assert.True((resolved.ResolvedAt - endsAt).Duration() < TimeSpan.FromMilliseconds(1));

        // Polls and vanishes went through the inbox: recompute replays them to the same rows.
        const string facts = "SELECT external_id || ' ' || service_id || ' ' || started_at || ' ' || resolved_at || ' ' || closed_by || ' ' || last_seen_at FROM incident_signals";
        var before = await collector.QueryAsync<string>(facts);
        await collector.StopAsync();
        var (exit, _, stderr) = await CollectorProcess.RunAsync(["recompute"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = collector.ConnectionString,
            ["Dora__Catalog__Services__0__Name"] = "checkout",
        });
        Assert.True(exit == 0, stderr);
        Assert.Equal(before, await collector.QueryAsync<string>(facts));
    }

    [Fact]
    public async Task An_unreachable_Alertmanager_fails_the_pass_and_records_why()
    {
        var port = LoopbackProcess.FreePort();
        await using var collector = await LoopbackCollector.StartAsync(LoopbackProcess.FreePort(), new Dictionary<string, string?>
        {
            ["Dora:Alertmanager:WebhookToken"] = Token,
            ["Dora:Alertmanager:Url"] = $"http://127.0.0.1:{port}",
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => collector.Service<AlertmanagerReconciler>().RunAsync(CancellationToken.None));

        var cursor = (await collector.QueryAsync<(string? LastError, DateTimeOffset? LastSuccessAt)>(
            "SELECT last_error, last_success_at FROM ingest_cursors WHERE source = 'alertmanager'")).Single();
        Assert.NotNull(cursor.LastError);
        Assert.Null(cursor.LastSuccessAt);
    }

    private static Task<AlertmanagerServer> StartAlertmanagerAsync(string webhookUrl) =>
        AlertmanagerServer.StartAsync(ShippedReceiver.Config(webhookUrl), new Dictionary<string, string> { ["token"] = Token });

    private static Dictionary<string, string?> Settings(AlertmanagerServer alertmanager) => new()
    {
        ["Dora:Alertmanager:WebhookToken"] = Token,
        ["Dora:Alertmanager:Url"] = alertmanager.Address.ToString(),
        ["Dora:Catalog:Services:0:Name"] = "checkout",
    };

    /// <summary>An alert as Prometheus posts it; with <paramref name="endsAt"/> in the past, a resolve.</summary>
    private static Dictionary<string, object> Alert(string name, string severity, DateTimeOffset startsAt, DateTimeOffset? endsAt = null)
    {
        var alert = new Dictionary<string, object>
        {
            ["labels"] = new Dictionary<string, string> { ["alertname"] = name, ["severity"] = severity, ["service"] = "checkout" },
            ["annotations"] = new Dictionary<string, string> { ["summary"] = $"{name} on checkout" },
            ["startsAt"] = Go(startsAt),
            ["generatorURL"] = "http://prometheus.test/graph",
        };
        if (endsAt is { } end)
        {
            alert["endsAt"] = Go(end);
        }

        return alert;
    }

    private static string Go(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Fingerprint(System.Text.Json.JsonElement alerts, string name) =>
        alerts.EnumerateArray().Single(a => a.GetProperty("labels").GetProperty("alertname").GetString() == name).GetProperty("fingerprint").GetString()!;

    private static async Task<double> WaitForNotificationsAsync(AlertmanagerServer alertmanager, int atLeast)
    {
        double sent = 0;
        await WaitAsync(async () => (sent = await alertmanager.MetricAsync("alertmanager_notifications_total", "integration=\"webhook\"")) >= atLeast,
            $"{atLeast} webhook notifications", alertmanager);
        return sent;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, AlertmanagerServer alertmanager)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Patience} for {what}\n{alertmanager.Output}");
            }

            await Task.Delay(200);
        }
    }

    private sealed record SignalRow
    {
        public string ExternalId { get; init; } = "";
        public DateTimeOffset? ResolvedAt { get; init; }
        public string? ClosedBy { get; init; }
    }
}
