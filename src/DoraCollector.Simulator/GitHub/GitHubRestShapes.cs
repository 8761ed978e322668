using System.Text.Json.Nodes;

namespace DoraCollector.Simulator.GitHub;

/// <summary>
/// The objects GitHub's REST answers nest (<c>simple-user</c>, <c>minimal-repository</c>,
/// <c>simple-commit</c>) with every property GitHub's OpenAPI description requires, so the fake's
/// answers validate against the operations' response schemas (the contract tests check it).
/// </summary>
internal static class GitHubRestShapes
{
    private const string Api = "https://api.github.com";

    /// <summary>A <c>simple-user</c>; its id is derived from the login.</summary>
    public static JsonObject User(string login, string type = "User")
    {
        var url = $"{Api}/users/{login}";
        return new JsonObject
        {
            ["login"] = login,
            ["id"] = Id(login),
            ["node_id"] = $"U_{login}",
            ["avatar_url"] = $"https://avatars.githubusercontent.com/{login}",
            ["gravatar_id"] = "",
            ["url"] = url,
            ["html_url"] = $"https://github.com/{login}",
            ["followers_url"] = $"{url}/followers",
            ["following_url"] = $"{url}/following{{/other_user}}",
            ["gists_url"] = $"{url}/gists{{/gist_id}}",
            ["starred_url"] = $"{url}/starred{{/owner}}{{/repo}}",
            ["subscriptions_url"] = $"{url}/subscriptions",
            ["organizations_url"] = $"{url}/orgs",
            ["repos_url"] = $"{url}/repos",
            ["events_url"] = $"{url}/events{{/privacy}}",
            ["received_events_url"] = $"{url}/received_events",
            ["type"] = type,
            ["site_admin"] = false,
        };
    }

    /// <summary>A <c>minimal-repository</c> (what lists of repositories and workflow runs carry).</summary>
    public static JsonObject Repository(GitHubRepository repo) => Repository(repo.FullName, repo.DefaultBranch, repo.Archived);

    /// <summary>A <c>minimal-repository</c> of the given full name.</summary>
    public static JsonObject Repository(string fullName, string defaultBranch, bool archived)
    {
        var url = $"{Api}/repos/{fullName}";
        var repository = new JsonObject
        {
            ["id"] = Id(fullName),
            ["node_id"] = $"R_{fullName}",
            ["name"] = fullName.Split('/')[1],
            ["full_name"] = fullName,
            ["owner"] = User(fullName.Split('/')[0], "Organization"),
            ["private"] = true,
            ["html_url"] = $"https://github.com/{fullName}",
            ["description"] = null,
            ["fork"] = false,
            ["url"] = url,
            ["archived"] = archived,
            ["disabled"] = false,
            ["default_branch"] = defaultBranch,
        };
        string[] plain = ["forks", "keys", "collaborators", "teams", "hooks", "events", "assignees", "branches", "tags", "blobs", "languages",
            "stargazers", "contributors", "subscribers", "subscription", "merges", "downloads", "deployments", "releases"];
        foreach (var name in plain)
        {
            repository[$"{name}_url"] = $"{url}/{name}";
        }

        (string Name, string Template)[] templated =
        [
            ("archive", "{archive_format}{/ref}"), ("issue_events", "issues/events{/number}"), ("git_tags", "git/tags{/sha}"),
            ("git_refs", "git/refs{/sha}"), ("trees", "git/trees{/sha}"), ("statuses", "statuses/{sha}"), ("commits", "commits{/sha}"),
            ("git_commits", "git/commits{/sha}"), ("comments", "comments{/number}"), ("issue_comment", "issues/comments{/number}"),
            ("contents", "contents/{+path}"), ("compare", "compare/{base}...{head}"), ("issues", "issues{/number}"), ("pulls", "pulls{/number}"),
            ("milestones", "milestones{/number}"), ("notifications", "notifications{?since,all,participating}"), ("labels", "labels{/name}"),
        ];
        foreach (var (name, template) in templated)
        {
            repository[$"{name}_url"] = $"{url}/{template}";
        }

        return repository;
    }

    /// <summary>A <c>simple-commit</c> (a workflow run's head commit).</summary>
    public static JsonObject SimpleCommit(GitHubCommit commit) => new()
    {
        ["id"] = commit.Sha,
        ["tree_id"] = commit.Sha,
        ["message"] = commit.Message,
        ["timestamp"] = commit.CommittedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["author"] = new JsonObject { ["name"] = commit.Author.Name, ["email"] = commit.Author.Email },
        ["committer"] = new JsonObject { ["name"] = commit.Author.Name, ["email"] = commit.Author.Email },
    };

    public static long Id(string name) => 1000 + (uint)name.Aggregate(17, (h, c) => unchecked((h * 31) + c)) % 1_000_000;
}
