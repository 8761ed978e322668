using DoraCollector.Simulator.Alertmanager;

namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// Webhook notifications (version 4) in the shape Alertmanager 0.25 sends them (the simulator's
/// <see cref="AlertmanagerNotifications"/>), with the test's token and labels.
/// </summary>
internal static class AlertPayloads
{
    public const string Token = "alertmanager-token-0123456789";

    public static string Notification(IEnumerable<object> alerts, int truncated = 0, string version = "4") =>
        AlertmanagerNotifications.Notification(alerts, truncated, version);

    public static string Notification(params object[] alerts) => Notification(alerts, 0);

    public static object Firing(string fingerprint, DateTimeOffset startsAt, IReadOnlyDictionary<string, string> labels, string? summary = null) =>
        AlertmanagerNotifications.Firing(fingerprint, startsAt, labels, summary);

    public static object Resolved(string fingerprint, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyDictionary<string, string> labels) =>
        AlertmanagerNotifications.Resolved(fingerprint, startsAt, endsAt, labels);

    public static Dictionary<string, string> Labels(string? service = "checkout", string severity = "critical", params (string Name, string Value)[] more)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["severity"] = severity };
        if (service is not null)
        {
            labels["service"] = service;
        }

        foreach (var (name, value) in more)
        {
            labels[name] = value;
        }

        return labels;
    }

    /// <summary>RFC 3339 with nine fractional digits, as Go writes a <c>time.Time</c>.</summary>
    public static string GoTime(DateTimeOffset instant) => AlertmanagerNotifications.GoTime(instant);
}
