using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DoraCollector.Simulator.GitHub;

internal sealed partial class GitHubServer
{
    private const string NotFound = """{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}""";

    private (int Status, string Body, string? Link) Rest(HttpRequest request, string path)
    {
        var segments = path["/api/v3/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var query = request.Query;
        switch (segments)
        {
            case ["app", "installations", var id, "access_tokens"] when request.Method == "POST":
                if (id != InstallationId.ToString(CultureInfo.InvariantCulture))
                {
                    return (404, NotFound, null);
                }

                return (201, new JsonObject
                {
                    ["token"] = IssueInstallationToken(),
                    ["expires_at"] = Instant(_clock.GetUtcNow().AddHours(1)),
                    ["permissions"] = new JsonObject { ["contents"] = "read", ["pull_requests"] = "read", ["deployments"] = "read", ["issues"] = "read" },
                    ["repository_selection"] = "all",
                }.ToJsonString(), null);
            case ["orgs" or "users", var owner, "installation"]:
                return Repositories.Values.Any(r => string.Equals(r.Owner, owner, StringComparison.OrdinalIgnoreCase))
                    ? (200, InstallationJson(owner).ToJsonString(), null)
                    : (404, NotFound, null);
            case ["orgs", var org, "repos"]:
                return Organizations.TryGetValue(org, out var names)
                    ? Page(request, names.Select(n => Repository(n)).Select(RepositoryJson).ToList())
                    : (404, NotFound, null);
        }

        if (segments.Length < 4 || segments[0] != "repos" || !Repositories.TryGetValue($"{segments[1]}/{segments[2]}", out var repo))
        {
            return (404, NotFound, null);
        }

        switch (segments[3..])
        {
            case ["commits"]:
                if (repo.Head is null)
                {
                    return (409, """{"message":"Git Repository is empty.","documentation_url":"https://docs.github.com/rest/commits/commits#list-commits"}""", null);
                }

                var start = query["sha"].ToString() is { Length: > 0 } sha ? repo.Find(sha) : repo.Commits[repo.Head];
                return start is null ? (404, NotFound, null) : Page(request, repo.Log(start.Sha).Select(c => CommitJson(repo, c)).ToList());
            case ["commits", var revision]:
                return repo.Find(revision) is { } commit ? (200, CommitWithFilesJson(repo, commit).ToJsonString(), null) : (404, NotFound, null);
            case ["compare", var basehead]:
                return Compare(request, repo, basehead);
            case ["issues"]:
                return Page(request, Issues(repo, query).ToList());
            case ["deployments"]:
                return Page(request, repo.Deployments.OrderByDescending(d => d.CreatedAt).Select(d => DeploymentJson(repo, d)).ToList());
            case ["actions", "runs"]:
                var created = query["created"].ToString() is { Length: > 2 } c && c.StartsWith(">=", StringComparison.Ordinal)
                    ? DateTimeOffset.Parse(c[2..], CultureInfo.InvariantCulture)
                    : DateTimeOffset.MinValue;
                var runs = repo.Runs.Where(r => r.CreatedAt >= created).OrderByDescending(r => r.CreatedAt).Select(r => RunJson(repo, r)).ToList();
                var (status, body, link) = Page(request, runs);
                return (status, new JsonObject { ["total_count"] = runs.Count, ["workflow_runs"] = JsonNode.Parse(body) }.ToJsonString(), link);
            default:
                return (404, NotFound, null);
        }
    }

    // Commits reachable from head and not from base, oldest first; 250 at most unless paged.
    private (int, string, string?) Compare(HttpRequest request, GitHubRepository repo, string basehead)
    {
        var parts = basehead.Split("...");
        if (parts.Length != 2 || repo.Find(parts[0]) is not { } @base || repo.Find(parts[1]) is not { } head)
        {
            return (404, NotFound, null);
        }

        var fromHead = repo.Log(head.Sha).ToList();
        var fromBase = repo.Log(@base.Sha).ToList();
        var baseShas = fromBase.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        var headShas = fromHead.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        var ahead = fromHead.Where(c => !baseShas.Contains(c.Sha)).Reverse().ToList();
        var behind = fromBase.Count(c => !headShas.Contains(c.Sha));
        var mergeBase = fromHead.FirstOrDefault(c => baseShas.Contains(c.Sha));
        var status = ahead.Count == 0 && behind == 0 ? "identical" : behind == 0 ? "ahead" : ahead.Count == 0 ? "behind" : "diverged";
        var paged = request.Query.ContainsKey("per_page") || request.Query.ContainsKey("page");
        var perPage = paged ? PerPage(request) : 250;
        var page = paged ? PageNumber(request) : 1;
        var commits = ahead.Skip((page - 1) * perPage).Take(perPage).Select(c => (JsonNode?)CommitJson(repo, c)).ToArray();
        var body = new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/{repo.FullName}/compare/{basehead}",
            ["html_url"] = $"https://github.com/{repo.FullName}/compare/{basehead}",
            ["permalink_url"] = $"https://github.com/{repo.FullName}/compare/{@base.Sha}...{head.Sha}",
            ["diff_url"] = $"https://github.com/{repo.FullName}/compare/{basehead}.diff",
            ["patch_url"] = $"https://github.com/{repo.FullName}/compare/{basehead}.patch",
            ["status"] = status,
            ["ahead_by"] = ahead.Count,
            ["behind_by"] = behind,
            ["total_commits"] = ahead.Count,
            ["base_commit"] = CommitJson(repo, @base),
            ["merge_base_commit"] = mergeBase is null ? null : CommitJson(repo, mergeBase),
            ["commits"] = new JsonArray(commits),
            // Each file with the patch of the newest commit in the range that touched it.
            ["files"] = page == 1 ? new JsonArray(ahead.SelectMany(c => c.Files.Select(f => (c.Sha, File: f))).GroupBy(f => f.File).Take(300)
                .Select(g => (JsonNode?)FileJson(repo, head.Sha, g.Key, g.Last().Sha)).ToArray()) : null,
        };
        return (200, body.ToJsonString(), null);
    }

