using System.Security.Cryptography;
using System.Text;

namespace DoraCollector.Simulator.GitHub;

/// <summary>How a pull request lands on the default branch.</summary>
internal enum MergeStyle
{
    /// <summary>The branch commits and a merge commit (parents: the default branch, the branch tip).</summary>
    MergeCommit,

    /// <summary>One new commit with the branch's changes; the branch commits stay off the default branch.</summary>
    Squash,

    /// <summary>Each branch commit copied onto the default branch (new SHAs, committed at the merge, same authored time).</summary>
    Rebase,
}

/// <summary>A commit of a pull request's branch, before it is merged.</summary>
/// <param name="Name">What the SHA is derived from (unique in the repository).</param>
internal sealed record BranchCommit(string Name, DateTimeOffset AuthoredAt, string? Message = null, string[]? Files = null, GitHubUser? Author = null);

/// <summary>A person as GitHub shows them: login (null for a commit author GitHub cannot match) and git name and e-mail.</summary>
internal sealed record GitHubUser(string Login, string Name, string Email)
{
    public static GitHubUser Developer { get; } = new("developer", "Dev Eloper", "dev@example.com");

    /// <summary>
    /// An account since deleted: REST shows its commits with <c>author: null</c> and GraphQL answers
    /// <c>null</c> for its <c>user</c> and for the pull requests' <c>author</c>; git keeps its name and e-mail.
    /// </summary>
    public static GitHubUser Deleted { get; } = new("ghost", "Former Colleague", "former@example.com");
}

/// <summary>
/// A repository of the fake GitHub: a commit graph with a default branch, merged pull requests
/// (merge commit, squash and rebase merges, each with what GitHub associates with it),
/// deployments, issues and workflow runs. Commit SHAs are derived from names, so callers can name them.
/// Not thread-safe: the server reads it under its lock, and whoever changes it takes the same lock.
/// </summary>
internal sealed class GitHubRepository(string fullName)
{
    private int _nextNumber = 1;

    public string FullName { get; } = fullName;

    public string Owner => FullName.Split('/')[0];

    public string Name => FullName.Split('/')[1];

    public string DefaultBranch { get; set; } = "main";

    public string? Head { get; set; }

    public bool Archived { get; set; }

    public Dictionary<string, GitHubCommit> Commits { get; } = new(StringComparer.Ordinal);

    public List<GitHubPullRequest> PullRequests { get; } = [];

    public List<GitHubDeployment> Deployments { get; } = [];

    public List<GitHubIssue> Issues { get; } = [];

    public List<GitHubWorkflowRun> Runs { get; } = [];

    /// <summary>Git tags by name: the commit each names, and whether it is annotated (a Tag object pointing at the commit).</summary>
    public Dictionary<string, (string Sha, bool Annotated)> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>The patch (unified diff hunks) a commit made to a file, where a scenario gives one; others get a placeholder hunk.</summary>
    public Dictionary<(string Sha, string File), string> Patches { get; } = [];

    /// <summary>Tags <paramref name="sha"/> as <paramref name="name"/> (<c>git tag [-a]</c>).</summary>
    public void Tag(string name, string sha, bool annotated = false) => Tags[name] = (sha, annotated);

