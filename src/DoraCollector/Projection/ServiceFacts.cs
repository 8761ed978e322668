namespace DoraCollector.Projection;

/// <summary>Everything the sources reported about one service: the input of its projection.</summary>
internal sealed record ServiceFacts(
    int ServiceId,
    int? RepositoryId,
    string? Path,
    IReadOnlyList<AttemptFact> Attempts,
    IReadOnlyList<SignalFact> Signals);

/// <summary>One rollout of a revision to an environment, as a source reported it.</summary>
/// <param name="Key"><c>source:external_id</c>, stable across projections.</param>
/// <param name="RollbackHint">The source itself says this rollout was a rollback.</param>
/// <param name="ExplicitCommits">The commits this rollout brings, when the source lists them.</param>
internal sealed record AttemptFact(
    long Id,
    string Key,
    string ExternalId,
    string Environment,
    int? RepositoryId,
    string Revision,
    bool Succeeded,
    DateTimeOffset? StartedAt,
    DateTimeOffset FinishedAt,
    bool RollbackHint,
    IReadOnlyList<string>? ExplicitCommits);

/// <summary>An alert, incident issue or posted incident of the service.</summary>
/// <param name="Environment">Null when the source names none.</param>
/// <param name="DeploymentRef">An explicit link to a deployment, as the source named it.</param>
/// <param name="RevisionRef">An explicit link to a deployed revision (full or abbreviated SHA).</param>
internal sealed record SignalFact(
    long Id,
    string Key,
    string? Environment,
    DateTimeOffset StartedAt,
    DateTimeOffset? ResolvedAt,
    string? Title,
    string? Severity,
    string? DeploymentRef,
    string? RevisionRef);
