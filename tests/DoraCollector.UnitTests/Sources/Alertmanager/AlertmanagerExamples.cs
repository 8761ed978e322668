namespace DoraCollector.UnitTests.Sources.Alertmanager;

/// <summary>
/// Alertmanager payloads in their real shape (webhook version 4 and API v2), composed from
/// Alertmanager's notify/webhook, template and api/v2 sources; the webhook bodies match what
/// Alertmanager 0.25 sends, field order included.
/// </summary>
internal static class AlertmanagerExamples
{
    /// <summary>One firing alert; the webhook sends Go's zero time as <c>endsAt</c> while it fires.</summary>
    public const string Firing = """
        { "receiver": "dora-collector", "status": "firing",
          "alerts": [ { "status": "firing",
              "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical", "namespace": "prod"},
              "annotations": {"summary": "5xx rate above 5%"},
              "startsAt": "2025-01-01T10:00:00.123456789Z", "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=rate", "fingerprint": "c4f1d2a3b4e5f601" } ],
          "groupLabels": {"alertname": "HighErrorRate"},
          "commonLabels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical", "namespace": "prod"},
          "commonAnnotations": {"summary": "5xx rate above 5%"},
          "externalURL": "http://alertmanager.monitoring:9093", "version": "4",
          "groupKey": "{}/{severity=~\"critical|page\"}:{alertname=\"HighErrorRate\"}", "truncatedAlerts": 0 }
        """;

    /// <summary>The same alert resolved: <c>status</c> resolved and a real <c>endsAt</c>.</summary>
    public const string Resolved = """
        { "receiver": "dora-collector", "status": "resolved",
          "alerts": [ { "status": "resolved",
              "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical", "namespace": "prod"},
              "annotations": {"summary": "5xx rate above 5%"},
              "startsAt": "2025-01-01T10:00:00.123456789Z", "endsAt": "2025-01-01T10:42:00.5Z",
              "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=rate", "fingerprint": "c4f1d2a3b4e5f601" } ],
          "groupLabels": {"alertname": "HighErrorRate"}, "commonLabels": {"alertname": "HighErrorRate"}, "commonAnnotations": {},
          "externalURL": "http://alertmanager.monitoring:9093", "version": "4",
          "groupKey": "{}/{severity=~\"critical|page\"}:{alertname=\"HighErrorRate\"}", "truncatedAlerts": 0 }
        """;

    /// <summary>
    /// A group of three: one firing, one resolved, one that does not qualify (warning); a fourth
    /// left out by <c>max_alerts</c>.
    /// </summary>
    public const string Grouped = """
        { "receiver": "dora-collector", "status": "firing",
          "alerts": [
            { "status": "firing", "labels": {"alertname": "PodCrashLooping", "app": "cart", "severity": "page", "env": "production"},
              "annotations": {}, "startsAt": "2025-01-01T11:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "", "fingerprint": "0a0a0a0a0a0a0a01" },
            { "status": "resolved", "labels": {"alertname": "PodCrashLooping", "app": "search", "severity": "page"},
              "annotations": {"summary": "search pods crash"}, "startsAt": "2025-01-01T10:50:00Z", "endsAt": "2025-01-01T11:05:00Z",
              "generatorURL": "", "fingerprint": "0a0a0a0a0a0a0a02" },
            { "status": "firing", "labels": {"alertname": "PodCrashLooping", "app": "batch", "severity": "warning"},
              "annotations": {}, "startsAt": "2025-01-01T11:01:00Z", "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "", "fingerprint": "0a0a0a0a0a0a0a03" } ],
          "groupLabels": {"alertname": "PodCrashLooping"}, "commonLabels": {"alertname": "PodCrashLooping"}, "commonAnnotations": {},
          "externalURL": "http://alertmanager.monitoring:9093", "version": "4",
          "groupKey": "{}:{alertname=\"PodCrashLooping\"}", "truncatedAlerts": 1 }
        """;

    /// <summary><c>GET /api/v2/alerts</c>: no status field, <c>endsAt</c> projected, times to the millisecond.</summary>
    public const string ActiveAlerts = """
        [ { "annotations": {"summary": "5xx rate above 5%"}, "endsAt": "2025-01-01T10:09:00.000Z", "fingerprint": "c4f1d2a3b4e5f601",
            "receivers": [{"name": "dora-collector"}], "startsAt": "2025-01-01T10:00:00.123Z",
            "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"}, "updatedAt": "2025-01-01T10:05:00.000Z",
            "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=rate",
            "labels": {"alertname": "HighErrorRate", "service": "checkout", "severity": "critical", "namespace": "prod"} } ]
        """;
}
