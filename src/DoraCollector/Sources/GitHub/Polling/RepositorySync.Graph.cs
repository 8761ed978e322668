using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DoraCollector.Sources.GitHub.Client;
using DoraCollector.Sources.GitHub.Mapping;

namespace DoraCollector.Sources.GitHub.Polling;

internal sealed partial class RepositorySync
{
    private const int PullRequestBatch = 10;

    /// <summary>
    /// Reads history, merged pull requests and deployments page by page through the combined
    /// GraphQL query, storing each page and saving the cursors after it.
    /// </summary>
    private async Task ReadGraphAsync(Run run, CancellationToken ct)
    {
        var state = run.State;
        var progress = state.Progress!;
        while (progress.History || progress.Pulls || progress.Deployments)
        {
            var pinned = progress.Head is not null;
            var variables = run.Variables();
            variables["since"] = Timestamp(progress.Since);
            variables["history"] = progress.HistoryCursor;
            variables["withHistory"] = progress.History;
            variables["pulls"] = progress.PullsCursor;
            variables["withPulls"] = progress.Pulls;
            variables["pullsPage"] = progress.PullsPage;
            variables["deployments"] = progress.DeploymentsCursor;
            variables["withDeployments"] = progress.Deployments;
            if (pinned)
            {
                variables["head"] = progress.Head;
            }

            JsonElement data;
            try
            {
                data = await client.GraphQLAsync(run.Owner, GitHubQueries.Sync(pinned), variables, ct);
            }
            catch (GitHubApiException e) when (e.Status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout && progress.Pulls && progress.PullsPage > 5)
            {
                // GitHub gives a query ten seconds; a page of large pull requests can take longer.
                progress.PullsPage /= 2;
                LogSmallerPages(run.Repository, progress.PullsPage);
                await SaveProgressAsync(run, ct);
                continue;
            }

            if (!data.TryGetProperty("repository", out var repository) || repository.ValueKind != JsonValueKind.Object)
            {
                throw new GitHubApiException(HttpStatusCode.NotFound, $"GitHub repository {run.Repository} was not found or is not accessible");
            }

            var items = new List<(string, string, string, object)>();
            ReadHistory(run, progress, repository, pinned, items);
            if (progress.Pulls)
            {
                await ReadPullRequestsAsync(run, progress, repository.GetProperty("pullRequests"), items, ct);
            }

            if (progress.Deployments)
            {
                ReadDeployments(run, progress, repository.GetProperty("deployments"), items);
            }

            await StoreAsync(run, items, ct);
            await SaveProgressAsync(run, ct);
        }

        if (progress.ReadsHistory && progress.Head is not null)
        {
            (state.Head, state.HistoryAt) = (progress.Head, progress.StartedAt);
        }

        if (progress.ReadsPulls)
        {
            state.PullsAt = progress.StartedAt;
        }

        if (progress.ReadsDeployments)
        {
            state.DeploymentsAt = progress.StartedAt;
            state.HasDeployments |= progress.SawDeployments;
            state.DeploymentsInFlight = progress.InFlight;
        }

        state.Progress = null;
        await SaveProgressAsync(run, ct);
    }

    [LoggerMessage(EventId = 2223, Level = LogLevel.Warning, Message = "GitHub {Repository}: a page of pull requests timed out; reading {PageSize} per page")]
    private partial void LogSmallerPages(string repository, int pageSize);

