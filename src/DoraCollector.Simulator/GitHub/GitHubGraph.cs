using DoraCollector.Simulator.GitHub.GraphQL;

namespace DoraCollector.Simulator.GitHub;

// The part of GitHub's GraphQL schema the collector reads, over the fake repositories. Field
// names and arguments are GitHub's; a field GitHub does not have is an error, as it is there.

internal sealed class QueryNode(GitHubServer github) : GraphObject
{
    public override string TypeName => "Query";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "repository" => github.Repositories.GetValueOrDefault($"{args.String("owner")}/{args.String("name")}") is { } repo
            ? new RepositoryNode(repo)
            : null,
        "rateLimit" => new RateLimitNode(github.RateLimitOf("graphql")),
        _ => throw Unknown(field),
    };
}

internal sealed class RateLimitNode(GitHubRateLimit limit) : GraphObject
{
    public override string TypeName => "RateLimit";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "cost" => 1,
        "limit" => limit.Limit,
        "remaining" => limit.Remaining,
        "used" => limit.Limit - limit.Remaining,
        "resetAt" => limit.ResetAt,
        _ => throw Unknown(field),
    };
}

internal sealed class RepositoryNode(GitHubRepository repo) : GraphObject
{
    public override string TypeName => "Repository";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "nameWithOwner" => repo.FullName,
        "defaultBranchRef" => repo.Head is null ? null : new RefNode(repo, repo.DefaultBranch, repo.Commits[repo.Head]),
        "object" => (args.String("oid") is { } oid ? repo.Commits.GetValueOrDefault(oid) : repo.Find(args.String("expression") ?? ""))
            is { } commit ? new CommitNode(repo, commit) : null,
        "pullRequests" => new Connection("PullRequestConnection", PullRequests(args).Select(p => (object?)new PullRequestNode(repo, p)).ToList(), args),
        "pullRequest" => repo.PullRequests.FirstOrDefault(p => p.Number == args.Int("number")) is { } pr ? new PullRequestNode(repo, pr) : null,
        "deployments" => new Connection("DeploymentConnection",
            Ordered(repo.Deployments, d => d.CreatedAt, args).Select(d => (object?)new DeploymentNode(repo, d)).ToList(), args),
        "refs" => args.String("refPrefix") == "refs/tags/"
            ? new Connection("RefConnection", Ordered(repo.Tags.Where(t => repo.Commits.ContainsKey(t.Value.Sha)), t => repo.Commits[t.Value.Sha].CommittedAt, args)
                .Select(t => (object?)new TagRefNode(repo, t.Key, repo.Commits[t.Value.Sha], t.Value.Annotated)).ToList(), args)
            : throw new GraphQLException("the fake GitHub lists only refs/tags/"),
        _ => throw Unknown(field),
    };

    private IEnumerable<GitHubPullRequest> PullRequests(Arguments args)
    {
        var states = args["states"] as List<object?> ?? ["OPEN", "CLOSED", "MERGED"];
        var selected = repo.PullRequests.Where(p => states.Contains(p.MergedAt is null ? "OPEN" : "MERGED"));
        var field = (args["orderBy"] as Dictionary<string, object?>)?.GetValueOrDefault("field") as string;
        return field == "UPDATED_AT" ? Ordered(selected, p => p.UpdatedAt, args) : Ordered(selected, p => p.CreatedAt, args);
    }

    private static IEnumerable<T> Ordered<T>(IEnumerable<T> items, Func<T, DateTimeOffset> key, Arguments args) =>
        (args["orderBy"] as Dictionary<string, object?>)?.GetValueOrDefault("direction") as string == "DESC"
            ? items.OrderByDescending(key)
            : items.OrderBy(key);
}

internal sealed class RefNode(GitHubRepository repo, string name, GitHubCommit target) : GraphObject
{
    public override string TypeName => "Ref";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "name" => name,
        "target" => new CommitNode(repo, target),
        _ => throw Unknown(field),
    };
}

/// <summary>A git tag's ref: its target is the commit (lightweight) or a Tag object pointing at it (annotated).</summary>
internal sealed class TagRefNode(GitHubRepository repo, string name, GitHubCommit commit, bool annotated) : GraphObject
{
    public override string TypeName => "Ref";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "name" => name,
        "prefix" => "refs/tags/",
        "target" => annotated ? new TagNode(repo, name, commit) : new CommitNode(repo, commit),
        _ => throw Unknown(field),
    };
}

internal sealed class TagNode(GitHubRepository repo, string name, GitHubCommit commit) : GraphObject
{
    public override string TypeName => "Tag";

    public override IReadOnlyCollection<string> Implements => ["Tag", "GitObject", "Node"];

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "oid" => repo.Sha($"tag:{name}"),
        "name" => name,
        "message" => name,
        "target" => new CommitNode(repo, commit),
        _ => throw Unknown(field),
    };
}

internal sealed class CommitNode(GitHubRepository repo, GitHubCommit commit) : GraphObject
{
    public override string TypeName => "Commit";

