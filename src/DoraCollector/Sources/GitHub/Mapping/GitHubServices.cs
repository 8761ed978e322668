using DoraCollector.Ingestion;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// The catalog service a GitHub repository's deployment or incident belongs to: the service the
/// source names (a <c>service</c> in the deployment payload, a <c>service:&lt;name&gt;</c> label)
/// when it belongs to the repository or to none, else the repository's only service, else one
/// discovered for the repository and named after it.
/// </summary>
internal static class GitHubServices
{
    public static async Task<(int ServiceId, int RepositoryId)> ResolveAsync(
        DomainWriter writer, string repository, string? hint, CancellationToken ct)
    {
        var repositoryId = await writer.Services.RepositoryAsync(repository, ct);
        if (!string.IsNullOrWhiteSpace(hint) && await writer.Services.FindAsync(hint.Trim(), ct) is { } named
            && await BelongsAsync(writer, named, repositoryId, ct))
        {
            return (named, repositoryId);
        }

        var services = await writer.Services.FindByRepositoryAsync(repositoryId, ct);
        if (services.Count == 1)
        {
            return (services[0].Id, repositoryId);
        }

        // A monorepo with several services and a rollout that does not say which: the repository's
        // own service (the whole repository), never a guess among the path services.
        var whole = services.Where(s => s.Path is null).ToList();
        if (whole.Count == 1)
        {
            return (whole[0].Id, repositoryId);
        }

        return (await writer.Services.EnsureAsync(await DiscoveredNameAsync(writer, repository, repositoryId, ct), null, repositoryId, ct), repositoryId);
    }

    private static async Task<bool> BelongsAsync(DomainWriter writer, int serviceId, int repositoryId, CancellationToken ct) =>
        await writer.RepositoryOfServiceAsync(serviceId, ct) is not { } owner || owner == repositoryId;

    // The repository's name, unless another repository's service has it already: then owner/name.
    private static async Task<string> DiscoveredNameAsync(DomainWriter writer, string repository, int repositoryId, CancellationToken ct)
    {
        var shortName = repository[(repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return await writer.Services.FindAsync(shortName, ct) is { } taken && !await BelongsAsync(writer, taken, repositoryId, ct)
            ? repository
            : shortName;
    }
}