    // The App's installation on an account, as GET /orgs/{org}/installation answers it.
    private JsonObject InstallationJson(string owner) => new()
    {
        ["id"] = InstallationId,
        ["account"] = GitHubRestShapes.User(owner, "Organization"),
        ["app_id"] = AppId,
        ["app_slug"] = "dora-collector",
        ["target_id"] = GitHubRestShapes.Id(owner),
        ["target_type"] = "Organization",
        ["single_file_name"] = null,
        ["repository_selection"] = "all",
        ["access_tokens_url"] = $"https://api.github.com/app/installations/{InstallationId}/access_tokens",
        ["html_url"] = $"https://github.com/organizations/{owner}/settings/installations/{InstallationId}",
        ["repositories_url"] = "https://api.github.com/installation/repositories",
        ["events"] = new JsonArray("deployment_status", "issues", "pull_request", "pull_request_review", "push", "workflow_run"),
        ["permissions"] = new JsonObject { ["contents"] = "read", ["pull_requests"] = "read", ["deployments"] = "read", ["issues"] = "read", ["actions"] = "read" },
        ["created_at"] = "2024-01-10T09:00:00Z",
        ["updated_at"] = "2024-01-10T09:00:00Z",
        ["suspended_by"] = null,
        ["suspended_at"] = null,
    };

    // GET /repos/{o}/{r}/commits/{ref}: the commit with its stats and files.
    private static JsonObject CommitWithFilesJson(GitHubRepository repo, GitHubCommit commit)
    {
        var json = CommitJson(repo, commit);
        json["stats"] = new JsonObject { ["additions"] = commit.Files.Length, ["deletions"] = commit.Files.Length, ["total"] = 2 * commit.Files.Length };
        json["files"] = new JsonArray(commit.Files.Select(f => (JsonNode?)FileJson(repo, commit.Sha, f, commit.Sha)).ToArray());
        return json;
    }

