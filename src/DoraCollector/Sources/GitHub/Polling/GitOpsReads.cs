using System.Net;
using System.Text.Json;
using DoraCollector.Sources.GitHub.Client;
using DoraCollector.Sources.GitOps;

namespace DoraCollector.Sources.GitHub.Polling;

/// <summary>
/// What GitOps resolution needs from GitHub, read once per repository pass and stored
/// (<see cref="GitOpsStore"/>), within the request budget like every other request:
/// <list type="bullet">
/// <item>as a GitOps repository: each synced revision not read yet, compared with the revision its
/// stream synced before (<c>GET /repos/{o}/{r}/compare/{base}...{head}</c>: the commits' full
/// messages and the files' patches), or read alone (<c>GET /repos/{o}/{r}/commits/{sha}</c>) for a
/// first one. A commit never changes, so each is read once, never conditionally again.</item>
/// <item>as an application repository: its git tags when a version tag its services run or are
/// bumped to is not cached (GraphQL <c>refs(refPrefix: "refs/tags/")</c>, newest first, until the
/// wanted tags are found). GraphQL has no conditional requests; a tag not found is asked for again
/// only after <see cref="MissingTagRetry"/>.</item>
/// </list>
/// </summary>
internal sealed partial class GitOpsReads(GitHubClient client, GitOpsStore store, TimeProvider clock, ILogger<GitOpsReads> logger)
{
    /// <summary>Synced revisions read per repository pass; the next pass reads on.</summary>
    public const int RevisionsPerPass = 20;

    /// <summary>Tag pages per read: the wanted tags are recent, and a repository with more tags than this has older ones cached.</summary>
    public const int MaxTagPages = 5;

    public static readonly TimeSpan MissingTagRetry = TimeSpan.FromHours(1);

    public async Task RunAsync(string repository, int repositoryId, CancellationToken ct)
    {
        var (owner, name) = Split(repository);
        foreach (var revision in await store.UnreadRevisionsAsync(repositoryId, RevisionsPerPass, ct))
        {
            var facts = await ReadRevisionAsync(owner, name, revision, ct);
            await store.SaveRevisionAsync(revision, facts, clock.GetUtcNow(), ct);
        }

        var (wanted, missing, readAt) = await store.WantedTagsAsync(repositoryId, ct);
        var now = clock.GetUtcNow();
        var due = wanted.Where(w => !missing.Contains(w) || readAt is null || now - readAt >= MissingTagRetry).ToList();
        if (due.Count > 0)
        {
            var tags = await ReadTagsAsync(owner, name, due, ct);
            var stillMissing = wanted.Where(w => !ImageTag.VersionTagNames(w).Any(tags.ContainsKey)).ToList();
            await store.SaveTagsAsync(repositoryId, tags, stillMissing, now, ct);
            LogTags(repository, tags.Count, stillMissing.Count);
        }
    }

    private async Task<GitOpsRevisionFacts> ReadRevisionAsync(string owner, string name, GitOpsRevisionToRead revision, CancellationToken ct)
    {
        var path = revision.BaseSha is null
            ? $"repos/{owner}/{name}/commits/{revision.Sha}"
            : $"repos/{owner}/{name}/compare/{revision.BaseSha}...{revision.Sha}";
        var response = await client.GetAsync(owner, path, null, ct);
        if (response.Status is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            // A revision GitHub does not know (force-pushed away, another host): nothing to learn from it.
            LogUnreadable(owner + "/" + name, revision.Sha, response.Message());
            return GitOpsRevisionFacts.None;
        }

        if (!response.IsSuccess)
        {
            throw new GitHubApiException(response.Status, $"GitHub answered {(int)response.Status} to {path}: {response.Message()}");
        }

        var root = response.Json();
        // A compare lists its commits oldest first; a single commit is its own list.
        var messages = revision.BaseSha is null
            ? [Message(root)]
            : (root.TryGetProperty("commits", out var commits) && commits.ValueKind == JsonValueKind.Array
                ? commits.EnumerateArray().Select(Message).Reverse().ToList()
                : []);
        var links = messages.Select(CommitMessageLinks.Read).ToList();
        var diff = root.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array
            ? files.EnumerateArray()
                .Where(f => f.TryGetProperty("patch", out var p) && p.ValueKind == JsonValueKind.String)
                .SelectMany(f => ManifestPatch.Read(f.GetProperty("patch").GetString()))
                .Distinct()
                .ToList()
            : [];
        return new GitOpsRevisionFacts(
            links.SelectMany(l => l.Commits).Distinct().ToList(), links.SelectMany(l => l.Images).Distinct().ToList(), diff);
    }

    private static string? Message(JsonElement commit) =>
        commit.TryGetProperty("commit", out var c) && c.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()
            : null;

    private async Task<Dictionary<string, string>> ReadTagsAsync(string owner, string name, IReadOnlyList<string> wanted, CancellationToken ct)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? after = null;
        for (var page = 0; page < MaxTagPages; page++)
        {
            var data = await client.GraphQLAsync(owner, GitHubQueries.Tags,
                new Dictionary<string, object?> { ["owner"] = owner, ["name"] = name, ["after"] = after }, ct);
            if (!data.TryGetProperty("repository", out var repo) || repo.ValueKind != JsonValueKind.Object)
            {
                break;
            }

            var refs = repo.GetProperty("refs");
            foreach (var node in refs.GetProperty("nodes").EnumerateArray())
            {
                if (node.GetProperty("name").GetString() is { } tag && Peel(node.GetProperty("target")) is { } commit)
                {
                    tags[tag] = commit;
                }
            }

            var info = refs.GetProperty("pageInfo");
            if (!info.GetProperty("hasNextPage").GetBoolean() || wanted.All(w => ImageTag.VersionTagNames(w).Any(tags.ContainsKey)))
            {
                break;
            }

            after = info.GetProperty("endCursor").GetString();
        }

        return tags;
    }

    // An annotated tag's target carries a target of its own; the innermost oid is the commit.
    private static string? Peel(JsonElement target)
    {
        while (target.ValueKind == JsonValueKind.Object && target.TryGetProperty("target", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            target = inner;
        }

        return target.ValueKind == JsonValueKind.Object && target.TryGetProperty("oid", out var oid) ? oid.GetString() : null;
    }

    private static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return (repository[..slash], repository[(slash + 1)..]);
    }

    [LoggerMessage(EventId = 2240, Level = LogLevel.Debug, Message = "GitHub {Repository}: {Count} git tags read, {Missing} wanted ones not found")]
    private partial void LogTags(string repository, int count, int missing);

    [LoggerMessage(EventId = 2241, Level = LogLevel.Information, Message = "GitHub {Repository}: synced GitOps revision {Sha} cannot be read: {Reason}")]
    private partial void LogUnreadable(string repository, string sha, string reason);
}
