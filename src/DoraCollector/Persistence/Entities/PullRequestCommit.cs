namespace DoraCollector.Persistence.Entities;

/// <summary>A commit that belongs to a pull request: its own, or a rebased copy it landed as.</summary>
internal sealed class PullRequestCommit
{
    public int RepositoryId { get; set; }
    public int PullRequestNumber { get; set; }
    public string Sha { get; set; } = "";
}
