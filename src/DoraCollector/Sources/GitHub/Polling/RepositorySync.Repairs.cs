using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DoraCollector.Sources.GitHub.Client;
using DoraCollector.Sources.GitHub.Mapping;

namespace DoraCollector.Sources.GitHub.Polling;

internal sealed partial class RepositorySync
{
    private const int RevisionBatch = 20;
    private const int MaxRepairRounds = 10;
    private const int PendingPerPass = 20;
    private const int ComparePage = 100;
    private const int MaxMissing = 1000;
    private static readonly TimeSpan RetryUnresolvable = TimeSpan.FromDays(1);

    /// <summary>
    /// Parents the stored history names but does not hold: commits older than the last read that
    /// a merge or a push made reachable (a read since the last one does not list them). Each is
    /// fetched with its ancestors until the graph is whole back to the floor.
    /// </summary>
    private async Task FillHolesAsync(Run run, int repositoryId, CancellationToken ct)
    {
        var state = run.State;
        if (!state.GraphChanged)
        {
            return;
        }

        for (var round = 0; round < MaxRepairRounds && state.Head is not null; round++)
        {
            var holes = (await graph.HolesAsync(repositoryId, state.Head, state.Floor!.Value, ct)).Except(state.Missing, StringComparer.Ordinal).ToList();
            if (holes.Count == 0)
            {
                return;
            }

            LogHoles(run.Repository, holes.Count);
            var unknown = await FetchRevisionsAsync(run, holes, ct);
            state.Missing.AddRange(unknown);
            if (state.Missing.Count > MaxMissing)
            {
                state.Missing.RemoveRange(0, state.Missing.Count - MaxMissing);
            }

            await DrainAsync(ct);
        }
    }

    /// <summary>
    /// Deployments left pending because their revision, or the revision they replaced, is not
    /// stored: the commits between the two come from a compare (paged past its 250-commit cap);
    /// a first deployment needs only its own commit. What GitHub does not know is asked again a day later.
    /// </summary>
    private async Task ResolvePendingAsync(Run run, int repositoryId, CancellationToken ct)
    {
        var state = run.State;
        foreach (var expired in state.Unresolvable.Where(u => u.Value <= run.StartedAt).Select(u => u.Key).ToList())
        {
            state.Unresolvable.Remove(expired);
        }

        var fetched = false;
        foreach (var (revision, previous) in await graph.PendingAsync(repositoryId, PendingPerPass, ct))
        {
            var key = previous is null ? revision : $"{previous}...{revision}";
            if (state.Unresolvable.ContainsKey(key))
            {
                continue;
            }

            var found = previous is null
                ? (await FetchRevisionsAsync(run, [revision], ct)).Count == 0
                : await CompareAsync(run, previous, revision, ct);
            if (found)
            {
                fetched = true;
            }
            else
            {
                state.Unresolvable[key] = run.StartedAt + RetryUnresolvable;
                LogUnresolvable(run.Repository, key);
            }
        }

        if (fetched)
        {
            await DrainAsync(ct);
        }
    }

    /// <summary>
    /// Which commits touch which monorepo service paths. GitHub's commits carry no file lists in
    /// GraphQL and one REST request per commit is too dear, so each path's filtered history
    /// (<c>git log -- path</c>, a hundred SHAs a page) says which of the stored commits touch it;
    /// the others touch none of the paths.
    /// </summary>
    private async Task SyncPathsAsync(Run run, int repositoryId, CancellationToken ct)
    {
        var state = run.State;
        var paths = await graph.ServicePathsAsync(repositoryId, ct);
        if (paths.Count == 0 || state.Head is null)
        {
            state.PathsSignature = paths.Count == 0 ? null : state.PathsSignature;
            return;
        }

        var signature = string.Join('\n', paths);
        if (!state.GraphChanged && signature == state.PathsSignature)
        {
            return;
        }

        var need = await graph.WithoutPathsAsync(repositoryId, state.Head, state.Floor!.Value, all: signature != state.PathsSignature, ct);
        if (need.Count == 0)
        {
            state.PathsSignature = signature;
            return;
        }

        var since = need.Min(n => n.CommittedAt).AddSeconds(-1);
        var touched = paths.ToDictionary(p => p, _ => new List<string>(), StringComparer.Ordinal);
        var after = new Dictionary<int, string?>();
        var active = Enumerable.Range(0, paths.Count).ToList();
        while (active.Count > 0)
        {
            var variables = run.Variables();
            variables["head"] = state.Head;
            variables["since"] = Timestamp(since);
            foreach (var i in active)
            {
                variables[$"path{i}"] = paths[i];
                variables[$"after{i}"] = after.GetValueOrDefault(i);
            }

            var data = await client.GraphQLAsync(run.Owner, GitHubQueries.PathHistory(active), variables, ct);
            var target = data.GetProperty("repository").GetProperty("object");
            if (target.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var i in active.ToList())
            {
                var history = target.GetProperty($"p{i}");
                touched[paths[i]].AddRange(history.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("oid").GetString()!));
                var (more, cursor) = Page(history);
                after[i] = cursor;
                if (!more)
                {
                    active.Remove(i);
                }
            }
        }

