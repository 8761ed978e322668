using DoraCollector.Ingestion;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// Pull requests: polled ones carry their own commits (so a squash merge keeps the earliest
/// authored time), webhook ones what the event says; reviews only ever move the first review earlier.
/// </summary>
internal static class PullRequestMapping
{
    public static PullRequestRow FromGraphQL(GqlPullRequest pr)
    {
        var commits = (pr.Commits?.Nodes ?? []).OfType<GqlPullRequestCommit>().Select(n => n.Commit).ToList();
        var merged = pr.State == "MERGED";
        return new PullRequestRow(
            pr.Number, pr.Title, pr.Url, pr.Author?.Login, pr.BaseRefName, State(pr.State),
            pr.CreatedAt, pr.MergedAt, pr.ClosedAt, merged ? pr.MergeCommit?.Oid : null,
            commits.Count == 0 ? null : commits.Min(c => c.AuthoredDate),
            (pr.Reviews?.Nodes ?? []).OfType<GqlReview>().Select(r => r.SubmittedAt).OfType<DateTimeOffset>().Order().Cast<DateTimeOffset?>().FirstOrDefault(),
            (pr.Labels?.Nodes ?? []).OfType<GqlName>().Select(l => l.Name).OfType<string>().ToList(),
            commits.Select(c => c.Oid).ToList(),
            pr.UpdatedAt);
    }

    public static PullRequestRow FromRest(RestPullRequest pr)
    {
        var merged = pr.MergedAt is not null;
        return new PullRequestRow(
            pr.Number, pr.Title, pr.HtmlUrl, pr.User?.Login, pr.Base?.Ref, merged ? "merged" : pr.State == "open" ? "open" : "closed",
            pr.CreatedAt, pr.MergedAt, pr.ClosedAt, merged ? pr.MergeCommitSha : null, null, null,
            (pr.Labels ?? []).Select(l => l.Name).OfType<string>().ToList(), [], pr.UpdatedAt);
    }

    public static async Task MapPolledAsync(string repository, GqlPullRequest pr, DomainWriter writer, CancellationToken ct) =>
        await writer.UpsertPullRequestAsync(await writer.Services.RepositoryAsync(repository, ct), FromGraphQL(pr), ct);

    public static async Task MapEventAsync(PullRequestEvent e, DomainWriter writer, CancellationToken ct) =>
        await writer.UpsertPullRequestAsync(await writer.Services.RepositoryAsync(e.Repository.FullName, ct), FromRest(e.PullRequest), ct);

    /// <summary>A submitted review: the pull request is known (what is missing is filled) and its first review is the earliest seen.</summary>
    public static async Task<bool> MapReviewAsync(PullRequestReviewEvent e, DomainWriter writer, CancellationToken ct)
    {
        if (e.Review.SubmittedAt is not { } submitted || string.Equals(e.Review.State, "pending", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var repositoryId = await writer.Services.RepositoryAsync(e.Repository.FullName, ct);
        await writer.UpsertReviewAsync(repositoryId, FromRest(e.PullRequest), submitted, ct);
        return true;
    }

    private static string State(string graphQLState) => graphQLState switch
    {
        "MERGED" => "merged",
        "OPEN" => "open",
        _ => "closed",
    };
}
