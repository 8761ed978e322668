namespace DoraCollector.Persistence.Entities;

internal sealed class Service
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int? TeamId { get; set; }
    public Team? Team { get; set; }
    public int? RepositoryId { get; set; }
    public Repository? Repository { get; set; }

    /// <summary>Folder inside a monorepo that scopes this service's changes.</summary>
    public string? Path { get; set; }

    /// <summary><c>catalog</c> or <c>discovered</c>.</summary>
    public string Origin { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
