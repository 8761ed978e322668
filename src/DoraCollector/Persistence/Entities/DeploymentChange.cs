namespace DoraCollector.Persistence.Entities;

/// <summary>A change (pull request or direct commit) a deployment carried.</summary>
internal sealed class DeploymentChange
{
    public long DeploymentId { get; set; }

    /// <summary><c>pr:&lt;repository id&gt;:&lt;number&gt;</c> or <c>commit:&lt;sha&gt;</c>.</summary>
    public string ChangeKey { get; set; } = "";
    public int? RepositoryId { get; set; }
    public int? PullRequestNumber { get; set; }
    public string HeadSha { get; set; } = "";
    public string? Title { get; set; }
    public int CommitCount { get; set; }
    public DateTimeOffset FirstCommitAt { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? MergedAt { get; set; }

    /// <summary>Only a change's first successful deployment to an environment counts for lead time.</summary>
    public bool IsFirst { get; set; }
    public bool IsHotfix { get; set; }
    public bool IsRevert { get; set; }
}
