using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;

namespace DoraCollector.Simulator.World;

/// <summary>Why a rollout runs: it decides how likely it is to fail and what follows it.</summary>
internal enum RolloutKind
{
    /// <summary>A new revision, from the pipeline.</summary>
    Normal,

    /// <summary>The same revision again after a failed rollout.</summary>
    Retry,

    /// <summary>Back to the revision live before (Argo CD's rollback, a Flux source pinned back, an older GitHub deployment).</summary>
    Rollback,

    /// <summary>A manual re-sync of the live revision.</summary>
    Redeploy,
}

/// <summary>One service in one environment: what runs, what the rollout tool shows, when it is free.</summary>
internal sealed class Lane(string environment)
{
    public string Environment { get; } = environment;

    /// <summary>The revision that runs.</summary>
    public string? Live { get; set; }

    /// <summary>Every revision that went live, in order (rollback targets).</summary>
    public List<string> LiveHistory { get; } = [];

    /// <summary>No new rollout starts before the one in progress has finished.</summary>
    public DateTimeOffset FreeAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>A rollout of the branch head is queued and has not started.</summary>
    public bool HeadRequested { get; set; }

    /// <summary>Consecutive retries of a failed revision.</summary>
    public int Retries { get; set; }

    public ArgoCdApplication? Argo { get; set; }

    /// <summary>The cluster <see cref="Argo"/> (or the Flux of that cluster) rolls out to, when the environment runs on several (it leads).</summary>
    public string? Cluster { get; set; }

    /// <summary>The other clusters of the environment: each rolls out what the leading one went live with, later.</summary>
    public List<FollowerCluster> Followers { get; } = [];

    /// <summary>The GitHub deployment of the last rollout (a retry adds a status to it).</summary>
    public GitHubDeployment? GitHubDeployment { get; set; }

    /// <summary>The Flux object's last reported rollout: revision, outcome, when.</summary>
    public (string Revision, bool Succeeded, DateTimeOffset At)? LastFlux { get; set; }

    /// <summary>In the GitOps layout: the application revision the lane's folder names now, the GitOps commit that set it, and how it links the two.</summary>
    public (string Application, string Commit, GitOpsLink Link)? GitOpsBump { get; set; }

    /// <summary>In the GitOps layout: the GitOps commit Flux last applied successfully in this lane.</summary>
    public string? GitOpsApplied { get; set; }

    /// <summary>In the GitOps layout: the repository's head Flux applies for <see cref="GitOpsBump"/> when another folder's bump landed after it.</summary>
    public (string Application, string Commit)? GitOpsHead { get; set; }
}

/// <summary>
/// A cluster that follows the leading one: its own Argo CD Application (or its own Flux), what
/// runs on it, and the revisions waiting for it (in the order the leading cluster went live with them).
/// </summary>
internal sealed class FollowerCluster(string name, ArgoCdApplication? argo)
{
    public string Name { get; } = name;

    /// <summary>Null for a cluster whose Flux rolls out.</summary>
    public ArgoCdApplication? Argo { get; } = argo;

    public string? Live { get; set; }

    /// <summary>Every revision that went live on it.</summary>
    public HashSet<string> Ran { get; } = new(StringComparer.Ordinal);

    /// <summary>The revisions that went live on it, in order (the target of a rollback on this cluster only).</summary>
    public List<string> LiveHistory { get; } = [];

    /// <summary>Flux: its last reported rollout (revision, outcome, when), for the periodic repeat.</summary>
    public (string Revision, bool Succeeded, DateTimeOffset At)? LastFlux { get; set; }

    public List<FollowerSync> Waiting { get; } = [];

    /// <summary>A sync is scheduled or running.</summary>
    public bool Busy { get; set; }
}

/// <summary>A revision a follower is to roll out, not before <paramref name="NotBefore"/>.</summary>
/// <param name="Rollback">The leading cluster rolled back to it (or the follower's own revision broke there): the follower goes back, and skips what waited before it.</param>
/// <param name="Retry">Again after a failed sync (it succeeds).</param>
internal sealed record FollowerSync(string Revision, bool Rollback, bool Retry, DateTimeOffset NotBefore);

/// <summary>A service's way to production: staging, then production, and what is known to be broken.</summary>
internal sealed class Pipeline(Service service, Team team)
{
    public Service Service { get; } = service;

    public Team Team { get; } = team;

    public Lane Staging { get; } = new("staging");

    public Lane Production { get; } = new("production");

    public IEnumerable<Lane> Lanes => [Staging, Production];

    /// <summary>Revisions that broke production: never promoted again.</summary>
    public HashSet<string> Bad { get; } = new(StringComparer.Ordinal);

    /// <summary>The next staging success goes on to production at once (a fix on its way).</summary>
    public bool FastTrack { get; set; }

    public bool PromotionPending { get; set; }

    /// <summary>Incidents that end when a fix (or a rollback) is live in production.</summary>
    public List<SimulatedIncident> AwaitingFix { get; } = [];

    public Lane Lane(string environment) => environment == Staging.Environment ? Staging : Production;
}

/// <summary>Something broke: the alerts that fire for it, and what ends it.</summary>
internal sealed class SimulatedIncident(Pipeline pipeline, string environment)
{
    public Pipeline Pipeline { get; } = pipeline;

    public string Environment { get; } = environment;

    public List<SimulatedAlert> Alerts { get; } = [];

    public bool Resolved { get; set; }

    /// <summary>Ends when this commit is live in production.</summary>
    public string? FixRevision { get; set; }

    /// <summary>Ends when a rollback is live in production.</summary>
    public bool AwaitsRollback { get; set; }
}

/// <summary>An alert as Alertmanager holds it: labels, fingerprint, firing since, resolved at.</summary>
internal sealed class SimulatedAlert(string fingerprint, IReadOnlyDictionary<string, string> labels, DateTimeOffset startsAt, string summary)
{
    public string Fingerprint { get; } = fingerprint;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public DateTimeOffset StartsAt { get; } = startsAt;

    public string Summary { get; } = summary;

    public DateTimeOffset? EndsAt { get; set; }
}
