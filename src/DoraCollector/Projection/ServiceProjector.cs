namespace DoraCollector.Projection;

/// <summary>
/// Derives one service's deployments (with their changes and failure verdicts) and incidents
/// (with their attribution) from what the sources reported. Deterministic: projecting the same
/// facts again gives the same result, so it can run after every ingest and in <c>recompute</c>.
/// </summary>
/// <param name="resolvers">Find the application revision of attempts no source linked (<see cref="ApplicationResolution"/>).</param>
/// <param name="db">The projection's transaction, for resolvers that read stored facts.</param>
internal sealed class ServiceProjector(
    ICommitGraph graph, ProjectionRules rules, IReadOnlyList<IApplicationRevisionResolver>? resolvers = null, ProjectionDb? db = null)
{
    public async Task<ServiceProjection> ProjectAsync(ServiceFacts facts, IChangeCache cache, CancellationToken ct)
    {
        var attempts = await ApplicationResolution.ResolveAsync(facts, resolvers ?? [], db, ct);
        var streams = new List<List<ProjectedDeployment>>();
        foreach (var environment in attempts.GroupBy(a => a.Environment, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var stream = await DeploymentStreams.BuildAsync(environment.Key, environment, graph, rules, ct);
            await ResolveChangesAsync(stream, facts.Path, cache, ct);
            streams.Add(stream);
        }

        var deployments = streams.SelectMany(s => s).ToList();
        var incidents = IncidentMerger.Merge(facts.Signals, rules.IncidentMergeGap);
        IncidentAttribution.Attribute(incidents, deployments, rules);
        foreach (var stream in streams)
        {
            FailureRules.Apply(stream);
        }

        return new ServiceProjection(deployments, incidents);
    }

    // Each live deployment brings the changes reachable from its application revision and not from
    // the one it replaced (the latest earlier live deployment whose application revision is known,
    // in the same repository); a change counts only for the first deployment that brings it to the
    // environment. A deployment whose application revision is unresolved brings none, unless its
    // source listed them (docs/metrics.md, "GitOps repositories and promotion").
    private async Task ResolveChangesAsync(List<ProjectedDeployment> stream, string? path, IChangeCache cache, CancellationToken ct)
    {
        // The questions the graph will be asked, read ahead at once.
        await graph.PrepareAsync(stream.Where(d => d.IsLive).Select(d => QuestionOf(d, ChangesBaseOf(d), path, cache)).OfType<GraphQuestion>().ToList(), ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in stream.Where(d => d.IsLive))
        {
            var previous = ChangesBaseOf(deployment);
            deployment.ChangesBase = previous;
            var judged = await ChangesOfAsync(deployment, previous, path, cache, ct);
            deployment.ChangesState = judged.State;
            foreach (var change in judged.Changes)
            {
                deployment.Changes.Add(new ProjectedChange(change.Change, seen.Add(change.Change.Key), change.IsHotfix, change.IsRevert));
            }
        }
    }

    // The application revision of the deployment a live one replaced (the latest earlier whose
    // application revision is known), when in the same repository: what its changes are counted from.
    private static string? ChangesBaseOf(ProjectedDeployment deployment)
    {
        var replaced = deployment.Previous;
        while (replaced is { ApplicationRevision: null })
        {
            replaced = replaced.Previous;
        }

        return deployment.ApplicationRevision is not null && replaced is not null
            && replaced.ApplicationRepositoryId == deployment.ApplicationRepositoryId ? replaced.ApplicationRevision : null;
    }

    // The question ChangesOfAsync will ask the graph for a deployment; null when it asks none (cached, or nothing to resolve).
    private static GraphQuestion? QuestionOf(ProjectedDeployment deployment, string? previous, string? path, IChangeCache cache)
    {
        if (cache.TryGet(deployment.Key, deployment.ApplicationRevision ?? deployment.Revision, previous, out _))
        {
            return null;
        }

        var listing = deployment.Attempts.Where(a => a.ExplicitCommits is not null).ToList();
        if (listing.Count > 0)
        {
            return (deployment.ApplicationRevision is null ? deployment.RepositoryId : deployment.ApplicationRepositoryId) is int listedIn
                ? new GraphQuestion(listedIn, Listed: listing.SelectMany(a => a.ExplicitCommits!).Distinct(StringComparer.OrdinalIgnoreCase).ToList())
                : null;
        }

        return deployment.ApplicationRevision is { } application && deployment.ApplicationRepositoryId is int repository
            ? new GraphQuestion(repository, Revision: application, Previous: previous, Path: path)
            : null;
    }

    private async Task<CachedChanges> ChangesOfAsync(
        ProjectedDeployment deployment, string? previous, string? path, IChangeCache cache, CancellationToken ct)
    {
        var revision = deployment.ApplicationRevision ?? deployment.Revision;
        if (cache.TryGet(deployment.Key, revision, previous, out var cached))
        {
            return cached;
        }

        // A source that lists the commits (even none) says exactly what the rollout brings; they
        // are stored in the application's repository, or the synced one when it is unresolved.
        var listing = deployment.Attempts.Where(a => a.ExplicitCommits is not null).ToList();
        var listed = listing.SelectMany(a => a.ExplicitCommits!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var set = listing.Count > 0
            ? await graph.ExplicitChangesAsync(deployment.ApplicationRevision is null ? deployment.RepositoryId : deployment.ApplicationRepositoryId, listed, ct)
            : deployment.ApplicationRevision is { } application && deployment.ApplicationRepositoryId is int repository
                ? await graph.ChangesAsync(repository, application, previous, path, ct)
                : new ChangeSet(ChangesStates.None, []);
        return new CachedChanges(set.State, set.Changes.Select(c => new CachedChange(c, IsHotfix(c), IsRevert(c))).ToList());
    }

    private bool IsHotfix(ChangeRecord change) => change.Labels.Any(rules.HotfixLabels.Contains);

    private bool IsRevert(ChangeRecord change) => change.Messages.Any(m => rules.RevertPattern.IsMatch(m));
}
