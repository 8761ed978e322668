namespace DoraCollector.Ingestion;

/// <summary>A commit as sources report it. SHAs are lower-case hex.</summary>
/// <param name="Paths">Files it touched; null when the source does not say.</param>
internal sealed record CommitRow(
    string Sha,
    IReadOnlyList<string> Parents,
    DateTimeOffset AuthoredAt,
    DateTimeOffset CommittedAt,
    string? Author,
    string? Message,
    IReadOnlyList<string>? Paths = null);

/// <summary>A pull request; <paramref name="Commits"/> are the SHAs that belong to it (its own and rebased copies).</summary>
internal sealed record PullRequestRow(
    int Number,
    string? Title,
    string? Url,
    string? Author,
    string? BaseBranch,
    string State,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MergedAt,
    DateTimeOffset? ClosedAt,
    string? MergeCommitSha,
    DateTimeOffset? FirstCommitAt,
    DateTimeOffset? FirstReviewAt,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Commits,
    DateTimeOffset UpdatedAt);

/// <summary>One rollout of a revision of a service to an environment.</summary>
/// <param name="KeepStoredHint">The source cannot tell now whether it was a rollback: a stored attempt keeps its hint.</param>
/// <param name="Cluster">Where it ran; empty when the source names no cluster.</param>
/// <param name="ApplicationRevision">
/// The application's commit the rollout runs, when the source links it (docs/metrics.md, "GitOps
/// repositories and promotion"); null: the projection resolves it. A stored link is kept when the
/// same attempt is reported again without one (a poll after the notification that carried it).
/// </param>
/// <param name="ApplicationRepositoryId">The repository of <paramref name="ApplicationRevision"/>; null: the service's own.</param>
/// <param name="SourcePath">
/// The folder of the configuration repository it deployed (Argo CD's <c>spec.source.path</c>, a Flux
/// Kustomization's <c>spec.path</c>); null when the source does not say, which keeps a stored one.
/// </param>
/// <param name="Resolution">How the source found the link (<c>Projection.ResolutionMethods.Found</c>); null: <c>explicit</c>.</param>
internal sealed record AttemptRow(
    string Source,
    string ExternalId,
    int ServiceId,
    string Environment,
    int? RepositoryId,
    string Revision,
    bool Succeeded,
    DateTimeOffset? StartedAt,
    DateTimeOffset FinishedAt,
    bool RollbackHint = false,
    IReadOnlyList<string>? ExplicitCommits = null,
    string? DetailsJson = null,
    long? RawEventId = null,
    bool KeepStoredHint = false,
    string Cluster = "",
    string? ApplicationRevision = null,
    int? ApplicationRepositoryId = null,
    string? Resolution = null,
    string? SourcePath = null);

/// <summary>An alert, incident issue or posted incident; <paramref name="ServiceId"/> null when no service matched.</summary>
/// <param name="Cluster">The cluster it was seen on; empty when the source names none.</param>
internal sealed record SignalRow(
    string Source,
    string ExternalId,
    int? ServiceId,
    string? ServiceHint,
    string? Environment,
    string? Title,
    string? Severity,
    string? Url,
    DateTimeOffset StartedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? LastSeenAt = null,
    string? ClosedBy = null,
    string? DeploymentRef = null,
    string? RevisionRef = null,
    string? LabelsJson = null,
    long? RawEventId = null,
    string Cluster = "");

/// <summary>The monorepo paths a stored commit touches (empty: none of them).</summary>
internal sealed record CommitPathsRow(string Sha, IReadOnlyList<string> Paths);

/// <summary>A stored attempt next to an instant in its stream; <see cref="After"/> when it comes after the instant.</summary>
internal sealed record StoredAttempt
{
    public bool After { get; init; }
    public string ExternalId { get; init; } = "";
    public string Revision { get; init; } = "";
    public bool Succeeded { get; init; }
    public bool RollbackHint { get; init; }
    public string? SourcePath { get; init; }
}

/// <summary>An incident signal as stored while it is open.</summary>
internal sealed record OpenSignalRow
{
    public int? ServiceId { get; init; }
    public string? ServiceHint { get; init; }
    public string? Environment { get; init; }
    public string Cluster { get; init; } = "";
    public string? Title { get; init; }
    public string? Severity { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public string? DeploymentRef { get; init; }
    public string? RevisionRef { get; init; }
    public string? Labels { get; init; }
}
