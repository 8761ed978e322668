using System.Globalization;
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
/// first one; for each folder a rollout of it deployed, only the files under the folder and the
/// commits that touch it count (<see cref="GitOpsRange"/>), those commits asked of GraphQL
/// (<c>history(path:)</c>) when the range's files do not tell. A commit never changes, so each
/// is read once per base and folder, never conditionally again.</item>
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
        // One read of each revision against each base; the folders that synced it share it.
        foreach (var read in (await store.UnreadRevisionsAsync(repositoryId, RevisionsPerPass, ct)).GroupBy(r => (r.Sha, r.BaseSha)))
        {
            var range = await ReadRangeAsync(owner, name, read.Key.Sha, read.Key.BaseSha, ct);
            var folders = read.Select(r => r.Folder).ToList();
            var touching = range is null ? null : await TouchingAsync(owner, name, read.Key.Sha, range, folders, ct);
            foreach (var revision in read)
            {
                var facts = range is null ? GitOpsRevisionFacts.None
                    : range.Facts(revision.Folder.Length == 0 ? null : revision.Folder, touching?.GetValueOrDefault(revision.Folder));
                if (range is not null && revision.BaseSha is null && revision.Folder.Length > 0
                    && !range.Files.Any(f => GitOpsFolder.Contains(revision.Folder, f.Path))
                    && await LastTouchingAsync(owner, name, revision.Sha, revision.Folder, ct) is { } last && last != revision.Sha
                    && await ReadRangeAsync(owner, name, last, null, ct) is { } setBy)
                {
                    // A first sync whose commit leaves the folder alone runs what the folder's last commit set.
                    facts = setBy.Facts(revision.Folder);
                }

                await store.SaveRevisionAsync(revision, facts, clock.GetUtcNow(), ct);
            }
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

    /// <summary>The commits and files the revision brings; null when GitHub does not know it.</summary>
    private async Task<GitOpsRange?> ReadRangeAsync(string owner, string name, string sha, string? baseSha, CancellationToken ct)
    {
        var path = baseSha is null
            ? $"repos/{owner}/{name}/commits/{sha}"
            : $"repos/{owner}/{name}/compare/{baseSha}...{sha}";
        var response = await client.GetAsync(owner, path, null, ct);
        if (response.Status is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            // A revision GitHub does not know (force-pushed away, another host): nothing to learn from it.
            LogUnreadable(owner + "/" + name, sha, response.Message());
            return null;
        }

        if (!response.IsSuccess)
        {
            throw new GitHubApiException(response.Status, $"GitHub answered {(int)response.Status} to {path}: {response.Message()}");
        }

        var root = response.Json();
        // A compare lists its commits oldest first; a single commit is its own list.
        var commits = baseSha is null
            ? [Commit(root)]
            : (root.TryGetProperty("commits", out var listed) && listed.ValueKind == JsonValueKind.Array
                ? listed.EnumerateArray().Select(Commit).Reverse().ToList()
                : []);
        var files = root.TryGetProperty("files", out var changed) && changed.ValueKind == JsonValueKind.Array
            ? changed.EnumerateArray()
                .Where(f => f.TryGetProperty("filename", out var n) && n.ValueKind == JsonValueKind.String)
                .Select(f => new RangeFile(f.GetProperty("filename").GetString()!,
                    f.TryGetProperty("patch", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null))
                .ToList()
            : [];
        return new GitOpsRange(commits.OfType<RangeCommit>().ToList(), files, baseSha is null || files.Count < GitOpsRange.MaxCompareFiles);
    }

    /// <summary>
    /// The range's commits that touch each folder which needs asking (<see cref="GitOpsRange.NeedsHistory"/>):
    /// one GraphQL query for all of them, <c>history(path:, since:)</c> from the revision, one alias
    /// per folder, paged (the monorepo paths' query). GraphQL rather than a REST call per commit or
    /// per folder: one request (one point) answers every folder of a revision, and a range whose
    /// files answer for themselves asks nothing.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlySet<string>>> TouchingAsync(
        string owner, string name, string sha, GitOpsRange range, IReadOnlyList<string> folders, CancellationToken ct)
    {
        var asked = folders.Where(f => f.Length > 0 && range.NeedsHistory(f)).Distinct(StringComparer.Ordinal).ToList();
        var touching = asked.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
        if (asked.Count == 0 || range.Commits.Min(c => c.CommittedAt) is not { } oldest)
        {
            return touching.ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value, StringComparer.Ordinal);
        }

        var inRange = range.Commits.Select(c => c.Sha).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var after = new Dictionary<int, string?>();
        var active = Enumerable.Range(0, asked.Count).ToList();
        while (active.Count > 0)
        {
            var variables = new Dictionary<string, object?>
            {
                ["owner"] = owner, ["name"] = name, ["head"] = sha,
                ["since"] = oldest.AddSeconds(-1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            };
            foreach (var i in active)
            {
                variables[$"path{i}"] = asked[i];
                variables[$"after{i}"] = after.GetValueOrDefault(i);
            }

            var data = await client.GraphQLAsync(owner, GitHubQueries.PathHistory(active), variables, ct);
            if (!data.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object
                || !repository.TryGetProperty("object", out var target) || target.ValueKind != JsonValueKind.Object)
            {
                break; // the revision is gone: its commits touch nothing we can know
            }

            foreach (var i in active.ToList())
            {
                var history = target.GetProperty($"p{i}");
                touching[asked[i]].UnionWith(history.GetProperty("nodes").EnumerateArray()
                    .Select(n => n.GetProperty("oid").GetString()!).Where(inRange.Contains));
                var info = history.GetProperty("pageInfo");
                after[i] = info.GetProperty("endCursor").GetString();
                if (!info.GetProperty("hasNextPage").GetBoolean())
                {
                    active.Remove(i);
                }
            }
        }

        return touching.ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The newest commit reachable from <paramref name="sha"/> that touches <paramref name="folder"/>
    /// (GraphQL <c>history(path:)</c>, its first node): for the first sync of a stream, whose commit
    /// alone may be another folder's, what set the folder it deploys. Null when none does.
    /// </summary>
    private async Task<string?> LastTouchingAsync(string owner, string name, string sha, string folder, CancellationToken ct)
    {
        var data = await client.GraphQLAsync(owner, GitHubQueries.PathHistory([0]), new Dictionary<string, object?>
        {
            ["owner"] = owner, ["name"] = name, ["head"] = sha, ["since"] = null, ["path0"] = folder, ["after0"] = null,
        }, ct);
        return data.TryGetProperty("repository", out var repository) && repository.ValueKind == JsonValueKind.Object
               && repository.TryGetProperty("object", out var target) && target.ValueKind == JsonValueKind.Object
               && target.GetProperty("p0").GetProperty("nodes") is { ValueKind: JsonValueKind.Array } nodes && nodes.GetArrayLength() > 0
            ? nodes[0].GetProperty("oid").GetString()?.ToLowerInvariant()
            : null;
    }

    private static RangeCommit? Commit(JsonElement commit)
    {
        if (!commit.TryGetProperty("sha", out var sha) || sha.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var body = commit.TryGetProperty("commit", out var c) ? c : default;
        var message = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()
            : null;
        DateTimeOffset? at = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("committer", out var committer)
                             && committer.ValueKind == JsonValueKind.Object && committer.TryGetProperty("date", out var date)
                             && date.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(date.GetString(), CultureInfo.InvariantCulture,
                                 DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
        return new RangeCommit(sha.GetString()!.ToLowerInvariant(), message, at);
    }

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
