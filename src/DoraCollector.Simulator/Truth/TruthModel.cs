namespace DoraCollector.Simulator.Truth;

/// <summary>A deployment derived from attempts by the definitions, with its verdicts.</summary>
internal sealed class TruthDeployment(string service, string environment, AttemptFact first)
{
    public string Service { get; } = service;

    public string Environment { get; } = environment;

    public string Revision { get; } = first.Revision;

    public List<AttemptFact> Attempts { get; } = [first];

    /// <summary>Finish of the attempt that decided the outcome.</summary>
    public DateTimeOffset FinishedAt { get; set; } = first.FinishedAt;

    /// <summary>Went live.</summary>
    public bool Succeeded { get; set; } = first.Succeeded;

    public bool IsRedeploy { get; set; }

    /// <summary>The live deployment this one replaced.</summary>
    public TruthDeployment? Previous { get; set; }

    public bool IsRollback { get; set; }

    public TruthDeployment? RolledBackBy { get; set; }

    public bool IsFailed { get; set; }

    /// <summary>On several clusters: one whose last attempt of this deployment failed (its rollout failed there).</summary>
    public string? FailedOnCluster { get; set; }

    public string? FailureReason { get; set; }

    public string? ReworkReason { get; set; }

    public DateTimeOffset? RecoveredAt { get; set; }

    public List<TruthChange> Changes { get; } = [];

    public List<TruthIncident> Incidents { get; } = [];

    /// <summary>Went live and is not a redeploy: what frequency counts.</summary>
    public bool IsLive => Succeeded && !IsRedeploy;

    /// <summary>The outcome partition: success, failed, rollout_failed, redeploy.</summary>
    public string Outcome => IsRedeploy ? "redeploy" : !Succeeded ? "rollout_failed" : IsFailed ? "failed" : "success";

    public override string ToString() =>
        $"{Service}/{Environment} {Revision[..Math.Min(8, Revision.Length)]} {Outcome} at {FinishedAt:O}{(IsRollback ? " rollback" : "")}" +
        $"{(FailureReason is null ? "" : $" failed:{FailureReason}")}{(ReworkReason is null ? "" : $" rework:{ReworkReason}")} changes {Changes.Count(c => c.IsFirst)}";
}

/// <summary>A pull request or direct commit a deployment brings.</summary>
/// <param name="IsFirst">The first live deployment that brings it to the environment: only these count.</param>
internal sealed record TruthChange(
    string Key, DateTimeOffset FirstCommitAt, DateTimeOffset? OpenedAt, DateTimeOffset? MergedAt, bool IsHotfix, bool IsRevert, bool IsFirst);

/// <summary>An alert's firing period as an incident signal.</summary>
/// <param name="Cluster">The cluster its cluster label names; null when it names none.</param>
internal sealed record TruthSignal(
    string Key, string? Service, string? Environment, DateTimeOffset StartedAt, DateTimeOffset? ResolvedAt, string? RevisionRef, string? Cluster = null);

/// <summary>Overlapping signals of one service in one environment.</summary>
internal sealed class TruthIncident(string service, TruthSignal first)
{
    public string Service { get; } = service;

    public List<TruthSignal> Signals { get; } = [first];

    public string? Environment { get; set; } = first.Environment;

    public DateTimeOffset StartedAt => Signals.Min(s => s.StartedAt);

    public DateTimeOffset? ResolvedAt => Signals.Any(s => s.ResolvedAt is null) ? null : Signals.Max(s => s.ResolvedAt);

    /// <summary>The one cluster its signals name; null when they name none, or several.</summary>
    public string? Cluster
    {
        get
        {
            var named = Signals.Select(s => s.Cluster).OfType<string>().Distinct(StringComparer.Ordinal).Take(2).ToList();
            return named.Count == 1 ? named[0] : null;
        }
    }

    public TruthDeployment? Deployment { get; set; }

    /// <summary>Open at the instant: started by then and not resolved by then.</summary>
    public bool IsOpenAt(DateTimeOffset instant) => StartedAt <= instant && (ResolvedAt is not { } resolved || resolved > instant);
}

/// <summary>Everything derived from the timeline at one instant.</summary>
internal sealed record TruthProjection(
    DateTimeOffset Now,
    IReadOnlyList<CatalogEntry> Services,
    IReadOnlyList<TruthDeployment> Deployments,
    IReadOnlyList<TruthIncident> Incidents,
    IReadOnlyList<TruthSignal> Unattributed);
