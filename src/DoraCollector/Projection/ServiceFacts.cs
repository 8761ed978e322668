namespace DoraCollector.Projection;

/// <summary>Everything the sources reported about one service: the input of its projection.</summary>
internal sealed record ServiceFacts(
    int ServiceId,
    int? RepositoryId,
    string? Path,
    IReadOnlyList<AttemptFact> Attempts,
    IReadOnlyList<SignalFact> Signals);

/// <summary>One rollout of a revision to an environment, as a source reported it.</summary>
internal sealed record AttemptFact
{
    public long Id { get; init; }

    /// <summary><c>source:external_id</c>, stable across projections.</summary>
    public string Key { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public string Environment { get; init; } = "";

    /// <summary>Where it ran; empty when the source names no cluster (one implicit cluster).</summary>
    public string Cluster { get; init; } = "";
    public int? RepositoryId { get; init; }
    public string Revision { get; init; } = "";
    public bool Succeeded { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The source itself says this rollout was a rollback.</summary>
    public bool RollbackHint { get; init; }

    /// <summary>The commits this rollout brings, when the source lists them (even none).</summary>
    public IReadOnlyList<string>? ExplicitCommits { get; init; }

    /// <summary>
    /// The commit of the application's own repository the rollout runs: as a source linked it
    /// (null when none did), then as <see cref="ApplicationResolution"/> decided it (null: unresolved).
    /// For a same-repository attempt it is <see cref="Revision"/>.
    /// </summary>
    public string? ApplicationRevision { get; init; }

    /// <summary>The repository of <see cref="ApplicationRevision"/>; null: the service's own.</summary>
    public int? ApplicationRepositoryId { get; init; }

    /// <summary>How <see cref="ApplicationRevision"/> was found (<see cref="ResolutionMethods"/>); null until decided, unless a source linked it.</summary>
    public string? Resolution { get; init; }

    /// <summary>Resolved to a commit of the application's repository (every method but unresolved).</summary>
    public bool IsResolved => ApplicationRevision is not null;
}

/// <summary>An alert, incident issue or posted incident of the service.</summary>
internal sealed record SignalFact
{
    public long Id { get; init; }
    public string Key { get; init; } = "";

    /// <summary>Null when the source names none.</summary>
    public string? Environment { get; init; }

    /// <summary>The cluster it was seen on; empty when the source names none.</summary>
    public string Cluster { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? Title { get; init; }
    public string? Severity { get; init; }

    /// <summary>An explicit link to a deployment, as the source named it.</summary>
    public string? DeploymentRef { get; init; }

    /// <summary>An explicit link to a deployed revision (full or abbreviated SHA).</summary>
    public string? RevisionRef { get; init; }
}
