namespace DoraCollector.Simulator.Truth;

/// <summary>
/// The deployments of one service in one environment that runs on several clusters
/// (docs/metrics.md, "Clusters"): one deployment per revision reaching the environment, whatever
/// number of clusters run it. Each cluster keeps its own stream for retries (collapsed after a
/// failed attempt), redeploys (the revision it runs already) and rollbacks (moving to a revision
/// older than the one it ran); a cluster catching up to a revision the environment has joins that
/// revision's latest deployment, unless it took part in it already. A deployment goes live when
/// its first cluster succeeds, and fails its rollout when a cluster's last attempt of it failed.
/// </summary>
internal static class ClusterStream
{
    private sealed class ClusterState
    {
        /// <summary>The deployment whose revision runs on the cluster.</summary>
        public TruthDeployment? Live { get; set; }

        /// <summary>The deployment the cluster's last attempt failed for: a next attempt of its revision is a retry.</summary>
        public TruthDeployment? Retrying { get; set; }
    }

    /// <param name="attempts">In the order they finished.</param>
    public static List<TruthDeployment> Build(string service, string environment, IEnumerable<AttemptFact> attempts, RepositoryHistory? repository)
    {
        var stream = new List<TruthDeployment>();
        var clusters = new Dictionary<string, ClusterState>(StringComparer.Ordinal);
        var latest = new Dictionary<string, TruthDeployment>(StringComparer.OrdinalIgnoreCase);
        var firstLive = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        // The clusters that took part in a deployment, and whether each one's last attempt of it succeeded.
        var outcomes = new Dictionary<TruthDeployment, Dictionary<string, bool>>(ReferenceEqualityComparer.Instance);

        foreach (var attempt in attempts)
        {
            var name = attempt.Cluster ?? "";
            if (!clusters.TryGetValue(name, out var cluster))
            {
                clusters[name] = cluster = new ClusterState();
            }

            TruthDeployment deployment;
            if (cluster.Retrying is { } retrying && TruthEngine.SameRevision(attempt.Revision, retrying.Revision))
            {
                deployment = retrying;
                deployment.Attempts.Add(attempt);
            }
            else if (cluster.Live is { } running && TruthEngine.SameRevision(attempt.Revision, running.Revision))
            {
                // A redeploy is the cluster's own business: stored, never counted.
                cluster.Retrying = null;
                stream.Add(new TruthDeployment(service, environment, attempt) { IsRedeploy = true });
                continue;
            }
            else if (Latest(latest, attempt.Revision) is { } known && !outcomes[known].ContainsKey(name))
            {
                // Catching up: the environment has this revision already.
                deployment = known;
                deployment.Attempts.Add(attempt);
            }
            else
            {
                deployment = new TruthDeployment(service, environment, attempt) { Succeeded = false };
                stream.Add(deployment);
                outcomes[deployment] = new Dictionary<string, bool>(StringComparer.Ordinal);
                latest[attempt.Revision] = deployment;
            }

            outcomes[deployment][name] = attempt.Succeeded;
            if (!attempt.Succeeded)
            {
                cluster.Retrying = deployment;
                if (!deployment.Succeeded)
                {
                    deployment.FinishedAt = attempt.FinishedAt;
                }

                continue;
            }

            cluster.Retrying = null;
            var replaced = cluster.Live;
            var goesLive = !deployment.Succeeded;
            if (goesLive)
            {
                deployment.Succeeded = true;
                deployment.FinishedAt = attempt.FinishedAt;
                deployment.Previous = replaced;
            }

            if (replaced is not null && IsOlder(attempt, replaced, firstLive, repository))
            {
                replaced.RolledBackBy ??= deployment;
                deployment.IsRollback |= goesLive;
            }

            firstLive.TryAdd(deployment.Revision, deployment.FinishedAt);
            cluster.Live = deployment;
        }

        foreach (var (deployment, byCluster) in outcomes)
        {
            deployment.FailedOnCluster = byCluster.Where(c => !c.Value).Select(c => c.Key).Order(StringComparer.Ordinal).FirstOrDefault();
        }

        return stream.OrderBy(d => d.FinishedAt).ThenBy(d => d.Attempts[0].Sequence).ToList();
    }

    private static TruthDeployment? Latest(Dictionary<string, TruthDeployment> latest, string revision) =>
        latest.TryGetValue(revision, out var exact) ? exact : latest.Where(l => TruthEngine.SameRevision(l.Key, revision)).Select(l => l.Value).LastOrDefault();

    /// <summary>A rollback on the cluster: the source says so, or the revision first went live before the replaced one's, or is its ancestor.</summary>
    private static bool IsOlder(AttemptFact attempt, TruthDeployment replaced, Dictionary<string, DateTimeOffset> firstLive, RepositoryHistory? repository) =>
        attempt.RollbackHint
        || (firstLive.TryGetValue(attempt.Revision, out var mine) && firstLive.TryGetValue(replaced.Revision, out var theirs) && mine < theirs)
        || (repository is not null && CommitWalk.IsAncestor(repository, attempt.Revision, replaced.Revision));
}
