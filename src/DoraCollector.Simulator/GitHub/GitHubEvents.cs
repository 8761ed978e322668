using System.Globalization;
using System.Text.Json.Nodes;
using DoraCollector.Simulator.Model;

namespace DoraCollector.Simulator.GitHub;

/// <summary>
/// Repository webhook deliveries in GitHub's shape (REST objects, snake_case, second-precision
/// times): a pull request opened and merged, a review submitted, a push, a deployment status.
/// Each is the <c>X-GitHub-Event</c> name and the body.
/// </summary>
internal static partial class GitHubEvents
{
    public static (string Event, string Body) PullRequestOpened(
        Repository repository, int number, string title, GitHubUser author, DateTimeOffset opened, IReadOnlyList<string> labels) =>
        ("pull_request", new JsonObject
        {
            ["action"] = "opened",
            ["number"] = number,
            ["pull_request"] = PullRequest(repository, number, title, author, opened, opened, null, null, labels),
            ["repository"] = RepositoryJson(repository),
            ["organization"] = Owner(repository),
            ["sender"] = User(author),
        }.ToJsonString());

    public static (string Event, string Body) PullRequestMerged(Repository repository, GitHubPullRequest pr, GitHubUser merger) =>
        ("pull_request", new JsonObject
        {
            ["action"] = "closed",
            ["number"] = pr.Number,
            ["pull_request"] = PullRequest(repository, pr.Number, pr.Title, pr.Author, pr.CreatedAt, pr.MergedAt, pr.MergedAt, pr.MergeCommit, pr.Labels, merger,
                pr.Commits.Count),
            ["repository"] = RepositoryJson(repository),
            ["organization"] = Owner(repository),
            ["sender"] = User(merger),
        }.ToJsonString());

    public static (string Event, string Body) Review(
        Repository repository, int number, string title, GitHubUser author, GitHubUser reviewer, DateTimeOffset opened, DateTimeOffset submitted) =>
        ("pull_request_review", new JsonObject
        {
            ["action"] = "submitted",
            ["review"] = new JsonObject
            {
                ["id"] = 700_000 + number,
                ["user"] = User(reviewer),
                ["body"] = "Looks good to me.",
                ["state"] = "approved",
                ["submitted_at"] = Instant(submitted),
                ["html_url"] = $"https://github.com/{repository.FullName}/pull/{number}#pullrequestreview-{700_000 + number}",
                ["node_id"] = $"PRR_{700_000 + number}",
                ["commit_id"] = GitHubWebhookShapes.Sha($"{repository.FullName}:head-{number}"),
                ["pull_request_url"] = $"https://api.github.com/repos/{repository.FullName}/pulls/{number}",
                ["author_association"] = "MEMBER",
                ["_links"] = new JsonObject
                {
                    ["html"] = new JsonObject { ["href"] = $"https://github.com/{repository.FullName}/pull/{number}#pullrequestreview-{700_000 + number}" },
                    ["pull_request"] = new JsonObject { ["href"] = $"https://api.github.com/repos/{repository.FullName}/pulls/{number}" },
                },
            },
            ["pull_request"] = PullRequest(repository, number, title, author, opened, submitted, null, null, [], simple: true),
            ["repository"] = RepositoryJson(repository),
            ["organization"] = Owner(repository),
            ["sender"] = User(reviewer),
        }.ToJsonString());