    public override IReadOnlyCollection<string> Implements => ["Commit", "GitObject", "Node"];

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "oid" => commit.Sha,
        "authoredDate" => commit.AuthoredAt,
        "committedDate" => commit.CommittedAt,
        "messageHeadline" => commit.Headline,
        "message" => commit.Message,
        "author" or "committer" => new GitActorNode(commit),
        "parents" => new Connection("CommitConnection",
            commit.Parents.Where(repo.Commits.ContainsKey).Select(p => (object?)new CommitNode(repo, repo.Commits[p])).ToList(), args),
        "history" => new Connection("CommitHistoryConnection", History(args).Select(c => (object?)new CommitNode(repo, c)).ToList(), args),
        "associatedPullRequests" => new Connection("PullRequestConnection",
            repo.PullRequests.Where(p => p.Number == commit.PullRequest).Select(p => (object?)new PullRequestNode(repo, p)).ToList(), args),
        _ => throw Unknown(field),
    };

    // git log [--since] [-- path]: with a path, only commits that change it themselves (a merge
    // commit that only brings its branch is left out, as git's history simplification does).
    private IEnumerable<GitHubCommit> History(Arguments args)
    {
        var since = args.String("since") is { } s ? DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        var path = args.String("path")?.Trim('/');
        return repo.Log(commit.Sha, since).Where(c => path is null || c.Files.Any(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal)));
    }
}

internal sealed class GitActorNode(GitHubCommit commit) : GraphObject
{
    public override string TypeName => "GitActor";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "name" => commit.Author.Name,
        "email" => commit.Author.Email,
        "date" => commit.AuthoredAt,
        "user" => commit.Author == GitHubUser.Deleted ? null : new UserNode(commit.Author.Login),
        _ => throw Unknown(field),
    };
}

internal sealed class UserNode(string login) : GraphObject
{
    public override string TypeName => "User";

    public override IReadOnlyCollection<string> Implements => ["User", "Actor"];

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "login" => login,
        _ => throw Unknown(field),
    };
}

internal sealed class PullRequestNode(GitHubRepository repo, GitHubPullRequest pr) : GraphObject
{
    public override string TypeName => "PullRequest";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "number" => pr.Number,
        "title" => pr.Title,
        "url" => $"https://github.com/{repo.FullName}/pull/{pr.Number}",
        "state" => pr.MergedAt is null ? "OPEN" : "MERGED",
        "merged" => pr.MergedAt is not null,
        "createdAt" => pr.CreatedAt,
        "updatedAt" => pr.UpdatedAt,
        "mergedAt" => pr.MergedAt,
        "closedAt" => pr.MergedAt,
        "baseRefName" => repo.DefaultBranch,
        "headRefName" => $"feature-{pr.Number}",
        "author" => pr.Author == GitHubUser.Deleted ? null : new UserNode(pr.Author.Login),
        "mergeCommit" => pr.MergeCommit is { } sha && repo.Commits.TryGetValue(sha, out var merge) ? new CommitNode(repo, merge) : null,
        "labels" => new Connection("LabelConnection", pr.Labels.Select(l => (object?)new NamedNode("Label", l)).ToList(), args),
        "reviews" => new Connection("PullRequestReviewConnection", pr.Reviews.Select(r => (object?)new ReviewNode(r)).ToList(), args),
        "commits" => new Connection("PullRequestCommitConnection",
            pr.Commits.Select(sha => (object?)new PullRequestCommitNode(new CommitNode(repo, repo.Commits[sha]))).ToList(), args),
        _ => throw Unknown(field),
    };
}

internal sealed class PullRequestCommitNode(CommitNode commit) : GraphObject
{
    public override string TypeName => "PullRequestCommit";

    public override object? Resolve(string field, Arguments args) => field == "commit" ? commit : throw Unknown(field);
}

internal sealed class ReviewNode(DateTimeOffset submittedAt) : GraphObject
{
    public override string TypeName => "PullRequestReview";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "submittedAt" => submittedAt,
        "createdAt" => submittedAt,
        "state" => "APPROVED",
        _ => throw Unknown(field),
    };
}

internal sealed class NamedNode(string type, string name) : GraphObject
{
    public override string TypeName => type;

    public override object? Resolve(string field, Arguments args) => field == "name" ? name : throw Unknown(field);
}

internal sealed class DeploymentNode(GitHubRepository repo, GitHubDeployment deployment) : GraphObject
{
    public override string TypeName => "Deployment";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "databaseId" => deployment.Id,
        "commitOid" => deployment.Sha,
        "environment" or "originalEnvironment" => deployment.Environment,
        "task" => "deploy",
        "payload" => deployment.Payload,
        "description" => deployment.Description,
        "createdAt" => deployment.CreatedAt,
        "updatedAt" => deployment.UpdatedAt,
        "creator" => new UserNode("deployer"),
        "ref" => repo.Head is null ? null : new RefNode(repo, repo.DefaultBranch, repo.Commits[repo.Head]),
        "statuses" => new Connection("DeploymentStatusConnection",
            deployment.Statuses.OrderByDescending(s => s.CreatedAt).Select(s => (object?)new DeploymentStatusNode(s)).ToList(), args),
        _ => throw Unknown(field),
    };
}

internal sealed class DeploymentStatusNode(GitHubDeploymentStatus status) : GraphObject
{
    public override string TypeName => "DeploymentStatus";

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "state" => status.State.ToUpperInvariant(),
        "createdAt" => status.CreatedAt,
        "updatedAt" => status.CreatedAt,
        "description" => $"Deployment {status.State}",
        "logUrl" => $"https://ci.example.com/logs/{status.Id}",
        "environmentUrl" => null,
        _ => throw Unknown(field),
    };
}