        var listed = need.Select(n => n.Sha).ToList();
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(signature + "\n" + string.Join(',', listed))))[..16].ToLowerInvariant();
        await StoreAsync(run, [(GitHubKinds.PolledCommitPaths, $"{Key(run)}:paths:{state.Head}:{digest}", "commitPaths",
            new CommitPaths(paths, listed, touched))], ct);
        state.PathsSignature = signature;
        await DrainAsync(ct);
    }

    /// <summary>Commits by SHA with their ancestors (GraphQL, twenty per request); returns the SHAs GitHub does not know.</summary>
    private async Task<List<string>> FetchRevisionsAsync(Run run, IReadOnlyList<string> revisions, CancellationToken ct)
    {
        var unknown = new List<string>();
        foreach (var batch in revisions.Chunk(RevisionBatch))
        {
            var variables = run.Variables();
            for (var i = 0; i < batch.Length; i++)
            {
                variables[$"rev{i}"] = batch[i];
            }

            var data = await client.GraphQLAsync(run.Owner, GitHubQueries.Commits(batch.Length), variables, ct, allowPartial: true);
            if (!data.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object)
            {
                throw new GitHubApiException(HttpStatusCode.NotFound, $"GitHub repository {run.Repository} was not found or is not accessible");
            }

            var items = new List<(string, string, string, object)>();
            for (var i = 0; i < batch.Length; i++)
            {
                if (!repository.TryGetProperty($"c{i}", out var commit) || commit.ValueKind != JsonValueKind.Object
                    || !commit.TryGetProperty("history", out var history) || history.GetProperty("nodes").GetArrayLength() == 0)
                {
                    unknown.Add(batch[i]);
                    continue;
                }

                var nodes = history.GetProperty("nodes");
                items.Add((GitHubKinds.PolledCommits,
                    $"{Key(run)}:{nodes[0].GetProperty("oid").GetString()}..{nodes[nodes.GetArrayLength() - 1].GetProperty("oid").GetString()}", "commits", nodes));
            }

            await StoreAsync(run, items, ct);
        }

        return unknown;
    }

    /// <summary>
    /// Every commit reachable from <paramref name="head"/> and not from <paramref name="base"/>, in
    /// pages of a hundred. When history was rewritten (<c>diverged</c>), the other side too, so the
    /// walk from the earlier revision meets the new one at their merge base. False when GitHub knows neither.
    /// </summary>
    private async Task<bool> CompareAsync(Run run, string @base, string head, CancellationToken ct, bool reverse = false)
    {
        var items = new List<(string, string, string, object)>();
        string? status = null;
        var received = 0;
        for (var page = 1; ; page++)
        {
            var path = $"repos/{run.Repository}/compare/{Uri.EscapeDataString(@base)}...{Uri.EscapeDataString(head)}?per_page={ComparePage}&page={page}";
            var response = await client.GetAsync(run.Owner, path, null, ct);
            if (response.Status is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
            {
                return false;
            }

            if (!response.IsSuccess)
            {
                throw new GitHubApiException(response.Status, $"GitHub answered {(int)response.Status} to {path}: {response.Message()}");
            }

            // The file list (and its patches) is large and says nothing the collector uses.
            var compare = JsonNode.Parse(response.Body)!.AsObject();
            compare.Remove("files");
            status ??= compare["status"]?.GetValue<string>();
            var total = compare["total_commits"]?.GetValue<int>() ?? 0;
            var count = compare["commits"]?.AsArray().Count ?? 0;
            items.Add((GitHubKinds.PolledCompare,
                $"{Key(run)}:{@base.ToLowerInvariant()}...{head.ToLowerInvariant()}:{page.ToString(CultureInfo.InvariantCulture)}", "compare", compare));
            received += count;
            if (count == 0 || received >= total)
            {
                break;
            }
        }

        await StoreAsync(run, items, ct);
        if (status == "diverged" && !reverse)
        {
            await CompareAsync(run, head, @base, ct, reverse: true);
        }

        return true;
    }

    [LoggerMessage(EventId = 2221, Level = LogLevel.Information, Message = "GitHub {Repository}: {Count} commits the stored history names are missing; fetching them")]
    private partial void LogHoles(string repository, int count);

    [LoggerMessage(EventId = 2222, Level = LogLevel.Warning,
        Message = "GitHub {Repository}: {Revisions} of a pending deployment is unknown to GitHub; the deployment stays pending and is asked for again tomorrow")]
    private partial void LogUnresolvable(string repository, string revisions);
}
