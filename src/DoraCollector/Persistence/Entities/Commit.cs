namespace DoraCollector.Persistence.Entities;

internal sealed class Commit
{
    public int RepositoryId { get; set; }
    public string Sha { get; set; } = "";
    public string[] Parents { get; set; } = [];
    public DateTimeOffset AuthoredAt { get; set; }
    public DateTimeOffset CommittedAt { get; set; }
    public string? Author { get; set; }

    /// <summary>First line of the message.</summary>
    public string? Message { get; set; }

    /// <summary>Files the commit touched; null while unknown.</summary>
    public string[]? Paths { get; set; }
}
