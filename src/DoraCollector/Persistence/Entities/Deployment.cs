namespace DoraCollector.Persistence.Entities;

/// <summary>A deployment as the metrics count it, derived from attempts by the projection.</summary>
internal sealed class Deployment
{
    public long Id { get; set; }

    /// <summary><c>source:external_id</c> of the first attempt; stable across projections.</summary>
    public string Key { get; set; } = "";
    public int ServiceId { get; set; }
    public string Environment { get; set; } = "";
    public int? RepositoryId { get; set; }
    public string Revision { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }

    /// <summary><c>success</c> (went live) or <c>failure</c> (never went live).</summary>
    public string Outcome { get; set; } = "";
    public int AttemptCount { get; set; }
    public bool IsRedeploy { get; set; }
    public bool IsRollback { get; set; }
    public bool IsFailed { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>The cluster it failed, was rolled back or had its incident on, when the source names clusters.</summary>
    public string? FailureCluster { get; set; }
    public bool IsRework { get; set; }
    public string? ReworkReason { get; set; }
    public long? PreviousDeploymentId { get; set; }
    public long? RolledBackById { get; set; }
    public DateTimeOffset? RecoveredAt { get; set; }
    public string ChangesState { get; set; } = "";

    /// <summary>The previous revision the changes were resolved against.</summary>
    public string? ChangesBase { get; set; }
}
