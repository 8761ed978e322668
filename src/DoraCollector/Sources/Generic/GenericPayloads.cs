using System.Text.Json.Serialization;

namespace DoraCollector.Sources.Generic;

/// <summary>A deployment posted to <c>POST /api/v1/deployments</c>, validated and normalised.</summary>
/// <param name="Commits">The commits this deployment brings relative to the previous one; null: resolve from stored commits.</param>
/// <param name="Cluster">Where it ran, when the environment runs on several clusters; null: the one implicit cluster.</param>
/// <param name="ApplicationRevision">
/// The application's commit the deployment runs, when <paramref name="Revision"/> is a commit of a
/// GitOps repository (docs/metrics.md, "GitOps repositories and promotion"); null: the same.
/// </param>
/// <param name="ApplicationRepository">The repository of <paramref name="ApplicationRevision"/>; null: the service's own.</param>
internal sealed record GenericDeployment(
    string Id,
    string Service,
    string? Team,
    string Environment,
    string? Repository,
    string Revision,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<GenericCommit>? Commits,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cluster = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApplicationRevision = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApplicationRepository = null);

internal sealed record GenericCommit(
    string Sha,
    DateTimeOffset AuthoredAt,
    DateTimeOffset? CommittedAt,
    string? Message,
    GenericPullRequest? PullRequest);

internal sealed record GenericPullRequest(
    int Number,
    string? Title,
    string? Url,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MergedAt,
    DateTimeOffset? FirstCommitAt,
    IReadOnlyList<string> Labels);

/// <summary>An incident posted to <c>POST /api/v1/incidents</c>; posting the same id again updates it.</summary>
/// <param name="Cluster">The cluster it was seen on, if the sender knows; null otherwise.</param>
internal sealed record GenericIncident(
    string Id,
    string Service,
    string? Environment,
    string? Title,
    string? Severity,
    DateTimeOffset StartedAt,
    DateTimeOffset? ResolvedAt,
    string? DeploymentId,
    string? Revision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cluster = null);
