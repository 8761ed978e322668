using System.Globalization;
using System.Text.Json;

namespace DoraCollector.Simulator.Alertmanager;

/// <summary>
/// Webhook notifications (version 4) in the shape Alertmanager sends them: a firing alert's
/// <c>endsAt</c> is Go's zero time, times are RFC 3339 with nanoseconds.
/// </summary>
internal static class AlertmanagerNotifications
{
    public static string Notification(IEnumerable<object> alerts, int truncated = 0, string version = "4", string status = "firing",
        IReadOnlyDictionary<string, string>? groupLabels = null)
    {
        var group = groupLabels ?? new Dictionary<string, string> { ["alertname"] = "HighErrorRate" };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["receiver"] = "dora-collector",
            ["status"] = status,
            ["alerts"] = alerts.ToList(),
            ["groupLabels"] = group,
            ["commonLabels"] = group,
            ["commonAnnotations"] = new { },
            ["externalURL"] = "http://alertmanager.monitoring:9093",
            ["version"] = version,
            ["groupKey"] = "{}/{severity=~\"critical|page\"}:{" + string.Join(", ", group.Select(g => $"{g.Key}=\"{g.Value}\"")) + "}",
            ["truncatedAlerts"] = truncated,
        });
    }

    public static object Firing(string fingerprint, DateTimeOffset startsAt, IReadOnlyDictionary<string, string> labels, string? summary = null) =>
        Alert("firing", fingerprint, startsAt, null, labels, summary);

    public static object Resolved(string fingerprint, DateTimeOffset startsAt, DateTimeOffset endsAt, IReadOnlyDictionary<string, string> labels,
        string? summary = null) =>
        Alert("resolved", fingerprint, startsAt, endsAt, labels, summary);

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
