using System.Text.Json;
using DoraCollector.Catalog;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// Maps what Alertmanager told us to incident signals, one per firing period of a qualifying
/// alert (natural key <c>fingerprint@startsAt</c>), so repeated, retried and grouped
/// notifications and the reconciliation's polls all land on the same row:
/// <list type="bullet">
/// <item><c>notification</c>: a webhook delivery. A firing alert is open and was seen active when it
/// arrived; a resolved one is closed at its <c>endsAt</c>.</item>
/// <item><c>alert</c>: the reconciliation saw the alert active (opens it if its webhook was lost).</item>
/// <item><c>vanished</c>: the reconciliation no longer saw an open alert; it is closed at the time it
/// was last seen active, flagged <c>closed_by = reconciliation</c>. A resolve from Alertmanager
/// that arrives later replaces that estimate.</item>
/// </list>
/// The service is the first service label whose value a catalog alias or a service name knows;
/// an alert no service is found for is kept with its hint and counted as unattributed. The
/// cluster label (<c>Dora:Alertmanager:ClusterLabel</c>) names the cluster it was seen on.
/// </summary>
internal sealed class AlertmanagerMapper(AlertRules rules) : IRawEventMapper
{
    public const string SourceName = "alertmanager";
    public const string NotificationKind = "notification";
    public const string AlertKind = "alert";
    public const string VanishedKind = "vanished";
    public const string ClosedByReconciliation = "reconciliation";

    public string Source => SourceName;

    /// <summary>The services a batch's alerts name (by their service labels), read at once.</summary>
    public async Task PrepareAsync(IReadOnlyList<RawEventRecord> batch, DomainWriter writer, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var raw in batch)
        {
            try
            {
                IReadOnlyList<AlertmanagerAlert> alerts = raw.Kind switch
                {
                    NotificationKind => writer.Prepared(raw, r => AlertmanagerPayloadReader.ParseNotification(r.Payload)).Alerts,
                    AlertKind => [writer.Prepared(raw, r => AlertmanagerPayloadReader.ParseObservation(r.Payload)).Alert],
                    _ => [],
                };
                names.AddRange(alerts.Where(rules.Qualifies).SelectMany(rules.ServiceNames));
            }
            catch (Exception e) when (e is InvalidPayloadException or JsonException or FormatException)
            {
                // Mapping it will say why; nothing to read for it.
            }
        }

        await writer.Services.PreloadAsync(names, [], ct);
    }

    public async Task<bool> MapAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct)
    {
        switch (raw.Kind)
        {
            case NotificationKind:
                var mapped = false;
                foreach (var alert in writer.Payload(raw, r => AlertmanagerPayloadReader.ParseNotification(r.Payload)).Alerts.Where(rules.Qualifies))
                {
                    await writer.UpsertSignalAsync(await SignalAsync(alert, alert.Resolved ? null : raw.ReceivedAt, raw.Id, writer, ct), ct);
                    mapped = true;
                }

                return mapped;
            case AlertKind:
                var observation = writer.Payload(raw, r => AlertmanagerPayloadReader.ParseObservation(r.Payload));
                if (!rules.Qualifies(observation.Alert))
                {
                    return false;
                }

                await writer.UpsertSignalAsync(await SignalAsync(observation.Alert, observation.ObservedAt, raw.Id, writer, ct), ct);
                return true;
            case VanishedKind:
                return await CloseVanishedAsync(AlertmanagerPayloadReader.ParseVanished(raw.Payload), writer, ct);
            default:
                return false;
        }
    }

    private async Task<SignalRow> SignalAsync(AlertmanagerAlert alert, DateTimeOffset? seenAt, long rawEventId, DomainWriter writer, CancellationToken ct) =>
        new(
            SourceName,
            alert.Key,
            await FindServiceAsync(alert, writer, ct),
            rules.ServiceHint(alert),
            rules.Environment(alert),
            AlertRules.Title(alert),
            AlertRules.Severity(alert),
            alert.GeneratorUrl is { Length: <= 2000 } url ? url : null,
            AlertmanagerAlert.ToMilliseconds(alert.StartsAt),
            alert.Resolved ? alert.EndsAt : null,
            LastSeenAt: seenAt,
            ClosedBy: alert.Resolved ? "source" : null,
            DeploymentRef: AlertRules.DeploymentRef(alert),
            RevisionRef: AlertRules.RevisionRef(alert),
            LabelsJson: JsonSerializer.Serialize(alert.Labels),
            RawEventId: rawEventId,
            Cluster: rules.Cluster(alert));

    // Service labels in order; for each value an alias the catalog gives it wins over a service of that name.
    private async Task<int?> FindServiceAsync(AlertmanagerAlert alert, DomainWriter writer, CancellationToken ct)
    {
        foreach (var name in rules.ServiceNames(alert))
        {
            if (await writer.Services.FindByAliasAsync(ServiceAliasKinds.AlertLabel, name, ct) is { } aliased)
            {
                return aliased;
            }

            if (await writer.Services.FindAsync(name, ct) is { } named)
            {
                return named;
            }
        }

        return null;
    }

    // Only an alert still open, and not seen active since the poll that missed it, is closed.
    private static async Task<bool> CloseVanishedAsync(AlertmanagerVanished vanished, DomainWriter writer, CancellationToken ct)
    {
        var externalId = AlertmanagerAlert.KeyOf(vanished.Fingerprint, vanished.StartsAt);
        var open = await writer.OpenSignalAsync(SourceName, externalId, ct);
        var lastSeen = open?.LastSeenAt ?? open?.StartedAt;
        if (open is null || lastSeen >= vanished.ObservedAt)
        {
            return false;
        }

        await writer.UpsertSignalAsync(new SignalRow(
            SourceName, externalId, open.ServiceId, open.ServiceHint, open.Environment, open.Title, open.Severity, open.Url,
            open.StartedAt, lastSeen, ClosedBy: ClosedByReconciliation, DeploymentRef: open.DeploymentRef,
            RevisionRef: open.RevisionRef, LabelsJson: open.Labels, Cluster: open.Cluster), ct);
        return true;
    }
}
