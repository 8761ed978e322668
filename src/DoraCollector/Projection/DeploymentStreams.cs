namespace DoraCollector.Projection;

/// <summary>
/// Turns the attempts of one service in one environment into deployments (docs/metrics.md, "What is counted"): retried
/// attempts of a failed revision collapse, an attempt of the live revision is a redeploy, and a
/// return to an older revision is a rollback that fails the deployment it replaces.
/// </summary>
internal static class DeploymentStreams
{
    public static List<ProjectedDeployment> Build(string environment, IEnumerable<AttemptFact> attempts)
    {
        var stream = new List<ProjectedDeployment>();
        ProjectedDeployment? live = null;
        ProjectedDeployment? openFailure = null;
        foreach (var attempt in attempts.OrderBy(a => a.FinishedAt).ThenBy(a => a.Id))
        {
            // Attempts of a revision that follow a failed attempt of it are one deployment: it
            // succeeds when a later attempt does, finishing then, and stays failed otherwise.
            if (openFailure is not null && Revisions.Same(attempt.Revision, openFailure.Revision))
            {
                openFailure.Attempts.Add(attempt);
                openFailure.FinishedAt = attempt.FinishedAt;
                if (attempt.Succeeded)
                {
                    openFailure.Succeeded = true;
                    openFailure.Previous = live;
                    live = openFailure;
                    openFailure = null;
                }

                continue;
            }

            openFailure = null;
            var deployment = new ProjectedDeployment(environment, attempt);
            stream.Add(deployment);
            if (live is not null && Revisions.Same(attempt.Revision, live.Revision))
            {
                // The revision is already live: stored, never counted, never moving live's finish.
                deployment.IsRedeploy = true;
                deployment.LiveDeployment = live;
            }
            else if (attempt.Succeeded)
            {
                deployment.Previous = live;
                live = deployment;
            }
            else
            {
                openFailure = deployment;
            }
        }

        return stream;
    }

    /// <summary>
    /// A live deployment is a rollback when the source says so, when its revision is an ancestor of
    /// the one it replaces, or when its revision first went live before the replaced one did.
    /// </summary>
    public static async Task DetectRollbacksAsync(IReadOnlyList<ProjectedDeployment> stream, ICommitGraph graph, CancellationToken ct)
    {
        var firstLive = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var deployment in stream.Where(d => d.IsLive))
        {
            if (deployment.Previous is { } replaced && await IsRollbackAsync(deployment, replaced, firstLive, graph, ct))
            {
                deployment.IsRollback = true;
                replaced.RolledBackBy ??= deployment;
            }

            firstLive.TryAdd(Revisions.Normalize(deployment.Revision), deployment.FinishedAt);
        }
    }

    private static async Task<bool> IsRollbackAsync(
        ProjectedDeployment deployment, ProjectedDeployment replaced, Dictionary<string, DateTimeOffset> firstLive, ICommitGraph graph, CancellationToken ct)
    {
        if (deployment.Attempts.Any(a => a.Succeeded && a.RollbackHint))
        {
            return true;
        }

        if (firstLive.TryGetValue(Revisions.Normalize(deployment.Revision), out var mine)
            && firstLive.TryGetValue(Revisions.Normalize(replaced.Revision), out var theirs)
            && mine < theirs)
        {
            return true;
        }

        return deployment.RepositoryId is int repository
               && replaced.RepositoryId == repository
               && await graph.IsAncestorAsync(repository, deployment.Revision, replaced.Revision, ct) == true;
    }
}
