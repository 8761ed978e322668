using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DoraCollector.Simulator.GitHub;

/// <summary>
/// The objects GitHub's webhook deliveries nest (<c>repository</c>, <c>organization</c>,
/// <c>label</c>, a pull request's <c>head</c>, <c>base</c> and <c>_links</c>) with every property
/// <c>@octokit/webhooks-schemas</c> requires, so the simulator's deliveries validate against it
/// (the contract tests check it).
/// </summary>
internal static class GitHubWebhookShapes
{
    private static readonly string Created = "2020-01-06T09:00:00Z";

    /// <summary>The <c>repository</c> of a delivery.</summary>
    public static JsonObject Repository(string fullName)
    {
        var repository = GitHubRestShapes.Repository(fullName, "main", archived: false);
        repository.Remove("disabled");
        repository["created_at"] = Created;
        repository["updated_at"] = Created;
        repository["pushed_at"] = Created;
        repository["git_url"] = $"git://github.com/{fullName}.git";
        repository["ssh_url"] = $"git@github.com:{fullName}.git";
        repository["clone_url"] = $"https://github.com/{fullName}.git";
        repository["svn_url"] = $"https://github.com/{fullName}";
        repository["homepage"] = null;
        repository["language"] = "Go";
        repository["license"] = null;
        repository["mirror_url"] = null;
        foreach (var count in new[] { "size", "stargazers_count", "watchers_count", "forks_count", "open_issues_count", "forks", "open_issues", "watchers" })
        {
            repository[count] = 0;
        }

        foreach (var flag in new[] { "has_issues", "has_projects", "has_downloads", "has_wiki" })
        {
            repository[flag] = true;
        }

        repository["has_pages"] = false;
        repository["is_template"] = false;
        repository["web_commit_signoff_required"] = false;
        repository["topics"] = new JsonArray();
        repository["visibility"] = "private";
        repository["custom_properties"] = new JsonObject();
        return repository;
    }

    /// <summary>The <c>organization</c> of a delivery.</summary>
    public static JsonObject Organization(string login)
    {
        var url = $"https://api.github.com/orgs/{login}";
        return new JsonObject
        {
            ["login"] = login,
            ["id"] = GitHubRestShapes.Id(login),
            ["node_id"] = $"O_{login}",
            ["url"] = url,
            ["repos_url"] = $"{url}/repos",
            ["events_url"] = $"{url}/events",
            ["hooks_url"] = $"{url}/hooks",
            ["issues_url"] = $"{url}/issues",
            ["members_url"] = $"{url}/members{{/member}}",
            ["public_members_url"] = $"{url}/public_members{{/member}}",
            ["avatar_url"] = $"https://avatars.githubusercontent.com/{login}",
            ["description"] = null,
        };
    }

    public static JsonObject Label(string fullName, string name, int index) => new()
    {
        ["id"] = 100 + index,
        ["node_id"] = $"LA_{name}",
        ["url"] = $"https://api.github.com/repos/{fullName}/labels/{Uri.EscapeDataString(name)}",
        ["name"] = name,
        ["color"] = "d73a4a",
        ["default"] = false,
        ["description"] = null,
    };

    /// <summary>A pull request's <c>head</c> or <c>base</c>: the branch, its tip and the repository.</summary>
    public static JsonObject Branch(string fullName, string branch, string sha) => new()
    {
        ["label"] = $"{fullName.Split('/')[0]}:{branch}",
        ["ref"] = branch,
        ["sha"] = sha,
        ["user"] = GitHubRestShapes.User(fullName.Split('/')[0], "Organization"),
        ["repo"] = Repository(fullName),
    };

    /// <summary>The <c>_links</c> of a pull request.</summary>
    public static JsonObject PullRequestLinks(string fullName, int number)
    {
        var api = $"https://api.github.com/repos/{fullName}";
        static JsonObject Link(string href) => new() { ["href"] = href };
        return new JsonObject
        {
            ["self"] = Link($"{api}/pulls/{number}"),
            ["html"] = Link($"https://github.com/{fullName}/pull/{number}"),
            ["issue"] = Link($"{api}/issues/{number}"),
            ["comments"] = Link($"{api}/issues/{number}/comments"),
            ["review_comments"] = Link($"{api}/pulls/{number}/comments"),
            ["review_comment"] = Link($"{api}/pulls/comments{{/number}}"),
            ["commits"] = Link($"{api}/pulls/{number}/commits"),
            ["statuses"] = Link($"{api}/statuses/{{sha}}"),
        };
    }

    /// <summary>A stand-in SHA for what the simulation does not model (a branch tip before the merge).</summary>
    public static string Sha(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
}
