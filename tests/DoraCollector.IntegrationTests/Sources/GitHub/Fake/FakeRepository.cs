using System.Security.Cryptography;
using System.Text;

namespace DoraCollector.IntegrationTests.Sources.GitHub.Fake;

/// <summary>
/// A repository of the fake GitHub: a commit graph with a default branch, merged pull requests
/// (merge commit, squash and rebase merges, each with what GitHub associates with it),
/// deployments, issues and workflow runs. Commit SHAs are derived from names, so tests can name them.
/// </summary>
internal sealed class FakeRepository(string fullName)
{
    private int _nextNumber = 1;

    public string FullName { get; } = fullName;

    public string Owner => FullName.Split('/')[0];

    public string Name => FullName.Split('/')[1];

    public string DefaultBranch { get; set; } = "main";

    public string? Head { get; set; }

    public bool Archived { get; set; }

    public Dictionary<string, FakeCommit> Commits { get; } = new(StringComparer.Ordinal);

    public List<FakePullRequest> PullRequests { get; } = [];

    public List<FakeDeployment> Deployments { get; } = [];

    public List<FakeIssue> Issues { get; } = [];

    public List<FakeWorkflowRun> Runs { get; } = [];

    public string Sha(string name) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes($"{FullName}:{name}"))).ToLowerInvariant();

    /// <summary>A commit that is not (yet) on any branch.</summary>
    public string Commit(string name, DateTimeOffset authored, IEnumerable<string> parents, DateTimeOffset? committed = null, string[]? files = null)
    {
        var sha = Sha(name);
        Commits[sha] = new FakeCommit(sha, parents.ToList(), authored, committed ?? authored, name, files ?? [$"src/{name}.txt"]);
        return sha;
    }

    /// <summary>A commit pushed straight to the default branch.</summary>
    public string Push(string name, DateTimeOffset at, string[]? files = null) =>
        Head = Commit(name, at, Head is null ? [] : [Head], files: files);

    /// <summary>A pull request merged with a merge commit: its branch commits and the merge commit land on the default branch.</summary>
    public FakePullRequest MergeCommit(IReadOnlyList<(string Name, DateTimeOffset At)> branch, DateTimeOffset opened, DateTimeOffset merged, string[]? files = null)
    {
        var pr = NewPullRequest(opened, merged);
        var fork = Head;
        var shas = Branch(fork, branch, files);
        var merge = Commit($"merge-{pr.Number}", merged, new[] { fork, shas[^1] }.OfType<string>(), files: []);
        foreach (var sha in shas.Append(merge))
        {
            Commits[sha].PullRequest = pr.Number;
        }

        (pr.Commits, pr.MergeCommit, Head) = (shas, merge, merge);
        return pr;
    }

    /// <summary>A squash merge: the branch commits stay off the default branch; one new commit lands.</summary>
    public FakePullRequest Squash(IReadOnlyList<(string Name, DateTimeOffset At)> branch, DateTimeOffset opened, DateTimeOffset merged, string[]? files = null)
    {
        var pr = NewPullRequest(opened, merged);
        var shas = Branch(Head, branch, files);
        var squash = Commit($"squash-{pr.Number}", merged, Head is null ? [] : [Head], files: files ?? branch.Select(b => $"src/{b.Name}.txt").ToArray());
        Commits[squash].PullRequest = pr.Number;
        (pr.Commits, pr.MergeCommit, Head) = (shas, squash, squash);
        return pr;
    }

    /// <summary>A rebase merge: each branch commit is copied onto the default branch (new SHAs, committed at the merge, same authored time).</summary>
    public FakePullRequest Rebase(IReadOnlyList<(string Name, DateTimeOffset At)> branch, DateTimeOffset opened, DateTimeOffset merged, string[]? files = null)
    {
        var pr = NewPullRequest(opened, merged);
        var shas = Branch(Head, branch, files);
        foreach (var (name, at) in branch)
        {
            Head = Commit($"{name}-rebased", at, Head is null ? [] : [Head], merged, files ?? [$"src/{name}.txt"]);
            Commits[Head].PullRequest = pr.Number;
        }

        (pr.Commits, pr.MergeCommit) = (shas, Head);
        return pr;
    }

    public FakeDeployment Deploy(string sha, string environment, DateTimeOffset at, params (string State, DateTimeOffset At)[] statuses)
    {
        var deployment = new FakeDeployment(1000 + Deployments.Count, sha, environment, at);
        foreach (var (state, when) in statuses)
        {
            deployment.Statuses.Add(new FakeDeploymentStatus(5000 + Deployments.Count * 10 + deployment.Statuses.Count, state, when));
        }

        Deployments.Add(deployment);
        return deployment;
    }

    public FakeIssue Issue(string title, DateTimeOffset opened, string[] labels, string? body = null)
    {
        var issue = new FakeIssue(_nextNumber++, title, opened) { Body = body, Labels = labels.ToList() };
        Issues.Add(issue);
        return issue;
    }

    /// <summary>All commits reachable from <paramref name="start"/>, newest committed first, like <c>git log</c>.</summary>
    public IEnumerable<FakeCommit> Log(string start, DateTimeOffset? since = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new PriorityQueue<FakeCommit, (DateTimeOffset, string)>(Comparer<(DateTimeOffset At, string Sha)>.Create(
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
    public FakeCommit? Find(string revision)
    {
        if (revision == DefaultBranch || revision == "HEAD")
        {
            return Head is null ? null : Commits[Head];
        }

        var matches = Commits.Values.Where(c => c.Sha.StartsWith(revision.ToLowerInvariant(), StringComparison.Ordinal)).Take(2).ToList();
        return revision.Length >= 4 && matches.Count == 1 ? matches[0] : null;
    }

    public FakePullRequest NewPullRequest(DateTimeOffset opened, DateTimeOffset merged)
    {
        var pr = new FakePullRequest(_nextNumber++, opened) { MergedAt = merged, UpdatedAt = merged, Title = $"Pull request {_nextNumber - 1}" };
        PullRequests.Add(pr);
        return pr;
    }

    private List<string> Branch(string? fork, IReadOnlyList<(string Name, DateTimeOffset At)> branch, string[]? files)
    {
        var shas = new List<string>();
        var parent = fork;
        foreach (var (name, at) in branch)
        {
            parent = Commit(name, at, parent is null ? [] : [parent], files: files);
            shas.Add(parent);
        }

        return shas;
    }
}

internal sealed class FakeCommit(string sha, List<string> parents, DateTimeOffset authoredAt, DateTimeOffset committedAt, string message, string[] files)
{
    public string Sha { get; } = sha;

    public List<string> Parents { get; } = parents;

    public DateTimeOffset AuthoredAt { get; } = authoredAt;

    public DateTimeOffset CommittedAt { get; } = committedAt;

    public string Message { get; } = message;

    /// <summary>Files this commit changes itself (a merge commit changes none).</summary>
    public string[] Files { get; } = files;

    /// <summary>The merged pull request that introduced this commit to the default branch.</summary>
    public int? PullRequest { get; set; }
}

internal sealed class FakePullRequest(int number, DateTimeOffset createdAt)
{
    public int Number { get; } = number;

    public string Title { get; set; } = "";

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? MergedAt { get; set; }

    public string? MergeCommit { get; set; }

    /// <summary>The pull request's own commits (for a rebase merge: the originals, not the copies).</summary>
    public List<string> Commits { get; set; } = [];

    public List<string> Labels { get; set; } = [];

    public List<DateTimeOffset> Reviews { get; set; } = [];
}

internal sealed class FakeDeployment(long id, string sha, string environment, DateTimeOffset createdAt)
{
    public long Id { get; } = id;

    public string Sha { get; } = sha;

    public string Environment { get; } = environment;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public string? Payload { get; set; }

    public List<FakeDeploymentStatus> Statuses { get; } = [];

    public DateTimeOffset UpdatedAt => Statuses.Count == 0 ? CreatedAt : Statuses.Max(s => s.CreatedAt);
}

internal sealed record FakeDeploymentStatus(long Id, string State, DateTimeOffset CreatedAt);

internal sealed class FakeIssue(int number, string title, DateTimeOffset createdAt)
{
    public int Number { get; } = number;

    public string Title { get; } = title;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public DateTimeOffset? ClosedAt { get; set; }

    public string? Body { get; set; }

    public List<string> Labels { get; set; } = [];
}

internal sealed record FakeWorkflowRun(long Id, string Name, string Path, string HeadSha, string Conclusion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