    private static JsonObject FileJson(GitHubRepository repo, string sha, string file, string changedBy) => new()
    {
        ["sha"] = sha,
        ["filename"] = file,
        ["status"] = "modified",
        ["additions"] = 1,
        ["deletions"] = 1,
        ["changes"] = 2,
        ["blob_url"] = $"https://github.com/{repo.FullName}/blob/{sha}/{file}",
        ["raw_url"] = $"https://github.com/{repo.FullName}/raw/{sha}/{file}",
        ["contents_url"] = $"https://api.github.com/repos/{repo.FullName}/contents/{file}?ref={sha}",
        ["patch"] = repo.Patches.GetValueOrDefault((changedBy, file)) ?? "@@ -1 +1 @@\n-old\n+new",
    };

    private static IEnumerable<JsonObject> Issues(GitHubRepository repo, IQueryCollection query)
    {
        var labels = query["labels"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var since = query["since"].ToString() is { Length: > 0 } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        var state = query["state"].ToString() is { Length: > 0 } st ? st : "open";
        var items = repo.Issues.Select(i => (i.UpdatedAt, Labels: i.Labels, Open: i.ClosedAt is null, Json: IssueJson(repo, i)))
            .Concat(repo.PullRequests.Select(p => (p.UpdatedAt, Labels: p.Labels, Open: p.MergedAt is null, Json: PullRequestIssueJson(repo, p))))
            .Where(i => labels.All(l => i.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)))
            .Where(i => i.UpdatedAt >= since)
            .Where(i => state == "all" || (state == "open") == i.Open);
        items = query["direction"] == "asc" ? items.OrderBy(i => i.UpdatedAt) : items.OrderByDescending(i => i.UpdatedAt);
        return items.Select(i => i.Json);
    }

