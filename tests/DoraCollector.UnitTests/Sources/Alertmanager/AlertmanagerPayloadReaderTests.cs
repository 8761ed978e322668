using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using DoraCollector.Sources.Alertmanager;

namespace DoraCollector.UnitTests.Sources.Alertmanager;

public sealed class AlertmanagerPayloadReaderTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 10, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void A_firing_notification_reads_with_its_alert_open()
    {
        var notification = Read(AlertmanagerExamples.Firing, out var problems)!;

        Assert.Equal(0, problems.Count);
        var alert = Assert.Single(notification.Alerts);
        Assert.False(alert.Resolved);
        Assert.Null(alert.EndsAt);
        Assert.Equal("c4f1d2a3b4e5f601", alert.Fingerprint);
        Assert.Equal("checkout", alert.Labels["service"]);
        Assert.Equal("5xx rate above 5%", alert.Annotations["summary"]);
        Assert.Equal("http://prometheus.monitoring:9090/graph?g0.expr=rate", alert.GeneratorUrl);
        Assert.Equal(0, notification.TruncatedAlerts);
    }

    [Fact]
    public void A_resolved_notification_carries_the_end()
    {
        var alert = Assert.Single(Read(AlertmanagerExamples.Resolved, out _)!.Alerts);

        Assert.True(alert.Resolved);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 42, 0, 500, TimeSpan.Zero), alert.EndsAt);
    }

    [Fact]
    public void The_key_cuts_the_start_to_the_milliseconds_the_api_reports()
    {
        var fromWebhook = Assert.Single(Read(AlertmanagerExamples.Firing, out _)!.Alerts);
        using var api = JsonDocument.Parse(AlertmanagerExamples.ActiveAlerts);
        var fromApi = Assert.Single(AlertmanagerPayloadReader.ReadActiveAlerts(api.RootElement, new RequestProblems())!);

        Assert.Equal("c4f1d2a3b4e5f601@2025-01-01T10:00:00.123Z", fromWebhook.Key);
        Assert.Equal(fromWebhook.Key, fromApi.Key);
        Assert.Equal(Start, AlertmanagerAlert.ToMilliseconds(fromWebhook.StartsAt));
    }

    [Fact]
    public void Api_alerts_are_never_resolved_and_their_projected_end_is_not_read()
    {
        using var api = JsonDocument.Parse(AlertmanagerExamples.ActiveAlerts);

        var alert = Assert.Single(AlertmanagerPayloadReader.ReadActiveAlerts(api.RootElement, new RequestProblems())!);

        Assert.False(alert.Resolved);
        Assert.Null(alert.EndsAt);
    }

    [Fact]
    public void A_grouped_notification_keeps_every_alert_and_the_truncation()
    {
        var notification = Read(AlertmanagerExamples.Grouped, out _)!;

        Assert.Equal([false, true, false], notification.Alerts.Select(a => a.Resolved));
        Assert.Equal(1, notification.TruncatedAlerts);
        Assert.All(notification.Alerts, a => Assert.Null(a.GeneratorUrl));
    }

    [Theory]
    [InlineData("\"version\": \"4\"", "\"version\": \"3\"", "version", "'3' is not supported")]
    [InlineData("\"version\": \"4\",", "", "version", "is required")]
    [InlineData("\"startsAt\": \"2025-01-01T10:00:00.123456789Z\", ", "", "alerts[0].startsAt", "is required")]
    [InlineData("\"2025-01-01T10:00:00.123456789Z\"", "\"0001-01-01T00:00:00Z\"", "alerts[0].startsAt", "zero time")]
    [InlineData("\"2025-01-01T10:00:00.123456789Z\"", "\"yesterday\"", "alerts[0].startsAt", "RFC 3339")]
    [InlineData("\"fingerprint\": \"c4f1d2a3b4e5f601\"", "\"fingerprint\": \"\"", "alerts[0].fingerprint", "is required")]
    [InlineData("[ { \"status\": \"firing\"", "[ { \"status\": \"pending\"", "alerts[0].status", "firing or resolved")]
    [InlineData("\"service\": \"checkout\"", "\"service\": 7", "alerts[0].labels.service", "must be a string")]
    [InlineData("\"truncatedAlerts\": 0", "\"truncatedAlerts\": -1", "truncatedAlerts", "0 or more")]
    [InlineData("\"severity\": \"critical\", \"namespace\": \"prod\"}", "\"severity\": \"crit\\u0000\"}", "$.alerts[0].labels.severity", "NUL")]
    public void Bad_notifications_name_the_field(string from, string to, string path, string message)
    {
        var json = AlertmanagerExamples.Firing.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(AlertmanagerExamples.Firing, json);

        Assert.Null(Read(json, out var problems));

        Assert.Contains(problems.Items, p => p.Key == path && p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"endsAt\": \"2025-01-01T10:42:00.5Z\"", "\"endsAt\": \"0001-01-01T00:00:00Z\"", "zero time")]
    [InlineData("\"endsAt\": \"2025-01-01T10:42:00.5Z\",", "", "is required")]
    [InlineData("\"endsAt\": \"2025-01-01T10:42:00.5Z\"", "\"endsAt\": \"2025-01-01T09:00:00Z\"", "before startsAt")]
    public void A_resolved_alert_needs_a_real_end_after_its_start(string from, string to, string message)
    {
        var json = AlertmanagerExamples.Resolved.Replace(from, to, StringComparison.Ordinal);

        Assert.Null(Read(json, out var problems));

        Assert.Contains(problems.Items, p => p.Key == "alerts[0].endsAt" && p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"hello\"")]
    [InlineData("{\"version\": \"4\", \"alerts\": {}}")]
    [InlineData("{\"version\": \"4\", \"alerts\": [1]}")]
    public void Json_that_is_not_a_notification_is_refused(string json)
    {
        Assert.Null(Read(json, out var problems));
        Assert.NotEqual(0, problems.Count);
    }

    [Fact]
    public void The_same_alert_twice_in_one_notification_is_refused()
    {
        using var document = JsonDocument.Parse(AlertmanagerExamples.Firing);
        var alert = document.RootElement.GetProperty("alerts")[0].GetRawText();
        var json = AlertmanagerExamples.Firing.Replace(alert, $"{alert}, {alert}", StringComparison.Ordinal);

        Assert.Null(Read(json, out var problems));
        Assert.Contains("appears more than once", problems.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var json = AlertmanagerExamples.Grouped
            .Replace("\"startsAt\": \"2025-01-01T11:00:00Z\", ", "", StringComparison.Ordinal)
            .Replace("\"fingerprint\": \"0a0a0a0a0a0a0a03\"", "\"fingerprint\": 3", StringComparison.Ordinal);

        Assert.Null(Read(json, out var problems));

        Assert.Equal(["alerts[0].startsAt", "alerts[2].fingerprint"], problems.Items.Select(p => p.Key));
        Assert.Equal("alerts[0].startsAt: is required (an RFC 3339 time) (and 1 more)", problems.Summary);
    }

    [Fact]
    public void The_mapper_refuses_a_stored_payload_that_does_not_read()
    {
        Assert.Throws<InvalidPayloadException>(() => AlertmanagerPayloadReader.ParseNotification("{\"version\": \"4\"}"));
        Assert.Throws<InvalidPayloadException>(() => AlertmanagerPayloadReader.ParseObservation("{\"observedAt\": \"2025-01-01T10:00:00Z\"}"));
        Assert.Throws<InvalidPayloadException>(() => AlertmanagerPayloadReader.ParseVanished("{\"fingerprint\": \"x\"}"));
    }

    [Fact]
    public void Stored_observations_and_vanishes_read_back()
    {
        using var api = JsonDocument.Parse(AlertmanagerExamples.ActiveAlerts);
        var observation = AlertmanagerPayloadReader.ParseObservation(
            $"{{\"observedAt\": \"2025-01-01T10:06:00Z\", \"alert\": {api.RootElement[0].GetRawText()}}}");
        var vanished = AlertmanagerPayloadReader.ParseVanished(
            "{\"fingerprint\": \"c4f1d2a3b4e5f601\", \"startsAt\": \"2025-01-01T10:00:00.123+00:00\", \"observedAt\": \"2025-01-01T10:20:00Z\"}");

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 6, 0, TimeSpan.Zero), observation.ObservedAt);
        Assert.Equal("c4f1d2a3b4e5f601@2025-01-01T10:00:00.123Z", observation.Alert.Key);
        Assert.Equal(observation.Alert.Key, AlertmanagerAlert.KeyOf(vanished.Fingerprint, vanished.StartsAt));
    }

    private static AlertmanagerNotification? Read(string json, out RequestProblems problems)
    {
        problems = new RequestProblems();
        using var document = JsonDocument.Parse(json);
        return AlertmanagerPayloadReader.ReadNotification(document.RootElement, problems);
    }
}
