namespace DoraCollector.Api.Read;

/// <summary>
/// A change (pull request or direct commit) a deployment carried, with its lead time as the
/// metrics measure it (<c>LeadTimeRules</c>); seconds.
/// </summary>
/// <param name="Kind"><c>pull_request</c> or <c>commit</c>.</param>
/// <param name="Url">The pull request's page, when known.</param>
/// <param name="IsFirst">The first successful deployment of this change to the environment: the one lead time counts.</param>
/// <param name="Discarded">Lead time of zero or less (clock skew): left out of the metrics and counted.</param>
internal sealed record ChangeItem(
    long DeploymentId,
    string Service,
    string? Team,
    string Environment,
    DateTimeOffset DeployedAt,
    string ChangeKey,
    string Kind,
    string? Repository,
    int? PullRequestNumber,
    string? Url,
    string? Title,
    string HeadSha,
    int CommitCount,
    DateTimeOffset FirstCommitAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MergedAt,
    bool IsFirst,
    bool IsHotfix,
    bool IsRevert,
    double LeadTimeSeconds,
    double? CodingSeconds,
    double? ReviewSeconds,
    double? DeploySeconds,
    bool Discarded)
{
    /// <summary>
    /// For a change deployed to production: from its first deployment to a non-production
    /// environment of the service (staging) to this one, in seconds; null without one
    /// (docs/metrics.md, "GitOps repositories and promotion").
    /// </summary>
    public double? PromotionSeconds { get; init; }
}
