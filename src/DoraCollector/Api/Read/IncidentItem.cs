using System.Text.Json.Serialization;

namespace DoraCollector.Api.Read;

/// <summary>An incident: a period during which at least one qualifying signal was open for a service.</summary>
internal sealed record IncidentItem
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string Service { get; init; } = "";
    public string? Team { get; init; }
    public string Environment { get; init; } = "";
    public string? Title { get; init; }
    public string? Severity { get; init; }
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Null while the incident is open.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Time to restore of this incident, seconds; null while open.</summary>
    public double? DurationSeconds => ResolvedAt is { } resolved ? (resolved - StartedAt).TotalSeconds : null;
    public int SignalCount { get; init; }

    /// <summary>The deployment it is attributed to, if any.</summary>
    public long? DeploymentId { get; init; }

    /// <summary><c>explicit</c> (linked by the source), <c>rule</c> (attribution window) or <c>none</c>.</summary>
    public string Attribution { get; init; } = "";

    /// <summary>The cluster its signals name, when they name one; left out otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; init; }
}
