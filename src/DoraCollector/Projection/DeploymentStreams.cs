namespace DoraCollector.Projection;

/// <summary>
/// Turns the attempts of one service in one environment into deployments (docs/metrics.md, "What is
/// counted" and "Clusters"). Each cluster has its own stream: retried attempts of a failed revision
/// collapse, an attempt of the revision the cluster runs is a redeploy, and a cluster moving to an
/// older revision than it ran is a rollback that fails the deployment it replaces. Runs of one
/// revision on different clusters are one deployment: a cluster catching up to a revision the
/// environment already has joins that deployment. Attempts without a cluster are one implicit cluster.
/// "The same revision" is the same release (<see cref="Releases"/>): the same application revision,
/// so a configuration-only change is a redeploy unless configuration changes are counted.
/// </summary>
internal static class DeploymentStreams
{
    public static async Task<List<ProjectedDeployment>> BuildAsync(
        string environment, IEnumerable<AttemptFact> attempts, ICommitGraph graph, ProjectionRules rules, CancellationToken ct)
    {
        var runs = attempts
            .GroupBy(a => a.Cluster, StringComparer.Ordinal)
            .SelectMany(cluster => ClusterStream(cluster, rules.CountConfigurationChanges))
            .OrderBy(r => r.Attempts[0].FinishedAt).ThenBy(r => r.Attempts[0].Id)
            .ToList();
        await DetectRollbacksAsync(runs, graph, ct);
        var stream = Merge(environment, runs, rules.CountConfigurationChanges);
        foreach (var deployment in stream)
        {
            deployment.Settle(rules.MultiClusterLive, rules.RolloutWindow);
        }

        foreach (var rollback in runs.Where(r => r.IsRollback))
        {
            if (rollback.Previous?.Deployment is { } replaced && !ReferenceEquals(replaced, rollback.Deployment) && replaced.RolledBackBy is null)
            {
                replaced.RolledBackBy = rollback.Deployment;
                replaced.RolledBackOn = rollback.Cluster;
            }
        }

        return stream;
    }

    // One cluster's runs: attempts of a revision that follow a failed attempt of it are one run: it
    // succeeds when a later attempt does, finishing then, and stays failed otherwise.
    private static List<ClusterRun> ClusterStream(IEnumerable<AttemptFact> attempts, bool countConfigurationChanges)
    {
        var runs = new List<ClusterRun>();
        ClusterRun? live = null;
        ClusterRun? openFailure = null;
        foreach (var attempt in attempts.OrderBy(a => a.FinishedAt).ThenBy(a => a.Id))
        {
            if (openFailure is not null && Releases.Same(attempt, openFailure, countConfigurationChanges))
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
            var run = new ClusterRun(attempt);
            runs.Add(run);
            if (live is not null && Releases.Same(attempt, live, countConfigurationChanges))
            {
                // The cluster runs this revision already: stored, never counted, never moving live's finish.
                run.IsRedeploy = true;
                run.LiveRun = live;
            }
            else if (attempt.Succeeded)
            {
                run.Previous = live;
                live = run;
            }
            else
            {
                openFailure = run;
            }
        }

        return runs;
    }

    // Runs in the order they began. A run joins the latest deployment of its revision in the
    // environment when its cluster has no part in that one yet (the cluster is catching up, or
    // rolling back alongside the others); otherwise it begins a deployment of its own.
    private static List<ProjectedDeployment> Merge(string environment, List<ClusterRun> runs, bool countConfigurationChanges)
    {
        var stream = new List<ProjectedDeployment>();
        var byRevision = new Dictionary<string, List<ProjectedDeployment>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (run.IsRedeploy)
            {
                var redeploy = new ProjectedDeployment(environment, run) { IsRedeploy = true, LiveDeployment = run.LiveRun!.Deployment };
                stream.Add(redeploy);
                continue;
            }

            var key = Bucket(Releases.Primary(run));
            var bucket = byRevision.TryGetValue(key, out var found) ? found : byRevision[key] = [];
            var joined = bucket.LastOrDefault(d => Releases.Same(run, d, countConfigurationChanges));
            if (joined is not null && joined.Runs.All(r => !string.Equals(r.Cluster, run.Cluster, StringComparison.Ordinal)))
            {
                joined.Add(run);
                continue;
            }

            var deployment = new ProjectedDeployment(environment, run);
            stream.Add(deployment);
            bucket.Add(deployment);
        }