    public static (string Event, string Body) Push(Repository repository, string before, IReadOnlyList<GitHubCommit> commits, GitHubUser pusher)
    {
        var list = commits.Select(c => (JsonNode?)new JsonObject
        {
            ["id"] = c.Sha,
            ["tree_id"] = c.Sha,
            ["distinct"] = true,
            ["message"] = c.Message,
            ["timestamp"] = Instant(c.AuthoredAt),
            ["url"] = $"https://github.com/{repository.FullName}/commit/{c.Sha}",
            ["author"] = new JsonObject { ["name"] = c.Author.Name, ["email"] = c.Author.Email, ["username"] = c.Author.Login },
            ["committer"] = new JsonObject { ["name"] = c.Author.Name, ["email"] = c.Author.Email, ["username"] = c.Author.Login },
            ["added"] = new JsonArray(),
            ["removed"] = new JsonArray(),
            ["modified"] = new JsonArray(c.Files.Select(f => (JsonNode?)f).ToArray()),
        }).ToArray();
        var after = commits[^1].Sha;
        return ("push", new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["before"] = before,
            ["after"] = after,
            ["created"] = false,
            ["deleted"] = false,
            ["forced"] = false,
            ["base_ref"] = null,
            ["compare"] = $"https://github.com/{repository.FullName}/compare/{before[..12]}...{after[..12]}",
            ["commits"] = new JsonArray(list),
            ["head_commit"] = list[^1]!.DeepClone(),
            ["repository"] = RepositoryJson(repository),
            ["pusher"] = new JsonObject { ["name"] = pusher.Login, ["email"] = pusher.Email },
            ["organization"] = Owner(repository),
            ["sender"] = User(pusher),
        }.ToJsonString());
    }

    public static (string Event, string Body) DeploymentStatus(Repository repository, GitHubDeployment deployment, GitHubDeploymentStatus status, string service)
    {
        var deployer = new GitHubUser("deploy-bot", "Deploy Bot", "deploy-bot@users.noreply.github.com");
        return ("deployment_status", new JsonObject
        {
            ["action"] = "created",
            ["deployment_status"] = new JsonObject
            {
                ["url"] = $"https://api.github.com/repos/{repository.FullName}/deployments/{deployment.Id}/statuses/{status.Id}",
                ["id"] = status.Id,
                ["node_id"] = $"DES_{status.Id}",
                ["state"] = status.State,
                ["creator"] = User(deployer),
                ["description"] = $"Deployment {status.State}",
                ["environment"] = deployment.Environment,
                ["target_url"] = $"https://ci.example.com/deploys/{status.Id}",
                ["log_url"] = $"https://ci.example.com/deploys/{status.Id}/log",
                ["created_at"] = Instant(status.CreatedAt),
                ["updated_at"] = Instant(status.CreatedAt),
                ["deployment_url"] = $"https://api.github.com/repos/{repository.FullName}/deployments/{deployment.Id}",
                ["repository_url"] = $"https://api.github.com/repos/{repository.FullName}",
            },
            ["deployment"] = new JsonObject
            {
                ["url"] = $"https://api.github.com/repos/{repository.FullName}/deployments/{deployment.Id}",
                ["id"] = deployment.Id,
                ["node_id"] = $"DE_{deployment.Id}",
                ["sha"] = deployment.Sha,
                ["ref"] = "main",
                ["task"] = "deploy",
                ["payload"] = deployment.Payload is { } payload ? JsonNode.Parse(payload) : new JsonObject { ["service"] = service },
                ["original_environment"] = deployment.Environment,
                ["environment"] = deployment.Environment,
                ["description"] = deployment.Description,
                ["creator"] = User(deployer),
                ["created_at"] = Instant(deployment.CreatedAt),
                ["updated_at"] = Instant(status.CreatedAt),
                ["statuses_url"] = $"https://api.github.com/repos/{repository.FullName}/deployments/{deployment.Id}/statuses",
                ["repository_url"] = $"https://api.github.com/repos/{repository.FullName}",
            },
            ["repository"] = RepositoryJson(repository),
            ["organization"] = Owner(repository),
            ["sender"] = User(deployer),
        }.ToJsonString());
    }

    // A pull request as a delivery shows it; a review's delivery carries the shorter
    // simple-pull-request (no merge state, no counts).
    private static JsonObject PullRequest(
        Repository repository, int number, string title, GitHubUser author, DateTimeOffset created, DateTimeOffset? updated, DateTimeOffset? merged,
        string? mergeCommit, IReadOnlyList<string> labels, GitHubUser? merger = null, int commits = 1, bool simple = false)
    {
        var api = $"https://api.github.com/repos/{repository.FullName}";
        var head = GitHubWebhookShapes.Sha($"{repository.FullName}:head-{number}");
        var pr = new JsonObject
        {
            ["url"] = $"{api}/pulls/{number}",
            ["id"] = 800_000 + number,
            ["node_id"] = $"PR_{800_000 + number}",
            ["html_url"] = $"https://github.com/{repository.FullName}/pull/{number}",
            ["diff_url"] = $"https://github.com/{repository.FullName}/pull/{number}.diff",
            ["patch_url"] = $"https://github.com/{repository.FullName}/pull/{number}.patch",
            ["issue_url"] = $"{api}/issues/{number}",
            ["number"] = number,
            ["state"] = merged is null ? "open" : "closed",
            ["locked"] = false,
            ["title"] = title,
            ["user"] = User(author),
            ["body"] = null,
            ["labels"] = new JsonArray(labels.Select((l, i) => (JsonNode?)GitHubWebhookShapes.Label(repository.FullName, l, i)).ToArray()),
            ["created_at"] = Instant(created),
            ["updated_at"] = Instant(updated ?? created),
            ["closed_at"] = merged is { } m ? Instant(m) : null,
            ["merged_at"] = merged is { } at ? Instant(at) : null,
            ["merge_commit_sha"] = mergeCommit,
            ["assignee"] = null,
            ["assignees"] = new JsonArray(),
            ["requested_reviewers"] = new JsonArray(),
            ["requested_teams"] = new JsonArray(),
            ["milestone"] = null,
            ["draft"] = false,
            ["commits_url"] = $"{api}/pulls/{number}/commits",
            ["review_comments_url"] = $"{api}/pulls/{number}/comments",
            ["review_comment_url"] = $"{api}/pulls/comments{{/number}}",
            ["comments_url"] = $"{api}/issues/{number}/comments",
            ["statuses_url"] = $"{api}/statuses/{head}",
            ["head"] = GitHubWebhookShapes.Branch(repository.FullName, $"feature-{number}", head),
            ["base"] = GitHubWebhookShapes.Branch(repository.FullName, "main", GitHubWebhookShapes.Sha($"{repository.FullName}:base-{number}")),
            ["_links"] = GitHubWebhookShapes.PullRequestLinks(repository.FullName, number),
            ["author_association"] = "MEMBER",
            ["auto_merge"] = null,
            ["active_lock_reason"] = null,
        };
        if (!simple)
        {
            pr["merged"] = merged is not null;
            pr["mergeable"] = null;
            pr["rebaseable"] = null;
            pr["mergeable_state"] = "unknown";
            pr["merged_by"] = merger is null ? null : User(merger);
            pr["comments"] = 0;
            pr["review_comments"] = 0;
            pr["maintainer_can_modify"] = false;
            pr["commits"] = commits;
            pr["additions"] = commits * 10;
            pr["deletions"] = commits * 2;
            pr["changed_files"] = commits;
        }

        return pr;
    }

    private static JsonObject RepositoryJson(Repository repository) => GitHubWebhookShapes.Repository(repository.FullName);

    private static JsonObject Owner(Repository repository) => GitHubWebhookShapes.Organization(repository.FullName.Split('/')[0]);

    private static JsonObject User(GitHubUser user) => GitHubRestShapes.User(user.Login);

    internal static string Instant(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "";
}
