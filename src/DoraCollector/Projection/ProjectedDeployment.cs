using DoraCollector.Metrics;

namespace DoraCollector.Projection;

/// <summary>
/// A deployment as the projection derives it: one revision reaching one environment, on one or
/// more clusters (<see cref="Runs"/>); filled step by step.
/// </summary>
internal sealed class ProjectedDeployment
{
    public ProjectedDeployment(string environment, ClusterRun first)
    {
        var attempt = first.Attempts[0];
        Key = attempt.Key;
        Environment = environment;
        RepositoryId = first.RepositoryId;
        Revision = first.Revision;
        ApplicationRevision = first.ApplicationRevision;
        ApplicationRepositoryId = first.ApplicationRepositoryId;
        Resolution = first.Resolution;
        StartedAt = attempt.StartedAt ?? attempt.FinishedAt;
        FinishedAt = first.FinishedAt;
        Succeeded = first.Succeeded;
        Add(first);
    }

    public string Key { get; }
    public string Environment { get; }
    public int? RepositoryId { get; }

    /// <summary>The configuration revision: what Argo CD, Flux or the pipeline synced, in <see cref="RepositoryId"/>.</summary>
    public string Revision { get; }

    /// <summary>The application's commit it runs (docs/metrics.md, "GitOps repositories and promotion"); null when unresolved.</summary>
    public string? ApplicationRevision { get; }

    /// <summary>The repository of <see cref="ApplicationRevision"/>: the service's own.</summary>
    public int? ApplicationRepositoryId { get; }

    /// <summary>How <see cref="ApplicationRevision"/> was found (<see cref="ResolutionMethods"/>).</summary>
    public string Resolution { get; }

    public DateTimeOffset? StartedAt { get; }

    /// <summary>Its part on each cluster, in the order they began.</summary>
    public List<ClusterRun> Runs { get; } = [];

    /// <summary>The attempts of every cluster, in the order they finished.</summary>
    public List<AttemptFact> Attempts { get; } = [];

    /// <summary>
    /// When it went live (the first cluster's success, or the last one's under
    /// <see cref="MultiClusterLive.LastCluster"/>); for one that never did, the finish of its last attempt.
    /// </summary>
    public DateTimeOffset FinishedAt { get; private set; }

    /// <summary>Went live, on at least one cluster.</summary>
    public bool Succeeded { get; private set; }

    public bool IsRedeploy { get; init; }

    /// <summary>For a redeploy: the deployment that made its revision live.</summary>
    public ProjectedDeployment? LiveDeployment { get; init; }

    /// <summary>A cluster moved to this revision from a newer one it ran.</summary>
    public bool IsRollback => Runs.Any(r => r.IsRollback);

    /// <summary>The live deployment this one replaced (for a live, non-redeploy deployment).</summary>
    public ProjectedDeployment? Previous { get; private set; }

    public ProjectedDeployment? RolledBackBy { get; set; }

    /// <summary>The cluster that rolled it back (empty when the source names none).</summary>
    public string? RolledBackOn { get; set; }

    public bool IsFailed { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>The cluster the failure was seen on, when the source names clusters.</summary>
    public string? FailureCluster { get; set; }

    public bool IsRework { get; set; }
    public string? ReworkReason { get; set; }
    public DateTimeOffset? RecoveredAt { get; set; }
    public string ChangesState { get; set; } = ChangesStates.None;
    public string? ChangesBase { get; set; }
    public List<ProjectedChange> Changes { get; } = [];
    public List<ProjectedIncident> Incidents { get; } = [];

    /// <summary>Counts in the metrics: went live and is not a redeploy.</summary>
    public bool IsLive => Succeeded && !IsRedeploy;

    public void Add(ClusterRun run)
    {
        Runs.Add(run);
        Attempts.AddRange(run.Attempts);
        run.Deployment = this;
    }

    /// <summary>
    /// Once every cluster's run is known: it went live when a cluster succeeded, at the first
    /// cluster's success, or under <see cref="MultiClusterLive.LastCluster"/> at the last success of
    /// the clusters that received it within <paramref name="rolloutWindow"/> of the first.
    /// </summary>
    public void Settle(MultiClusterLive liveAt, TimeSpan rolloutWindow)
    {
        Attempts.Sort((a, b) => a.FinishedAt != b.FinishedAt ? a.FinishedAt.CompareTo(b.FinishedAt) : a.Id.CompareTo(b.Id));
        var live = Runs.Where(r => r.Succeeded).OrderBy(r => r.FinishedAt).ThenBy(r => r.Attempts[0].Id).ToList();
        Succeeded = live.Count > 0;
        if (!Succeeded)
        {
            FinishedAt = Runs.Max(r => r.FinishedAt);
            return;
        }

        var received = Attempts[0].FinishedAt;
        FinishedAt = liveAt == MultiClusterLive.LastCluster
            ? live.Where(r => r.Attempts[0].FinishedAt - received <= rolloutWindow).Select(r => r.FinishedAt).DefaultIfEmpty(live[0].FinishedAt).Max()
            : live[0].FinishedAt;
        Previous = live[0].Previous?.Deployment;
    }

    public override string ToString() => $"{Key} {Revision} {(Succeeded ? "success" : "failure")} at {FinishedAt:O}";
}

/// <summary>A change a deployment carried, judged by the rules.</summary>
/// <param name="IsFirst">The first successful deployment of this change to the environment: only these count.</param>
internal sealed record ProjectedChange(ChangeRecord Change, bool IsFirst, bool IsHotfix, bool IsRevert);