        return stream;
    }

    // Revisions that can be the same share a bucket: a SHA and its abbreviations share their
    // first seven digits; any other revision names only itself (Revisions.Same).
    private static string Bucket(string revision)
    {
        var normalized = Revisions.Normalize(revision);
        return Revisions.IsSha(normalized) ? normalized[..7] : normalized;
    }

    /// <summary>
    /// A live run is a rollback when the source says so, when its revision is an ancestor of the
    /// one its cluster ran before, or when its revision first went live in the environment before
    /// that one did. The revision judged is the application revision when both runs have one that
    /// differs; otherwise (a configuration-only change that counts, or an unresolved run) the
    /// configuration revision. For a same-repository run the two are one.
    /// </summary>
    private static async Task DetectRollbacksAsync(IReadOnlyList<ClusterRun> runs, ICommitGraph graph, CancellationToken ct)
    {
        // The ancestry questions the runs may ask (some are settled before the graph is asked), read ahead at once.
        await graph.PrepareAsync(runs.Where(r => r.IsLive && r.Previous is not null)
            .Select(r => AncestryOf(r, r.Previous!)).OfType<GraphQuestion>().ToList(), ct);
        var firstLive = new FirstLive();
        foreach (var run in runs.Where(r => r.IsLive))
        {
            if (run.Previous is { } replaced && await IsRollbackAsync(run, replaced, firstLive, graph, ct))
            {
                run.IsRollback = true;
            }

            if (run.ApplicationRevision is { } application)
            {
                firstLive.Application.TryAdd(application, run.FinishedAt);
            }

            firstLive.Configuration.TryAdd(Revisions.Normalize(run.Revision), run.FinishedAt);
        }
    }

    private static async Task<bool> IsRollbackAsync(
        ClusterRun run, ClusterRun replaced, FirstLive firstLive, ICommitGraph graph, CancellationToken ct)
    {
        if (run.Attempts.Any(a => a.Succeeded && a.RollbackHint))
        {
            return true;
        }

        var (byApplication, revision, replacedRevision, repositoryId, replacedRepositoryId) = Judged(run, replaced);
        var firsts = byApplication ? firstLive.Application : firstLive.Configuration;
        if (firsts.TryGetValue(revision, out var mineAt) && firsts.TryGetValue(replacedRevision, out var theirsAt) && mineAt < theirsAt)
        {
            return true;
        }

        return repositoryId is int repository
               && replacedRepositoryId == repository
               && await graph.IsAncestorAsync(repository, revision, replacedRevision, ct) == true;
    }

    // The revisions judged: the application revisions when both runs have one that differs, else the configuration revisions.
    private static (bool ByApplication, string Revision, string Replaced, int? RepositoryId, int? ReplacedRepositoryId) Judged(
        ClusterRun run, ClusterRun replaced)
    {
        var byApplication = run.ApplicationRevision is { } mine && replaced.ApplicationRevision is { } theirs && !Revisions.Same(mine, theirs);
        return byApplication
            ? (true, run.ApplicationRevision!, replaced.ApplicationRevision!, run.ApplicationRepositoryId, replaced.ApplicationRepositoryId)
            : (false, Revisions.Normalize(run.Revision), Revisions.Normalize(replaced.Revision), run.RepositoryId, replaced.RepositoryId);
    }

    // The graph question IsRollbackAsync asks of a run, unless the source's hint settles it.
    private static GraphQuestion? AncestryOf(ClusterRun run, ClusterRun replaced)
    {
        if (run.Attempts.Any(a => a.Succeeded && a.RollbackHint))
        {
            return null;
        }

        var (_, revision, replacedRevision, repositoryId, replacedRepositoryId) = Judged(run, replaced);
        return repositoryId is int repository && replacedRepositoryId == repository
            ? new GraphQuestion(repository, Ancestor: revision, Descendant: replacedRevision)
            : null;
    }

    // When each revision first went live in the environment: application revisions (normalized
    // when resolved) and configuration revisions apart, as they are commits of different repositories.
    private sealed class FirstLive
    {
        public Dictionary<string, DateTimeOffset> Application { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, DateTimeOffset> Configuration { get; } = new(StringComparer.Ordinal);
    }
}
