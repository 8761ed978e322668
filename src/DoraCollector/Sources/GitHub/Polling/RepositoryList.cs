using System.Net;
using System.Text.Json;
using DoraCollector.Sources.GitHub.Client;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// The repositories to collect: the configured ones, and every repository of the configured
/// organisations that the include and exclude patterns select (archived ones only when asked).
/// Organisation pages are read conditionally, so an unchanged organisation costs no rate limit.
/// </summary>
internal sealed partial class RepositoryList(GitHubClient client, GitHubCursorStore cursors, IOptions<GitHubOptions> options, ILogger<RepositoryList> logger)
{
    private const int PageSize = 100;
    private static readonly JsonSerializerOptions ListJson = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var o = options.Value;
        var repositories = new List<string>(o.Repositories.Select(r => r.Trim()));
        foreach (var organization in o.Organizations.Select(x => x.Trim()))
        {
            try
            {
                repositories.AddRange((await OrganizationAsync(organization, ct))
                    .Where(r => o.IncludeArchived || !r.Archived)
                    .Select(r => r.FullName)
                    .Where(r => RepositoryPattern.Selects(r, o.Include, o.Exclude)));
            }
            catch (GitHubApiException e)
            {
                LogOrganizationFailed(organization, e.Message);
            }
        }

        return repositories.DistinctBy(r => r.ToLowerInvariant()).ToList();
    }

    private async Task<List<ListedRepository>> OrganizationAsync(string organization, CancellationToken ct)
    {
        var all = new List<ListedRepository>();
        for (var page = 1; ; page++)
        {
            var scope = $"org:{organization.ToLowerInvariant()}:{page}";
            var cached = await cursors.GetAsync(scope, ct);
            var path = $"orgs/{Uri.EscapeDataString(organization)}/repos?type=all&sort=full_name&per_page={PageSize}&page={page}";
            var response = await client.GetAsync(organization, path, cached?.Position is null ? null : cached.ETag, ct);
            List<ListedRepository> items;
            if (response.NotModified && cached?.Position is { } json)
            {
                items = JsonSerializer.Deserialize<List<ListedRepository>>(json, ListJson) ?? [];
            }
            else if (response.IsSuccess)
            {
                items = response.Json().EnumerateArray().Select(r => new ListedRepository(
                    r.GetProperty("full_name").GetString()!,
                    r.TryGetProperty("archived", out var a) && a.ValueKind == JsonValueKind.True)).ToList();
                await cursors.SaveAsync(scope, JsonSerializer.Serialize(items, ListJson), response.ETag, true, null, ct);
            }
            else
            {
                throw new GitHubApiException(response.Status == HttpStatusCode.NotModified ? null : response.Status,
                    $"listing the repositories of '{organization}': {response.Message()}");
            }

            all.AddRange(items);
            if (items.Count < PageSize)
            {
                return all;
            }
        }
    }

    private sealed record ListedRepository(string FullName, bool Archived);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "Could not list the repositories of GitHub organisation {Organization}: {Reason}")]
    private partial void LogOrganizationFailed(string organization, string reason);
}
