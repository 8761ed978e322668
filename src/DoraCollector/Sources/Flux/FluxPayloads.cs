namespace DoraCollector.Sources.Flux;

// What the notification-controller posts (fluxcd/pkg apis/event/v1beta1 Event) and the parts of a
// Kustomization (kustomize.toolkit.fluxcd.io/v1) that say what was applied when.

/// <param name="InvolvedObject">The Flux object the event is about: a Kustomization, a HelmRelease, a source.</param>
/// <param name="Severity"><c>trace</c>, <c>info</c> or <c>error</c> (a Kubernetes Warning event).</param>
/// <param name="Reason">The Ready condition's reason: <c>ReconciliationSucceeded</c>, <c>UpgradeSucceeded</c>, <c>HealthCheckFailed</c>, …</param>
/// <param name="Metadata">
/// <c>revision</c> (and <c>originRevision</c>, <c>token</c>, <c>commit_status</c>), prefixed with the
/// controller's API group by older notification-controllers (<c>kustomize.toolkit.fluxcd.io/revision</c>),
/// merged with the Alert's <c>eventMetadata</c> and the object's <c>event.toolkit.fluxcd.io/*</c> annotations.
/// </param>
internal sealed record FluxEvent(
    FluxObjectReference? InvolvedObject, string? Severity, DateTimeOffset? Timestamp, string? Message, string? Reason,
    Dictionary<string, string>? Metadata, string? ReportingController, string? ReportingInstance);

internal sealed record FluxObjectReference(string? Kind, string? Namespace, string? Name, string? Uid, string? ApiVersion);

/// <param name="Cluster">
/// Not Flux's: the entry of <c>Dora:Kubernetes:Clusters</c> the object was read from, kept with the
/// snapshot; null for the implicit cluster (so snapshots of one cluster are stored as before).
/// </param>
/// <param name="Images">
/// Not Flux's: the images the workloads it applied run at its <c>lastAppliedRevision</c>, read
/// by <see cref="FluxWorkloadImages"/>; null when they were not read.
/// </param>
internal sealed record FluxKustomization(
    FluxObjectMeta? Metadata, FluxKustomizationStatus? Status, string? Cluster = null, List<string>? Images = null)
{
    /// <summary>Only <c>spec.path</c> is kept.</summary>
    public FluxKustomizationSpec? Spec { get; init; }
}

/// <param name="Path">The folder of the source's artifact it applies (<c>./apps/checkout/production</c>); the root when empty.</param>
internal sealed record FluxKustomizationSpec(string? Path);

/// <param name="Annotations">Only <c>event.toolkit.fluxcd.io/*</c> are kept: Flux adds them to the object's events as metadata.</param>
internal sealed record FluxObjectMeta(string? Name, string? Namespace, Dictionary<string, string>? Labels, Dictionary<string, string>? Annotations);

/// <param name="LastAppliedRevision">The source revision last applied successfully, e.g. <c>main@sha1:&lt;sha&gt;</c>.</param>
/// <param name="LastAttemptedRevision">The revision of the last attempt, applied or not.</param>
/// <param name="LastAppliedOriginRevision">For an OCI source, the Git revision the artifact was built from.</param>
/// <param name="History">The last five distinct applied states (by digest of the applied objects), newest first.</param>
internal sealed record FluxKustomizationStatus(
    string? LastAppliedRevision, string? LastAttemptedRevision, string? LastAppliedOriginRevision,
    List<FluxCondition>? Conditions, List<FluxHistoryEntry>? History);

/// <param name="LastTransitionTime">When <paramref name="Status"/> last changed (True, False, Unknown).</param>
internal sealed record FluxCondition(string? Type, string? Status, string? Reason, DateTimeOffset? LastTransitionTime);

/// <param name="Digest">Digest of the applied objects: a new entry means something new was applied.</param>
/// <param name="FirstReconciled">When this state was first applied: the rollout's time.</param>
/// <param name="LastReconciledStatus">The Ready reason of the latest reconcile of this state.</param>
/// <param name="Metadata"><c>revision</c> (and <c>originRevision</c>) of the source.</param>
internal sealed record FluxHistoryEntry(
    string? Digest, DateTimeOffset? FirstReconciled, string? LastReconciledStatus, Dictionary<string, string>? Metadata);
