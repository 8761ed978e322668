namespace DoraCollector.Catalog;

/// <summary>A service's origin (<c>catalog</c> or <c>discovered</c>), folder, and repository (id and <c>owner/name</c>).</summary>
internal sealed record ServiceScope
{
    public string Origin { get; init; } = "";
    public string? Path { get; init; }
    public int? RepositoryId { get; init; }
    public string? Repository { get; init; }
}
