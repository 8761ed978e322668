using System.Text.Json;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// Commits with their parents (the graph the projection walks), the pull requests GitHub
/// associates them with (which is how a rebase merge's copies find their pull request), and
/// which monorepo paths they touch.
/// </summary>
internal static class CommitMapping
{
    public static CommitRow FromGraphQL(GqlCommit commit) => new(
        commit.Oid,
        commit.Parents?.Nodes?.OfType<GqlOid>().Select(p => p.Oid).ToList() ?? [],
        commit.AuthoredDate,
        commit.CommittedDate,
        commit.Author?.User?.Login ?? commit.Author?.Name,
        commit.MessageHeadline);

    public static CommitRow FromRest(RestCommit commit)
    {
        var authored = commit.Commit.Author?.Date ?? commit.Commit.Committer?.Date
                       ?? throw new InvalidPayloadException($"commit {commit.Sha} has no date");
        return new CommitRow(
            commit.Sha,
            commit.Parents?.Select(p => p.Sha).ToList() ?? [],
            authored,
            commit.Commit.Committer?.Date ?? authored,
            commit.Author?.Login ?? commit.Commit.Author?.Name,
            commit.Commit.Message);
    }

    /// <summary>GraphQL commit nodes: the commits, and the merged pull requests that brought them.</summary>
    public static async Task MapGraphQLAsync(string repository, JsonElement commits, DomainWriter writer, CancellationToken ct)
    {
        var nodes = GitHubJson.Read<List<GqlCommit>>(commits, GitHubJson.GraphQL, "commits");
        var repositoryId = await writer.Services.RepositoryAsync(repository, ct);
        await writer.UpsertGraphCommitsAsync(repositoryId, nodes.Select(FromGraphQL).ToList(), ct);

        var associated = nodes
            .SelectMany(c => (c.AssociatedPullRequests?.Nodes ?? []).OfType<GqlAssociatedPullRequest>()
                .Where(p => p.State == "MERGED")
                .Select(p => (Commit: c.Oid, PullRequest: p)))
            .GroupBy(a => a.PullRequest.Number);
        foreach (var group in associated)
        {
            var pr = group.First().PullRequest;
            await writer.UpsertPullRequestAsync(repositoryId, new PullRequestRow(
                pr.Number, pr.Title, pr.Url, pr.Author?.Login, pr.BaseRefName, "merged", pr.CreatedAt, pr.MergedAt, pr.MergedAt,
                pr.MergeCommit?.Oid, null, null, [], group.Select(a => a.Commit).ToList(), pr.MergedAt ?? pr.CreatedAt ?? DateTimeOffset.UnixEpoch),
                ct, fillMissing: true);
        }
    }

    /// <summary>A page of a REST compare: its commits, the base and the merge base, all with parents.</summary>
    public static async Task MapCompareAsync(string repository, JsonElement compare, DomainWriter writer, CancellationToken ct)
    {
        var page = GitHubJson.Read<RestCompare>(compare, GitHubJson.Rest, "compare");
        var commits = (page.Commits ?? []).Concat(new[] { page.BaseCommit, page.MergeBaseCommit }.OfType<RestCommit>())
            .DistinctBy(c => c.Sha, StringComparer.OrdinalIgnoreCase)
            .Select(FromRest)
            .ToList();
        await writer.UpsertGraphCommitsAsync(await writer.Services.RepositoryAsync(repository, ct), commits, ct);
    }

    /// <summary>
    /// Sets <c>commits.paths</c> of the listed commits to the monorepo paths they touch (empty: none
    /// of them). The repository's changes are resolved again, since a path filter now applies.
    /// </summary>
    public static async Task MapPathsAsync(string repository, CommitPaths paths, DomainWriter writer, CancellationToken ct)
    {
        var touched = paths.Paths.ToDictionary(p => p, p => new HashSet<string>(
            paths.Touched.TryGetValue(p, out var list) ? list : [], StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
        var rows = paths.Listed
            .Select(sha => new CommitPathsRow(sha, paths.Paths.Where(p => touched[p].Contains(sha)).Order(StringComparer.Ordinal).ToArray()))
            .ToList();
        await writer.SetCommitPathsAsync(await writer.Services.RepositoryAsync(repository, ct), rows, ct);
    }
}