    private (int, string, string?) Page(HttpRequest request, List<JsonObject> items)
    {
        var perPage = PerPage(request);
        var page = PageNumber(request);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var body = new JsonArray(items.Skip((page - 1) * perPage).Take(perPage).Select(i => (JsonNode?)i).ToArray()).ToJsonString();
        string PageUrl(int n)
        {
            var parameters = request.Query.Where(q => q.Key != "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"page={n}");
            return $"<{new Uri(BaseUrl, request.Path.Value!.TrimStart('/'))}?{string.Join('&', parameters)}>";
        }

        var links = new List<string>();
        if (page < last)
        {
            links.Add($"{PageUrl(page + 1)}; rel=\"next\"");
            links.Add($"{PageUrl(last)}; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"{PageUrl(1)}; rel=\"first\"");
            links.Add($"{PageUrl(page - 1)}; rel=\"prev\"");
        }

        return (200, body, links.Count == 0 ? null : string.Join(", ", links));
    }

    private static int PerPage(HttpRequest request) =>
        int.TryParse(request.Query["per_page"], CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 100) : 30;

    private static int PageNumber(HttpRequest request) =>
        int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    private static JsonObject CommitJson(GitHubRepository repo, GitHubCommit commit) => new()
    {
        ["sha"] = commit.Sha,
        ["node_id"] = $"C_{commit.Sha[..12]}",
        ["commit"] = new JsonObject
        {
            ["author"] = new JsonObject { ["name"] = commit.Author.Name, ["email"] = commit.Author.Email, ["date"] = Instant(commit.AuthoredAt) },
            ["committer"] = new JsonObject { ["name"] = commit.Author.Name, ["email"] = commit.Author.Email, ["date"] = Instant(commit.CommittedAt) },
            ["message"] = commit.Message,
            ["tree"] = new JsonObject { ["sha"] = commit.Sha, ["url"] = $"https://api.github.com/repos/{repo.FullName}/git/trees/{commit.Sha}" },
            ["url"] = $"https://api.github.com/repos/{repo.FullName}/git/commits/{commit.Sha}",
            ["comment_count"] = 0,
        },
        ["url"] = $"https://api.github.com/repos/{repo.FullName}/commits/{commit.Sha}",
        ["html_url"] = $"https://github.com/{repo.FullName}/commit/{commit.Sha}",
        ["comments_url"] = $"https://api.github.com/repos/{repo.FullName}/commits/{commit.Sha}/comments",
        ["author"] = commit.Author == GitHubUser.Deleted ? null : GitHubRestShapes.User(commit.Author.Login),
        ["committer"] = commit.Author == GitHubUser.Deleted ? null : GitHubRestShapes.User(commit.Author.Login),
        ["parents"] = new JsonArray(commit.Parents.Select(p => (JsonNode?)new JsonObject
        {
            ["sha"] = p,
            ["url"] = $"https://api.github.com/repos/{repo.FullName}/commits/{p}",
        }).ToArray()),
    };

    private static JsonObject IssueJson(GitHubRepository repo, GitHubIssue issue) => new()
    {
        ["id"] = 90000 + issue.Number,
        ["node_id"] = $"I_{issue.Number}",
        ["url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{issue.Number}",
        ["html_url"] = $"https://github.com/{repo.FullName}/issues/{issue.Number}",
        ["number"] = issue.Number,
        ["title"] = issue.Title,
        ["repository_url"] = $"https://api.github.com/repos/{repo.FullName}",
        ["labels_url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{issue.Number}/labels{{/name}}",
        ["comments_url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{issue.Number}/comments",
        ["events_url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{issue.Number}/events",
        ["user"] = GitHubRestShapes.User("oncall"),
        ["assignee"] = null,
        ["milestone"] = null,
        ["labels"] = Labels(issue.Labels),
        ["state"] = issue.ClosedAt is null ? "open" : "closed",
        ["locked"] = false,
        ["comments"] = 0,
        ["created_at"] = Instant(issue.CreatedAt),
        ["updated_at"] = Instant(issue.UpdatedAt),
        ["closed_at"] = issue.ClosedAt is { } closed ? Instant(closed) : null,
        ["body"] = issue.Body,
    };

    private static JsonObject PullRequestIssueJson(GitHubRepository repo, GitHubPullRequest pr) => new()
    {
        ["id"] = 80000 + pr.Number,
        ["node_id"] = $"PR_{pr.Number}",
        ["url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{pr.Number}",
        ["html_url"] = $"https://github.com/{repo.FullName}/pull/{pr.Number}",
        ["repository_url"] = $"https://api.github.com/repos/{repo.FullName}",
        ["labels_url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{pr.Number}/labels{{/name}}",
        ["comments_url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{pr.Number}/comments",
        ["events_url"] = $"https://api.github.com/repos/{repo.FullName}/issues/{pr.Number}/events",
        ["number"] = pr.Number,
        ["title"] = pr.Title,
        ["user"] = GitHubRestShapes.User(pr.Author.Login),
        ["assignee"] = null,
        ["milestone"] = null,
        ["locked"] = false,
        ["comments"] = 0,
        ["labels"] = Labels(pr.Labels),
        ["state"] = pr.MergedAt is null ? "open" : "closed",
        ["created_at"] = Instant(pr.CreatedAt),
        ["updated_at"] = Instant(pr.UpdatedAt),
        ["closed_at"] = pr.MergedAt is { } merged ? Instant(merged) : null,
        ["pull_request"] = new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/{repo.FullName}/pulls/{pr.Number}",
            ["merged_at"] = pr.MergedAt is { } at ? Instant(at) : null,
            ["html_url"] = $"https://github.com/{repo.FullName}/pull/{pr.Number}",
            ["diff_url"] = $"https://github.com/{repo.FullName}/pull/{pr.Number}.diff",
            ["patch_url"] = $"https://github.com/{repo.FullName}/pull/{pr.Number}.patch",
        },
    };

    private static JsonArray Labels(IEnumerable<string> labels) =>
        new(labels.Select((l, i) => (JsonNode?)new JsonObject { ["id"] = 100 + i, ["name"] = l, ["color"] = "d73a4a", ["default"] = false }).ToArray());

    private static JsonObject DeploymentJson(GitHubRepository repo, GitHubDeployment d) => new()
    {
        ["url"] = $"https://api.github.com/repos/{repo.FullName}/deployments/{d.Id}",
        ["id"] = d.Id,
        ["node_id"] = $"DE_{d.Id}",
        ["sha"] = d.Sha,
        ["ref"] = repo.DefaultBranch,
        ["task"] = "deploy",
        ["payload"] = d.Payload is null ? new JsonObject() : JsonNode.Parse(d.Payload),
        ["original_environment"] = d.Environment,
        ["environment"] = d.Environment,
        ["description"] = d.Description,
        ["creator"] = GitHubRestShapes.User("deployer"),
        ["created_at"] = Instant(d.CreatedAt),
        ["updated_at"] = Instant(d.UpdatedAt),
        ["statuses_url"] = $"https://api.github.com/repos/{repo.FullName}/deployments/{d.Id}/statuses",
        ["repository_url"] = $"https://api.github.com/repos/{repo.FullName}",
    };

    private static JsonObject RunJson(GitHubRepository repo, GitHubWorkflowRun run) => new()
    {
        ["id"] = run.Id,
        ["name"] = run.Name,
        ["node_id"] = $"WFR_{run.Id}",
        ["head_branch"] = repo.DefaultBranch,
        ["head_sha"] = run.HeadSha,
        ["path"] = run.Path,
        ["run_number"] = run.Id % 1000,
        ["event"] = "push",
        ["status"] = "completed",
        ["conclusion"] = run.Conclusion,
        ["workflow_id"] = 161335,
        ["html_url"] = $"https://github.com/{repo.FullName}/actions/runs/{run.Id}",
        ["created_at"] = Instant(run.CreatedAt),
        ["updated_at"] = Instant(run.UpdatedAt),
        ["run_attempt"] = 1,
        ["run_started_at"] = Instant(run.CreatedAt),
        ["display_title"] = run.Name,
        ["url"] = $"https://api.github.com/repos/{repo.FullName}/actions/runs/{run.Id}",
        ["jobs_url"] = $"https://api.github.com/repos/{repo.FullName}/actions/runs/{run.Id}/jobs",
        ["logs_url"] = $"https://api.github.com/repos/{repo.FullName}/actions/runs/{run.Id}/logs",
        ["check_suite_url"] = $"https://api.github.com/repos/{repo.FullName}/check-suites/{run.Id}",
        ["artifacts_url"] = $"https://api.github.com/repos/{repo.FullName}/actions/runs/{run.Id}/artifacts",
        ["cancel_url"] = $"https://api.github.com/repos/{repo.FullName}/actions/runs/{run.Id}/cancel",
        ["rerun_url"] = $"https://api.github.com/repos/{repo.FullName}/actions/runs/{run.Id}/rerun",
        ["workflow_url"] = $"https://api.github.com/repos/{repo.FullName}/actions/workflows/161335",
        ["pull_requests"] = new JsonArray(),
        ["head_commit"] = repo.Commits.TryGetValue(run.HeadSha, out var head) ? GitHubRestShapes.SimpleCommit(head) : null,
        ["head_repository"] = GitHubRestShapes.Repository(repo),
        ["repository"] = GitHubRestShapes.Repository(repo),
    };

    private static JsonObject RepositoryJson(GitHubRepository repo) => GitHubRestShapes.Repository(repo);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
