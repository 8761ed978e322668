namespace DoraCollector.Persistence.Entities;

internal sealed class PullRequest
{
    public int RepositoryId { get; set; }
    public int Number { get; set; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public string? Author { get; set; }
    public string? BaseBranch { get; set; }

    /// <summary><c>open</c>, <c>closed</c> (without merge) or <c>merged</c>.</summary>
    public string State { get; set; } = "";
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The merge commit, squash commit or last rebased commit on the base branch.</summary>
    public string? MergeCommitSha { get; set; }

    /// <summary>Earliest authored time of the pull request's own commits; survives a squash merge.</summary>
    public DateTimeOffset? FirstCommitAt { get; set; }
    public DateTimeOffset? FirstReviewAt { get; set; }
    public string[] Labels { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}