    public string Sha(string name) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes($"{FullName}:{name}"))).ToLowerInvariant();

    /// <summary>A commit that is not (yet) on any branch.</summary>
    public string Commit(
        string name, DateTimeOffset authored, IEnumerable<string> parents, DateTimeOffset? committed = null, string[]? files = null,
        string? message = null, GitHubUser? author = null)
    {
        var sha = Sha(name);
        Commits[sha] = new GitHubCommit(sha, parents.ToList(), authored, committed ?? authored, message ?? name, files ?? [$"src/{name}.txt"],
            author ?? GitHubUser.Developer);
        return sha;
    }

    /// <summary>A commit pushed straight to the default branch.</summary>
    public string Push(string name, DateTimeOffset at, string[]? files = null, string? message = null, GitHubUser? author = null,
        DateTimeOffset? committed = null) =>
        Head = Commit(name, at, Head is null ? [] : [Head], committed, files, message, author);

    /// <summary>A pull request merged with a merge commit: its branch commits and the merge commit land on the default branch.</summary>
    public GitHubPullRequest MergeCommit(IReadOnlyList<(string Name, DateTimeOffset At)> branch, DateTimeOffset opened, DateTimeOffset merged, string[]? files = null) =>
        Merge(MergeStyle.MergeCommit, Simple(branch, files), Head, opened, merged);

    /// <summary>A squash merge: the branch commits stay off the default branch; one new commit lands.</summary>
    public GitHubPullRequest Squash(IReadOnlyList<(string Name, DateTimeOffset At)> branch, DateTimeOffset opened, DateTimeOffset merged, string[]? files = null) =>
        Merge(MergeStyle.Squash, Simple(branch, files), Head, opened, merged);

    /// <summary>A rebase merge: each branch commit is copied onto the default branch (new SHAs, committed at the merge, same authored time).</summary>
    public GitHubPullRequest Rebase(IReadOnlyList<(string Name, DateTimeOffset At)> branch, DateTimeOffset opened, DateTimeOffset merged, string[]? files = null) =>
        Merge(MergeStyle.Rebase, Simple(branch, files), Head, opened, merged);

    /// <summary>
    /// A pull request whose branch forked at <paramref name="fork"/> (the default branch's head when
    /// work started) is merged now, onto the current head, in <paramref name="style"/>. A merge commit
    /// is named <c>merge-&lt;number&gt;</c>, a squash commit <c>squash-&lt;number&gt;</c>, a rebased copy
    /// <c>&lt;name&gt;-rebased</c>.
    /// </summary>
    public GitHubPullRequest Merge(
        MergeStyle style, IReadOnlyList<BranchCommit> branch, string? fork, DateTimeOffset opened, DateTimeOffset merged,
        string? title = null, GitHubUser? author = null, IReadOnlyList<string>? labels = null, IReadOnlyList<DateTimeOffset>? reviews = null,
        GitHubUser? merger = null, int? number = null)
    {
        var pr = NewPullRequest(opened, merged, number);
        pr.Title = title ?? pr.Title;
        pr.Author = author ?? pr.Author;
        pr.Labels = labels?.ToList() ?? [];
        pr.Reviews = reviews?.ToList() ?? [];
        var shas = new List<string>();
        var parent = fork;
        foreach (var commit in branch)
        {
            parent = Commit(commit.Name, commit.AuthoredAt, parent is null ? [] : [parent], files: commit.Files, message: commit.Message,
                author: commit.Author ?? pr.Author);
            shas.Add(parent);
        }

        switch (style)
        {
            case MergeStyle.MergeCommit:
                var merge = Commit($"merge-{pr.Number}", merged, new[] { Head, shas[^1] }.OfType<string>(), files: [],
                    message: $"Merge pull request #{pr.Number} from {Owner}/{pr.HeadRef}", author: merger ?? pr.Author);
                foreach (var sha in shas.Append(merge))
                {
                    Commits[sha].PullRequest = pr.Number;
                }

                Head = merge;
                break;
            case MergeStyle.Squash:
                var files = branch.SelectMany(b => b.Files ?? [$"src/{b.Name}.txt"]).Distinct(StringComparer.Ordinal).ToArray();
                var squash = Commit($"squash-{pr.Number}", merged, Head is null ? [] : [Head], files: files,
                    message: $"{pr.Title} (#{pr.Number})", author: pr.Author);
                Commits[squash].PullRequest = pr.Number;
                Head = squash;
                break;
            case MergeStyle.Rebase:
                foreach (var commit in branch)
                {
                    var original = Commits[Sha(commit.Name)];
                    Head = Commit($"{commit.Name}-rebased", commit.AuthoredAt, Head is null ? [] : [Head], merged, original.Files, original.Message,
                        original.Author);
                    Commits[Head].PullRequest = pr.Number;
                }

                break;
        }

        (pr.Commits, pr.MergeCommit, pr.Style) = (shas, Head, style);
        return pr;
    }

    public GitHubDeployment Deploy(string sha, string environment, DateTimeOffset at, params (string State, DateTimeOffset At)[] statuses)
    {
        var deployment = new GitHubDeployment(1000 + Deployments.Count, sha, environment, at);
        foreach (var (state, when) in statuses)
        {
            deployment.AddStatus(state, when);
        }

        Deployments.Add(deployment);
        return deployment;
    }

    public GitHubIssue Issue(string title, DateTimeOffset opened, string[] labels, string? body = null)
    {
        var issue = new GitHubIssue(_nextNumber++, title, opened) { Body = body, Labels = labels.ToList() };
        Issues.Add(issue);
        return issue;
    }

    /// <summary>All commits reachable from <paramref name="start"/>, newest committed first, like <c>git log</c>.</summary>
    public IEnumerable<GitHubCommit> Log(string start, DateTimeOffset? since = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new PriorityQueue<GitHubCommit, (DateTimeOffset, string)>(Comparer<(DateTimeOffset At, string Sha)>.Create(
            (a, b) => b.At != a.At ? b.At.CompareTo(a.At) : string.CompareOrdinal(a.Sha, b.Sha)));
        queue.Enqueue(Commits[start], (Commits[start].CommittedAt, start));
        while (queue.TryDequeue(out var commit, out _))
        {
            // Like git log --since: an older commit is left out and its parents are not walked.
            if (since is { } s && commit.CommittedAt < s)
            {
                continue;
            }

            yield return commit;
            foreach (var parent in commit.Parents.Where(p => Commits.ContainsKey(p) && seen.Add(p)))
            {
                queue.Enqueue(Commits[parent], (Commits[parent].CommittedAt, parent));
            }
        }
    }

    /// <summary>Resolves a full or abbreviated SHA, or a branch name.</summary>
    public GitHubCommit? Find(string revision)
    {
        if (revision == DefaultBranch || revision == "HEAD")
        {
            return Head is null ? null : Commits[Head];
        }

        if (Commits.TryGetValue(revision.ToLowerInvariant(), out var exact))
        {
            return exact;
        }

        var matches = Commits.Values.Where(c => c.Sha.StartsWith(revision.ToLowerInvariant(), StringComparison.Ordinal)).Take(2).ToList();
        return revision.Length >= 4 && matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>Takes the next issue and pull request number (a pull request is numbered when it is opened).</summary>
    public int ReserveNumber() => _nextNumber++;

    public GitHubPullRequest NewPullRequest(DateTimeOffset opened, DateTimeOffset merged, int? reserved = null)
    {
        var number = reserved ?? _nextNumber++;
        var pr = new GitHubPullRequest(number, opened) { MergedAt = merged, UpdatedAt = merged, Title = $"Pull request {number}" };
        PullRequests.Add(pr);
        return pr;
    }

    private static List<BranchCommit> Simple(IReadOnlyList<(string Name, DateTimeOffset At)> branch, string[]? files) =>
        branch.Select(b => new BranchCommit(b.Name, b.At, Files: files)).ToList();
}