    private static void ReadHistory(Run run, GraphProgress progress, JsonElement repository, bool pinned, List<(string, string, string, object)> items)
    {
        JsonElement target;
        if (!pinned)
        {
            if (!repository.TryGetProperty("defaultBranchRef", out var branch) || branch.ValueKind != JsonValueKind.Object
                || branch.GetProperty("target").ValueKind != JsonValueKind.Object)
            {
                // An empty repository: no history yet.
                progress.History = false;
                return;
            }

            run.State.DefaultBranch = branch.GetProperty("name").GetString();
            target = branch.GetProperty("target");
            progress.Head = target.GetProperty("oid").GetString();
        }
        else if (!progress.History)
        {
            return;
        }
        else if (!repository.TryGetProperty("head", out target) || target.ValueKind != JsonValueKind.Object)
        {
            // The head the read started from is gone (a force-push and garbage collection): start over.
            (progress.Head, progress.HistoryCursor) = (null, null);
            return;
        }

        if (!progress.History || !target.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var nodes = history.GetProperty("nodes");
        if (nodes.GetArrayLength() > 0)
        {
            var first = nodes[0].GetProperty("oid").GetString();
            var last = nodes[nodes.GetArrayLength() - 1].GetProperty("oid").GetString();
            items.Add((GitHubKinds.PolledCommits, $"{Key(run)}:{first}..{last}", "commits", nodes));
        }

        (progress.History, progress.HistoryCursor) = Page(history);
    }

    private async Task ReadPullRequestsAsync(
        Run run, GraphProgress progress, JsonElement connection, List<(string, string, string, object)> items, CancellationToken ct)
    {
        var nodes = connection.GetProperty("nodes").EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object)
            .Select(n => JsonNode.Parse(n.GetRawText())!.AsObject()).ToList();
        await CompleteCommitsAsync(run, nodes, ct);
        foreach (var pr in nodes)
        {
            items.Add((GitHubKinds.PolledPullRequest, $"{Key(run)}#{pr["number"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture)}", "pullRequest", pr));
        }

        var (more, cursor) = Page(connection);
        var oldest = nodes.Count == 0 ? (DateTimeOffset?)null : Instant(nodes[^1]["updatedAt"]);
        progress.PullsCursor = cursor;
        progress.Pulls = more && (oldest is null || oldest >= progress.PullsStopAt);
    }

    /// <summary>Pull requests with more commits than one page holds get the rest, ten pull requests per request.</summary>
    private async Task CompleteCommitsAsync(Run run, List<JsonObject> pullRequests, CancellationToken ct)
    {
        var open = pullRequests.Where(HasMoreCommits).ToList();
        while (open.Count > 0)
        {
            foreach (var batch in open.Chunk(PullRequestBatch))
            {
                var variables = run.Variables();
                for (var i = 0; i < batch.Length; i++)
                {
                    variables[$"after{i}"] = batch[i]["commits"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
                }

                var data = await client.GraphQLAsync(run.Owner,
                    GitHubQueries.PullRequestCommits(batch.Select(p => p["number"]!.GetValue<int>()).ToList()), variables, ct);
                var repository = data.GetProperty("repository");
                for (var i = 0; i < batch.Length; i++)
                {
                    var page = repository.GetProperty($"pr{i}").GetProperty("commits");
                    var commits = batch[i]["commits"]!.AsObject();
                    var all = commits["nodes"]!.AsArray();
                    foreach (var node in page.GetProperty("nodes").EnumerateArray())
                    {
                        all.Add(JsonNode.Parse(node.GetRawText()));
                    }

                    commits["pageInfo"] = JsonNode.Parse(page.GetProperty("pageInfo").GetRawText());
                }
            }

            open = open.Where(HasMoreCommits).ToList();
        }

        static bool HasMoreCommits(JsonObject pr) => pr["commits"]?["pageInfo"]?["hasNextPage"]?.GetValue<bool>() == true;
    }

    private static void ReadDeployments(Run run, GraphProgress progress, JsonElement connection, List<(string, string, string, object)> items)
    {
        DateTimeOffset? oldest = null;
        foreach (var node in connection.GetProperty("nodes").EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object))
        {
            var deployment = GitHubJson.Read<GqlDeployment>(node, GitHubJson.GraphQL, "deployment");
            progress.SawDeployments = true;
            oldest = deployment.CreatedAt;
            var states = (deployment.Statuses?.Nodes ?? []).OfType<GqlDeploymentStatus>().Select(s => s.State).ToList();
            if (deployment.CreatedAt > progress.StartedAt.AddDays(-1)
                && !states.Any(s => DeploymentMapping.Outcome(s) is not null || s == "INACTIVE"))
            {
                progress.InFlight = true;
            }

            items.Add((GitHubKinds.PolledDeployment,
                $"{Key(run)}/deployments/{deployment.DatabaseId.ToString(CultureInfo.InvariantCulture)}", "deployment", node));
        }

        var (more, cursor) = Page(connection);
        progress.DeploymentsCursor = cursor;
        progress.Deployments = more && (oldest is null || oldest >= progress.DeploymentsStopAt);
    }

    private static (bool More, string? Cursor) Page(JsonElement connection)
    {
        var info = connection.GetProperty("pageInfo");
        return (info.GetProperty("hasNextPage").GetBoolean(),
            info.TryGetProperty("endCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String ? cursor.GetString() : null);
    }

    private static DateTimeOffset? Instant(JsonNode? node) =>
        node is null ? null : DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Key(Run run) => run.Repository.ToLowerInvariant();
}
