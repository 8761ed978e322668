namespace DoraCollector.Api.Read;

/// <summary>A service from the catalog or discovered, with where it has been deployed.</summary>
internal sealed record ServiceItem
{
    public string Name { get; init; } = "";
    public string? Team { get; init; }

    /// <summary><c>owner/name</c>.</summary>
    public string? Repository { get; init; }

    /// <summary>Folder inside a monorepo that scopes the service's changes.</summary>
    public string? Path { get; init; }

    /// <summary><c>catalog</c> or <c>discovered</c>.</summary>
    public string Origin { get; init; } = "";

    /// <summary>Every environment a deployment of the service was seen in, by name.</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>Finish of its latest deployment that went live (redeploys aside), in any environment.</summary>
    public DateTimeOffset? LastDeploymentAt { get; init; }
}
