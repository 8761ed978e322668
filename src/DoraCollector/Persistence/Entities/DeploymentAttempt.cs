namespace DoraCollector.Persistence.Entities;

/// <summary>One rollout of a revision of a service to an environment, as a source reported it.</summary>
internal sealed class DeploymentAttempt
{
    public long Id { get; set; }
    public string Source { get; set; } = "";

    /// <summary>Stable per source: Argo CD <c>app:history id</c>, GitHub status id, the posted id.</summary>
    public string ExternalId { get; set; } = "";
    public int ServiceId { get; set; }
    public string Environment { get; set; } = "";

    /// <summary>Where it ran; empty when the source names no cluster.</summary>
    public string Cluster { get; set; } = "";
    public int? RepositoryId { get; set; }
    public string Revision { get; set; } = "";

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public string Outcome { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>The source itself says this rollout was a rollback (Argo CD's rollback operation).</summary>
    public bool RollbackHint { get; set; }

    /// <summary>The commits this attempt brings, when the source lists them.</summary>
    public string[]? ExplicitCommits { get; set; }
    public string? Details { get; set; }
    public long? RawEventId { get; set; }
    public long? DeploymentId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
