namespace DoraCollector.Persistence.Entities;

internal sealed class Repository
{
    public int Id { get; set; }

    /// <summary><c>owner/name</c>, lower case.</summary>
    public string FullName { get; set; } = "";
    public string? DefaultBranch { get; set; }
    public string? WebUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
