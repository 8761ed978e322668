using System.Text.Json.Serialization;

namespace DoraCollector.Sources.ArgoCd;

// The parts of an Argo CD Application (argoproj.io/v1alpha1) that say what was rolled out, when
// and how. The same shape arrives from the Argo CD API, from the Kubernetes API and, through the
// shipped notification template, from the webhook. Field meanings from Argo CD's types.go.

/// <param name="ApplicationRevision">
/// Not part of an Application: a notification template may add it beside the Application's fields
/// to link the rollout of the current operation to the application's commit (docs/metrics.md,
/// "GitOps repositories and promotion"). A polled or watched snapshot never has it.
/// </param>
/// <param name="ApplicationRepository">The repository of <paramref name="ApplicationRevision"/>: <c>owner/name</c> or a Git URL.</param>
internal sealed record ArgoApplication(
    ArgoMetadata? Metadata, ArgoSpec? Spec, ArgoStatus? Status, string? ApplicationRevision = null, string? ApplicationRepository = null);

/// <param name="Namespace">Where the Application object lives (the Argo CD namespace, or any with apps-in-any-namespace).</param>
/// <param name="OwnerReferences">Set on an Application an ApplicationSet generated: the ApplicationSet owns it.</param>
internal sealed record ArgoMetadata(
    string? Name, string? Namespace, string? Uid, Dictionary<string, string>? Labels, List<ArgoOwnerReference>? OwnerReferences = null);

/// <param name="Kind"><c>ApplicationSet</c> for a generated Application.</param>
internal sealed record ArgoOwnerReference(string? ApiVersion, string? Kind, string? Name);

/// <param name="Source">Single-source applications.</param>
/// <param name="Sources">Multi-source applications: several repositories or charts rolled out together.</param>
internal sealed record ArgoSpec(string? Project, ArgoDestination? Destination, ArgoSource? Source, List<ArgoSource>? Sources);

/// <param name="Server">Cluster API URL; <paramref name="Name"/> is the cluster's name in Argo CD, set instead of it.</param>
internal sealed record ArgoDestination(string? Server, string? Name, string? Namespace);

/// <param name="RepoUrl">Git repository, Helm repository or OCI registry.</param>
/// <param name="Path">Folder inside a Git repository; empty for Helm charts.</param>
/// <param name="Chart">Helm chart name when <paramref name="RepoUrl"/> is a chart repository; the revision is then a chart version.</param>
/// <param name="Ref">Set on a source that only provides value files to the others (<c>$ref/…</c>).</param>
internal sealed record ArgoSource(
    [property: JsonPropertyName("repoURL")] string? RepoUrl, string? Path, string? TargetRevision, string? Chart, string? Ref, string? Name);

/// <param name="History">Successful whole-application syncs, oldest first, at most <c>revisionHistoryLimit</c>.</param>
/// <param name="OperationState">The last or current operation (sync, rollback), including failed ones.</param>
/// <param name="Sync">What the target resolves to now; only the webhook body carries it (it changes with every commit).</param>
/// <param name="Summary">What the live resources run now; history entries carry no images.</param>
internal sealed record ArgoStatus(List<ArgoHistoryEntry>? History, ArgoOperationState? OperationState, ArgoSyncStatus? Sync, ArgoSummary? Summary = null);

/// <param name="Images">The container images of the Application's live workloads (<c>registry/repository:tag</c>), deduplicated by Argo CD.</param>
internal sealed record ArgoSummary(List<string>? Images);

/// <param name="Id">Increases by one per entry, so a jump between two reads means entries were dropped.</param>
/// <param name="Revision">Commit SHA (or chart version) of a single-source application.</param>
/// <param name="Revisions">One revision per source of a multi-source application, in the order of <paramref name="Sources"/>.</param>
/// <param name="DeployedAt">When the sync finished and the entry was recorded.</param>
/// <param name="DeployStartedAt">When the sync operation started: the operation's <c>startedAt</c>.</param>
internal sealed record ArgoHistoryEntry(
    long? Id, string? Revision, List<string>? Revisions, DateTimeOffset? DeployedAt, DateTimeOffset? DeployStartedAt,
    ArgoSource? Source, List<ArgoSource>? Sources, ArgoInitiator? InitiatedBy);

/// <param name="Phase"><c>Running</c>, <c>Terminating</c>, or terminal: <c>Succeeded</c>, <c>Failed</c>, <c>Error</c>.</param>
/// <param name="RetryCount">Retries of this operation so far (<c>syncPolicy.retry</c>); it keeps its <c>startedAt</c>.</param>
internal sealed record ArgoOperationState(
    ArgoOperation? Operation, string? Phase, string? Message, ArgoSyncResult? SyncResult, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, long? RetryCount);

internal sealed record ArgoOperation(ArgoSyncOperation? Sync, ArgoInitiator? InitiatedBy);

/// <param name="Revision">What was asked for: the resolved commit for automated syncs and the UI.</param>
/// <param name="Source">Set only by a rollback, which syncs an earlier history entry's source.</param>
/// <param name="Resources">Set only by a partial sync of some resources, which never reaches the history.</param>
internal sealed record ArgoSyncOperation(
    string? Revision, List<string>? Revisions, ArgoSource? Source, List<ArgoSource>? Sources, bool? DryRun, List<ArgoSyncResource>? Resources);

internal sealed record ArgoSyncResource(string? Group, string? Kind, string? Name, string? Namespace);

/// <param name="Revision">The revision the operation actually rendered and applied.</param>
internal sealed record ArgoSyncResult(string? Revision, List<string>? Revisions, ArgoSource? Source, List<ArgoSource>? Sources);

/// <param name="Automated">True for automated sync (including self-heal); else <paramref name="Username"/> names who started it.</param>
internal sealed record ArgoInitiator(string? Username, bool? Automated);

internal sealed record ArgoSyncStatus(string? Revision, List<string>? Revisions);
