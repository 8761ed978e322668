namespace DoraCollector.Projection;

/// <summary>
/// Judges each deployment of a stream once changes and incidents are known (docs/metrics.md, "What is counted"):
/// which are failed deployments, which are rework, and when each failure was recovered.
/// </summary>
internal static class FailureRules
{
    public static void Apply(IReadOnlyList<ProjectedDeployment> stream)
    {
        var counted = stream.Where(d => !d.IsRedeploy).ToList();
        var live = counted.Where(d => d.Succeeded).ToList();

        foreach (var deployment in counted)
        {
            (deployment.IsFailed, deployment.FailureReason) = FailureOf(deployment, NextLive(live, deployment));
            deployment.FailureCluster = Named(ClusterOf(deployment));
        }

        foreach (var deployment in live)
        {
            deployment.ReworkReason = ReworkOf(deployment);
            deployment.IsRework = deployment.ReworkReason is not null;
        }

        foreach (var deployment in counted.Where(d => d.IsFailed))
        {
            deployment.RecoveredAt = RecoveryOf(deployment, live);
        }
    }

    // A failed rollout, on any cluster; a live deployment rolled back on any cluster, or that an
    // incident is attributed to, or whose next deployment brings a revert or hotfix.
    private static (bool, string?) FailureOf(ProjectedDeployment deployment, ProjectedDeployment? next)
    {
        if (deployment.Runs.Any(r => !r.Succeeded))
        {
            return (true, "outcome");
        }

        if (deployment.RolledBackBy is not null)
        {
            return (true, "rolled_back");
        }

        if (deployment.Incidents.Count > 0)
        {
            return (true, "incident");
        }

        if (next is not null && next.Changes.Any(c => c.IsFirst && c.IsRevert))
        {
            return (true, "revert");
        }

        return next is not null && next.Changes.Any(c => c.IsFirst && c.IsHotfix) ? (true, "hotfix") : (false, null);
    }

    // Where the failure was seen: the cluster it failed or was rolled back on, or the incident's.
    private static string? ClusterOf(ProjectedDeployment deployment) => deployment.FailureReason switch
    {
        "outcome" => deployment.Runs.First(r => !r.Succeeded).Cluster,
        "rolled_back" => deployment.RolledBackOn,
        "incident" => deployment.Incidents.Select(i => i.Cluster).FirstOrDefault(c => c is not null),
        _ => null,
    };

    private static string? Named(string? cluster) => string.IsNullOrEmpty(cluster) ? null : cluster;

    // A rollback; a deployment that brings a revert or hotfix; or the first deployment after a
    // failed one while that one's incident is still open.
    private static string? ReworkOf(ProjectedDeployment deployment)
    {
        if (deployment.IsRollback)
        {
            return "rollback";
        }

        if (deployment.Changes.Any(c => c.IsFirst && c.IsRevert))
        {
            return "revert";
        }

        if (deployment.Changes.Any(c => c.IsFirst && c.IsHotfix))
        {
            return "hotfix";
        }

        return deployment.Previous is { IsFailed: true } previous && previous.Incidents.Any(i => i.IsOpenAt(deployment.FinishedAt))
            ? "incident_fix"
            : null;
    }

    // The earlier of: the resolution of the incidents attributed to it (all of them), and the
    // finish of the next live deployment that is not itself failed.
    private static DateTimeOffset? RecoveryOf(ProjectedDeployment failed, List<ProjectedDeployment> live)
    {
        DateTimeOffset? incidentsResolved = failed.Incidents.Count > 0 && failed.Incidents.All(i => i.ResolvedAt is not null)
            ? failed.Incidents.Max(i => i.ResolvedAt)
            : null;
        var nextGood = live.FirstOrDefault(d => After(d, failed) && !d.IsFailed)?.FinishedAt;
        return (incidentsResolved, nextGood) switch
        {
            ({ } a, { } b) => a <= b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
    }

    private static ProjectedDeployment? NextLive(List<ProjectedDeployment> live, ProjectedDeployment deployment) =>
        live.FirstOrDefault(d => After(d, deployment));

    private static bool After(ProjectedDeployment candidate, ProjectedDeployment deployment) =>
        !ReferenceEquals(candidate, deployment) && candidate.FinishedAt >= deployment.FinishedAt
        && (candidate.FinishedAt > deployment.FinishedAt || candidate.Attempts[0].Id > deployment.Attempts[0].Id);
}
