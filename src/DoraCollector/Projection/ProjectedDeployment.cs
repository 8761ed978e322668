namespace DoraCollector.Projection;

/// <summary>A deployment as the projection derives it from attempts; filled step by step.</summary>
internal sealed class ProjectedDeployment(string environment, AttemptFact first)
{
    public string Key { get; } = first.Key;
    public string Environment { get; } = environment;
    public int? RepositoryId { get; } = first.RepositoryId;
    public string Revision { get; } = first.Revision;
    public DateTimeOffset? StartedAt { get; } = first.StartedAt ?? first.FinishedAt;
    public List<AttemptFact> Attempts { get; } = [first];

    /// <summary>Finish of the attempt that decided the outcome.</summary>
    public DateTimeOffset FinishedAt { get; set; } = first.FinishedAt;

    /// <summary>Went live.</summary>
    public bool Succeeded { get; set; } = first.Succeeded;

    public bool IsRedeploy { get; set; }

    /// <summary>For a redeploy: the deployment that made its revision live.</summary>
    public ProjectedDeployment? LiveDeployment { get; set; }

    public bool IsRollback { get; set; }

    /// <summary>The live deployment this one replaced (for a live, non-redeploy deployment).</summary>
    public ProjectedDeployment? Previous { get; set; }

    public ProjectedDeployment? RolledBackBy { get; set; }
    public bool IsFailed { get; set; }
    public string? FailureReason { get; set; }
    public bool IsRework { get; set; }
    public string? ReworkReason { get; set; }
    public DateTimeOffset? RecoveredAt { get; set; }
    public string ChangesState { get; set; } = ChangesStates.None;
    public string? ChangesBase { get; set; }
    public List<ProjectedChange> Changes { get; } = [];
    public List<ProjectedIncident> Incidents { get; } = [];

    /// <summary>Counts in the metrics: went live and is not a redeploy.</summary>
    public bool IsLive => Succeeded && !IsRedeploy;

    public override string ToString() => $"{Key} {Revision} {(Succeeded ? "success" : "failure")} at {FinishedAt:O}";
}

/// <summary>A change a deployment carried, judged by the rules.</summary>
/// <param name="IsFirst">The first successful deployment of this change to the environment: only these count.</param>
internal sealed record ProjectedChange(ChangeRecord Change, bool IsFirst, bool IsHotfix, bool IsRevert);
