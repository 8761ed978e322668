using System.Text.Json.Serialization;

namespace DoraCollector.Api.Read;

/// <summary>A deployment as the metrics count it. Filled by Dapper from columns of the same names.</summary>
internal sealed record DeploymentItem
{
    public long Id { get; init; }

    /// <summary><c>source:external_id</c> of its first attempt; stable across projections.</summary>
    public string Key { get; init; } = "";
    public string Service { get; init; } = "";
    public string? Team { get; init; }
    public string Environment { get; init; } = "";

    /// <summary>The configuration revision: what Argo CD, Flux or the pipeline synced.</summary>
    public string Revision { get; init; } = "";

    /// <summary>The repository of <see cref="Revision"/> (a GitOps repository, or the service's own), else its service's (<c>owner/name</c>).</summary>
    public string? Repository { get; init; }

    /// <summary>The application's commit it runs (docs/metrics.md, "GitOps repositories and promotion"); null when unresolved.</summary>
    public string? ApplicationRevision { get; init; }

    /// <summary>The repository of <see cref="ApplicationRevision"/> (<c>owner/name</c>).</summary>
    public string? ApplicationRepository { get; init; }

    /// <summary>How the application revision was found: <c>same-repository</c>, <c>explicit</c>, <c>image-tag</c>, <c>version-tag</c>, <c>commit-trailer</c>, <c>commit-diff</c> or <c>unresolved</c>.</summary>
    public string Resolution { get; init; } = "";
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The partition value: see <see cref="DeploymentOutcomes"/>.</summary>
    public string Outcome { get; init; } = "";
    public int AttemptCount { get; init; }
    public bool IsRedeploy { get; init; }
    public bool IsRollback { get; init; }
    public bool IsFailed { get; init; }

    /// <summary><c>outcome</c>, <c>rolled_back</c>, <c>incident</c>, <c>hotfix</c> or <c>revert</c>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The cluster the failure was seen on (failed or rolled back there, or its incident's); left out without one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FailureCluster { get; init; }

    /// <summary>The clusters its attempts ran on, by name; left out when the sources name none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Clusters { get; init; }
    public bool IsRework { get; init; }

    /// <summary><c>rollback</c>, <c>hotfix</c>, <c>revert</c> or <c>incident_fix</c>.</summary>
    public string? ReworkReason { get; init; }
    public long? PreviousDeploymentId { get; init; }
    public long? RolledBackById { get; init; }

    /// <summary>For a failed deployment: when its failed deployment recovery time ends.</summary>
    public DateTimeOffset? RecoveredAt { get; init; }

    /// <summary>Failed deployment recovery time of this deployment, seconds.</summary>
    public double? RecoverySeconds => RecoveredAt is { } recovered ? (recovered - FinishedAt).TotalSeconds : null;

    /// <summary>How its changes were found: <c>resolved</c>, <c>explicit</c>, <c>head_only</c>, <c>none</c> or <c>pending</c>.</summary>
    public string ChangesState { get; init; } = "";
    public int ChangeCount { get; init; }

    /// <summary>Incidents attributed to this deployment.</summary>
    public IReadOnlyList<long> IncidentIds { get; init; } = [];

    /// <summary>Only on the single-deployment endpoint: the attempts it collapsed on every cluster, oldest first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AttemptItem>? Attempts { get; init; }

    /// <summary>Only on the single-deployment endpoint: every change it carried.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ChangeItem>? Changes { get; init; }
}

/// <summary>One rollout a source reported; a deployment collapses its retried attempts.</summary>
internal sealed record AttemptItem
{
    public string Source { get; init; } = "";
    public string ExternalId { get; init; } = "";

    /// <summary>Where it ran; left out when the source names no cluster.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; init; }

    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public string Outcome { get; init; } = "";
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The source itself said this rollout was a rollback.</summary>
    public bool RollbackHint { get; init; }
}
