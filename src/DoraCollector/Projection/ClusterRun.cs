namespace DoraCollector.Projection;

/// <summary>
/// One cluster's part of a deployment (docs/metrics.md, "Clusters"): attempts of one revision on one
/// cluster, with retries after a failed attempt collapsed, judged in that cluster's own stream.
/// </summary>
internal sealed class ClusterRun(AttemptFact first)
{
    /// <summary>Where the attempts ran; empty for a source that names no cluster.</summary>
    public string Cluster { get; } = first.Cluster;

    public int? RepositoryId { get; } = first.RepositoryId;
    public string Revision { get; } = first.Revision;

    /// <summary>The application's commit it runs; null when unresolved.</summary>
    public string? ApplicationRevision { get; } = first.ApplicationRevision;
    public int? ApplicationRepositoryId { get; } = first.ApplicationRepositoryId;
    public string Resolution { get; } = first.Resolution ?? ResolutionMethods.SameRepository;
    public List<AttemptFact> Attempts { get; } = [first];

    /// <summary>Finish of the attempt that decided the outcome on this cluster.</summary>
    public DateTimeOffset FinishedAt { get; set; } = first.FinishedAt;

    /// <summary>Went live on this cluster.</summary>
    public bool Succeeded { get; set; } = first.Succeeded;

    /// <summary>The cluster ran this revision already: stored, never counted.</summary>
    public bool IsRedeploy { get; set; }

    /// <summary>For a redeploy: the run that made its revision live on this cluster.</summary>
    public ClusterRun? LiveRun { get; set; }

    /// <summary>The run that was live on this cluster before this one went live.</summary>
    public ClusterRun? Previous { get; set; }

    /// <summary>This cluster moved to a revision older than the one it ran.</summary>
    public bool IsRollback { get; set; }

    /// <summary>The deployment this run belongs to.</summary>
    public ProjectedDeployment Deployment { get; set; } = null!;

    public bool IsLive => Succeeded && !IsRedeploy;

    public override string ToString() => $"{Cluster} {Revision} {(Succeeded ? "success" : "failure")} at {FinishedAt:O}";
}
