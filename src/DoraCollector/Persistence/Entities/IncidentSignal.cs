namespace DoraCollector.Persistence.Entities;

/// <summary>What a source reports: an alert, an incident issue, a posted incident.</summary>
internal sealed class IncidentSignal
{
    public long Id { get; set; }
    public string Source { get; set; } = "";
    public string ExternalId { get; set; } = "";

    /// <summary>Null when no service matched; such signals are kept and counted.</summary>
    public int? ServiceId { get; set; }
    public string? ServiceHint { get; set; }
    public string? Environment { get; set; }

    /// <summary>The cluster it was seen on; empty when the source names none.</summary>
    public string Cluster { get; set; } = "";
    public string? Title { get; set; }
    public string? Severity { get; set; }
    public string? Url { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary><c>source</c>, or <c>reconciliation</c> when it vanished without a resolve.</summary>
    public string? ClosedBy { get; set; }
    public string? DeploymentRef { get; set; }
    public string? RevisionRef { get; set; }
    public string? Labels { get; set; }
    public long? RawEventId { get; set; }
    public long? IncidentId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
