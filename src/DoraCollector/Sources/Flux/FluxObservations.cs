namespace DoraCollector.Sources.Flux;

/// <summary>One thing Flux said about a rollout of an object: revision, outcome and when.</summary>
/// <param name="Object"><c>Kind/namespace/name</c>.</param>
internal sealed record FluxObservation(
    string Object, string Kind, string Namespace, string Name, string Revision, bool Succeeded, DateTimeOffset At,
    bool RollbackHint, string? Reason, string? Message);

/// <summary>
/// Reads rollouts out of events and Kustomization snapshots (pure). Events: a success reason
/// (<c>ReconciliationSucceeded</c>, <c>InstallSucceeded</c>, <c>UpgradeSucceeded</c>, …) with a
/// revision is a successful rollout, any <c>error</c> event a failed one, the rest (progress,
/// dependencies, source objects) says nothing about a rollout. Kustomizations: each history
/// entry is a rollout at its <c>firstReconciled</c>, else the applied revision at the Ready
/// transition; Ready=False is a failed rollout of the attempted revision. Repeats of the same
/// rollout are folded by <see cref="FluxAttemptStream"/>.
/// </summary>
internal static class FluxObservations
{
    public static readonly HashSet<string> RolloutKinds = new(StringComparer.Ordinal) { "Kustomization", "HelmRelease" };

    private static readonly HashSet<string> SuccessReasons = new(StringComparer.Ordinal)
    {
        "ReconciliationSucceeded", "InstallSucceeded", "UpgradeSucceeded", "RollbackSucceeded", "TestSucceeded",
    };

    // Not rollouts of the object's revision: it waits for another object, or is being deleted.
    private static readonly HashSet<string> NotRolloutReasons = new(StringComparer.Ordinal)
    {
        "DependencyNotReady", "UninstallSucceeded", "UninstallFailed",
    };

    public static FluxObservation? Of(FluxEvent e)
    {
        var involved = e.InvolvedObject;
        if (involved?.Kind is not { } kind || !RolloutKinds.Contains(kind) || string.IsNullOrEmpty(involved.Name) || e.Timestamp is not { } at)
        {
            return null;
        }

        var reason = e.Reason ?? "";
        var failed = string.Equals(e.Severity, "error", StringComparison.OrdinalIgnoreCase);
        var succeeded = string.Equals(e.Severity, "info", StringComparison.OrdinalIgnoreCase) && SuccessReasons.Contains(reason);
        if (NotRolloutReasons.Contains(reason) || (!failed && !succeeded))
        {
            return null;
        }

        var revision = FluxRevisions.Parse(kind, Metadata(e, "revision"), Metadata(e, "originRevision"), Metadata(e, "token"));
        if (revision is null)
        {
            return null;
        }

        var ns = involved.Namespace ?? "";
        return new FluxObservation(
            ObjectKey(kind, ns, involved.Name), kind, ns, involved.Name, revision, !failed, at,
            // helm-controller's remediation: the failed upgrade was rolled back to the previous release.
            !failed && reason == "RollbackSucceeded", reason, e.Message);
    }

    public static IReadOnlyList<FluxObservation> Of(FluxKustomization k)
    {
        const string kind = "Kustomization";
        if (k.Metadata?.Name is not { Length: > 0 } name)
        {
            return [];
        }

        var ns = k.Metadata.Namespace ?? "";
        var key = ObjectKey(kind, ns, name);
        var status = k.Status;
        var observed = new List<FluxObservation>();
        foreach (var entry in status?.History ?? [])
        {
            if (entry.FirstReconciled is { } at
                && FluxRevisions.Parse(kind, entry.Metadata?.GetValueOrDefault("revision"), entry.Metadata?.GetValueOrDefault("originRevision"), null) is { } revision)
            {
                var succeeded = entry.LastReconciledStatus is null or "ReconciliationSucceeded";
                observed.Add(new FluxObservation(key, kind, ns, name, revision, succeeded, at, false, entry.LastReconciledStatus, null));
            }
        }

        var ready = status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready?.LastTransitionTime is { } since)
        {
            if (observed.Count == 0 && ready.Status == "True"
                && FluxRevisions.Parse(kind, status!.LastAppliedRevision, status.LastAppliedOriginRevision, null) is { } applied)
            {
                observed.Add(new FluxObservation(key, kind, ns, name, applied, true, since, false, ready.Reason, null));
            }

            if (ready.Status == "False" && !NotRolloutReasons.Contains(ready.Reason ?? "")
                && FluxRevisions.Parse(kind, status!.LastAttemptedRevision, null, null) is { } attempted)
            {
                observed.Add(new FluxObservation(key, kind, ns, name, attempted, false, since, false, ready.Reason, null));
            }
        }

        return observed.OrderBy(o => o.At).ToList();
    }

    public static string ObjectKey(string kind, string @namespace, string name) => $"{kind}/{@namespace}/{name}";

    /// <summary>A metadata value under its plain key or prefixed with an API group (<c>kustomize.toolkit.fluxcd.io/revision</c>).</summary>
    public static string? Metadata(FluxEvent e, string key)
    {
        if (e.Metadata is not { } metadata)
        {
            return null;
        }

        if (metadata.TryGetValue(key, out var plain) && !string.IsNullOrWhiteSpace(plain))
        {
            return plain;
        }

        return metadata.FirstOrDefault(m => m.Key.EndsWith("/" + key, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(m.Value)).Value;
    }
}
