using System.Globalization;
using System.Text.Json;

namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// Webhook notifications (version 4) in the shape Alertmanager 0.25 sends them: a firing alert's
/// <c>endsAt</c> is Go's zero time, times carry nanoseconds.
/// </summary>
internal static class AlertPayloads
{
    public const string Token = "alertmanager-token-0123456789";

    public static string Notification(IEnumerable<object> alerts, int truncated = 0, string version = "4") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["receiver"] = "dora-collector",
        ["status"] = "firing",
        ["alerts"] = alerts.ToList(),
        ["groupLabels"] = new { alertname = "HighErrorRate" },
        ["commonLabels"] = new { alertname = "HighErrorRate" },
        ["commonAnnotations"] = new { },
        ["externalURL"] = "http://alertmanager.monitoring:9093",
        ["version"] = version,
        ["groupKey"] = "{}/{severity=~\"critical|page\"}:{alertname=\"HighErrorRate\"}",
        ["truncatedAlerts"] = truncated,
    });

    public static string Notification(params object[] alerts) => Notification(alerts, 0);

    public static object Firing(string fingerprint, DateTimeOffset startsAt, IReadOnlyDictionary<string, string> labels, string? summary = null) =>
        Alert("firing", fingerprint, startsAt, null, labels, summary);

    public static object Resolved(string fingerprint, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyDictionary<string, string> labels) =>
        Alert("resolved", fingerprint, startsAt, endsAt, labels, null);

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
    public static string GoTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "89Z";

    private static Dictionary<string, object?> Alert(
        string status, string fingerprint, DateTimeOffset startsAt, DateTimeOffset? endsAt, IReadOnlyDictionary<string, string> labels, string? summary) => new()
    {
        ["status"] = status,
        ["labels"] = labels,
        ["annotations"] = summary is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["summary"] = summary },
        ["startsAt"] = GoTime(startsAt),
        ["endsAt"] = endsAt is { } end ? GoTime(end) : "0001-01-01T00:00:00Z",
        ["generatorURL"] = "http://prometheus.monitoring:9090/graph?g0.expr=rate",
        ["fingerprint"] = fingerprint,
    };
}
