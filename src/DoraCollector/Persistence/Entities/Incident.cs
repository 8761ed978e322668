namespace DoraCollector.Persistence.Entities;

/// <summary>A period during which at least one qualifying signal was open for a service.</summary>
internal sealed class Incident
{
    public long Id { get; set; }
    public string Key { get; set; } = "";
    public int ServiceId { get; set; }
    public string Environment { get; set; } = "";

    /// <summary>The cluster its signals name, when they name one.</summary>
    public string? Cluster { get; set; }
    public string? Title { get; set; }
    public string? Severity { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public int SignalCount { get; set; }
    public long? DeploymentId { get; set; }

    /// <summary><c>explicit</c> (linked by the source), <c>rule</c> (attribution window) or <c>none</c>.</summary>
    public string Attribution { get; set; } = "";
}
