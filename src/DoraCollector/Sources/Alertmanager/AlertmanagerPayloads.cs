namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// A webhook notification (payload version 4): the alerts of one aggregation group, firing and
/// resolved together. Alertmanager sends it when the group changes and again every
/// <c>repeat_interval</c>, retries it on 5xx, and (HA peers, retries) may deliver it twice.
/// </summary>
/// <param name="GroupKey">Identifies the aggregation group (route and group labels).</param>
/// <param name="TruncatedAlerts">Alerts left out because the receiver's <c>max_alerts</c> was reached.</param>
internal sealed record AlertmanagerNotification(
    string? GroupKey,
    string? Receiver,
    int TruncatedAlerts,
    IReadOnlyList<AlertmanagerAlert> Alerts);

/// <summary>One alert as the webhook and <c>GET /api/v2/alerts</c> carry it.</summary>
/// <param name="Fingerprint">Hash of the label set: the same alert across notifications and the API.</param>
/// <param name="Resolved">
/// The webhook's <c>status</c> is <c>resolved</c>. The API lists only alerts that are not
/// resolved and has no such field, so for it this is always false.
/// </param>
/// <param name="StartsAt">When the alert started firing (Prometheus' active-since time), in UTC.</param>
/// <param name="EndsAt">
/// When it resolved, for a resolved alert. Null for Go's zero time <c>0001-01-01T00:00:00Z</c>,
/// which the webhook sends for alerts still firing. The API's value for an active alert is only a
/// projection (now + <c>resolve_timeout</c>) and is not read.
/// </param>
/// <param name="GeneratorUrl">Link back to the rule's expression in Prometheus.</param>
internal sealed record AlertmanagerAlert(
    string Fingerprint,
    bool Resolved,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl)
{
    /// <summary>
    /// The natural key of one firing period of this alert: <c>fingerprint@startsAt</c>. The time
    /// is cut to milliseconds, the precision of the API (the webhook sends nanoseconds), so a
    /// notification and a reconciliation poll name the same period alike.
    /// </summary>
    public string Key => KeyOf(Fingerprint, StartsAt);

    public static string KeyOf(string fingerprint, DateTimeOffset startsAt) =>
        $"{fingerprint}@{ToMilliseconds(startsAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)}";

    public static DateTimeOffset ToMilliseconds(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}

/// <summary>
/// What the reconciliation stores per active alert and poll: the alert as the API listed it at
/// <paramref name="ObservedAt"/> (when the request was sent).
/// </summary>
internal sealed record AlertmanagerObservation(DateTimeOffset ObservedAt, AlertmanagerAlert Alert);

/// <summary>An open signal the reconciliation no longer found among the active alerts at <paramref name="ObservedAt"/>.</summary>
internal sealed record AlertmanagerVanished(string Fingerprint, DateTimeOffset StartsAt, DateTimeOffset ObservedAt);
