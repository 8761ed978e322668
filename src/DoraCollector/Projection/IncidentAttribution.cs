namespace DoraCollector.Projection;

/// <summary>
/// An incident is attributed to the latest live deployment of its service, in its environment,
/// that finished before it started and at most the attribution window earlier (redeploys never);
/// an explicit link from the source (a deployment id or a revision) wins over that rule.
/// An incident whose source names no environment looks among the production environments. An
/// incident whose signals name a cluster is attributed within that cluster's stream first: to the
/// deployment whose run went live on that cluster latest before it started (docs/metrics.md, "Clusters").
/// </summary>
internal static class IncidentAttribution
{
    public static void Attribute(IReadOnlyList<ProjectedIncident> incidents, IReadOnlyList<ProjectedDeployment> deployments, ProjectionRules rules)
    {
        foreach (var incident in incidents)
        {
            var candidates = deployments
                .Where(d => d.IsLive && (incident.Environment is { } environment
                    ? string.Equals(d.Environment, environment, StringComparison.Ordinal)
                    : rules.IsProduction(d.Environment)))
                .OrderBy(d => d.FinishedAt)
                .ToList();

            var (deployment, how) = Explicit(incident, deployments, candidates) is { } linked
                ? (linked, "explicit")
                : (ByCluster(incident, candidates, rules.AttributionWindow) ?? ByRule(incident, candidates, rules.AttributionWindow), "rule");
            incident.Environment ??= deployment?.Environment ?? rules.DefaultIncidentEnvironment;
            if (deployment is null)
            {
                continue;
            }

            incident.Deployment = deployment;
            incident.Attribution = how;
            deployment.Incidents.Add(incident);
        }
    }

    private static ProjectedDeployment? ByRule(ProjectedIncident incident, List<ProjectedDeployment> candidates, TimeSpan window) =>
        candidates.LastOrDefault(d => d.FinishedAt < incident.StartedAt && incident.StartedAt - d.FinishedAt <= window);

    private static ProjectedDeployment? ByCluster(ProjectedIncident incident, List<ProjectedDeployment> candidates, TimeSpan window)
    {
        if (incident.Cluster is not { } cluster)
        {
            return null;
        }

        return candidates
            .SelectMany(d => d.Runs.Where(r => r.Succeeded && string.Equals(r.Cluster, cluster, StringComparison.Ordinal)))
            .Where(r => r.FinishedAt < incident.StartedAt && incident.StartedAt - r.FinishedAt <= window)
            .OrderBy(r => r.FinishedAt).ThenBy(r => r.Attempts[0].Id)
            .LastOrDefault()?.Deployment;
    }

    private static ProjectedDeployment? Explicit(
        ProjectedIncident incident, IReadOnlyList<ProjectedDeployment> all, List<ProjectedDeployment> candidates)
    {
        foreach (var signal in incident.Signals.OrderBy(s => s.StartedAt))
        {
            if (!string.IsNullOrWhiteSpace(signal.DeploymentRef))
            {
                var named = all.FirstOrDefault(d => d.Key == signal.DeploymentRef
                    || d.Attempts.Any(a => a.ExternalId == signal.DeploymentRef || a.Key == signal.DeploymentRef));
                if (named is not null)
                {
                    return named.IsRedeploy ? named.LiveDeployment : named;
                }
            }

            if (!string.IsNullOrWhiteSpace(signal.RevisionRef))
            {
                var matching = (candidates.Count > 0 ? candidates : all.Where(d => d.IsLive).OrderBy(d => d.FinishedAt).ToList())
                    // Either revision: the configuration one a GitOps tool reports, or the application's commit.
                    .Where(d => Revisions.Same(d.Revision, signal.RevisionRef)
                                || (d.ApplicationRevision is { } application && Revisions.Same(application, signal.RevisionRef)))
                    .ToList();
                var before = matching.LastOrDefault(d => d.FinishedAt <= incident.StartedAt);
                if ((before ?? matching.LastOrDefault()) is { } revision)
                {
                    return revision;
                }
            }
        }

        return null;
    }
}