internal sealed class GitHubCommit(
    string sha, List<string> parents, DateTimeOffset authoredAt, DateTimeOffset committedAt, string message, string[] files, GitHubUser author)
{
    public string Sha { get; } = sha;

    public List<string> Parents { get; } = parents;

    public DateTimeOffset AuthoredAt { get; } = authoredAt;

    public DateTimeOffset CommittedAt { get; } = committedAt;

    /// <summary>The whole message; its first line is the headline.</summary>
    public string Message { get; } = message;

    public string Headline => Message.Split('\n')[0];

    /// <summary>Files this commit changes itself (a merge commit changes none).</summary>
    public string[] Files { get; } = files;

    public GitHubUser Author { get; } = author;

    /// <summary>The merged pull request that introduced this commit to the default branch.</summary>
    public int? PullRequest { get; set; }
}

internal sealed class GitHubPullRequest(int number, DateTimeOffset createdAt)
{
    public int Number { get; } = number;

    public string Title { get; set; } = "";

    public GitHubUser Author { get; set; } = GitHubUser.Developer;

    public string HeadRef => $"feature-{Number}";

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? MergedAt { get; set; }

    public string? MergeCommit { get; set; }

    public MergeStyle Style { get; set; }

    /// <summary>The pull request's own commits (for a rebase merge: the originals, not the copies).</summary>
    public List<string> Commits { get; set; } = [];

    public List<string> Labels { get; set; } = [];

    public List<DateTimeOffset> Reviews { get; set; } = [];
}

internal sealed class GitHubDeployment(long id, string sha, string environment, DateTimeOffset createdAt)
{
    public long Id { get; } = id;

    public string Sha { get; } = sha;

    public string Environment { get; } = environment;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>The deploying tool's JSON, as GitHub keeps it.</summary>
    public string? Payload { get; set; }

    public string? Description { get; set; }

    public List<GitHubDeploymentStatus> Statuses { get; } = [];

    public DateTimeOffset UpdatedAt => Statuses.Count == 0 ? CreatedAt : Statuses.Max(s => s.CreatedAt);

    public GitHubDeploymentStatus AddStatus(string state, DateTimeOffset at)
    {
        var status = new GitHubDeploymentStatus((Id * 100) + Statuses.Count, state, at);
        Statuses.Add(status);
        return status;
    }
}

internal sealed record GitHubDeploymentStatus(long Id, string State, DateTimeOffset CreatedAt);

internal sealed class GitHubIssue(int number, string title, DateTimeOffset createdAt)
{
    public int Number { get; } = number;

    public string Title { get; } = title;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public DateTimeOffset? ClosedAt { get; set; }

    public string? Body { get; set; }

    public List<string> Labels { get; set; } = [];
}

internal sealed record GitHubWorkflowRun(long Id, string Name, string Path, string HeadSha, string Conclusion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
