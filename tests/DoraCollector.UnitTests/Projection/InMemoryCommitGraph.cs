using DoraCollector.Projection;

namespace DoraCollector.UnitTests.Projection;

/// <summary>
/// A commit graph held in memory, with the semantics of <see cref="SqlCommitGraph"/> (the
/// integration tests check the SQL one on the same shapes): reachability over parents, commits
/// grouped into the merged pull request that owns them, merge commits without one left out.
/// </summary>
internal sealed class InMemoryCommitGraph : ICommitGraph
{
    public const int Repository = 1;

    private readonly Dictionary<string, Node> _commits = new(StringComparer.Ordinal);
    private readonly List<Pr> _pullRequests = [];

    public InMemoryCommitGraph Commit(string sha, DateTimeOffset authored, params string[] parents) =>
        CommitWithMessage(sha, authored, null, parents);

    public InMemoryCommitGraph CommitWithMessage(string sha, DateTimeOffset authored, string? message, params string[] parents)
    {
        _commits[sha] = new Node(sha, parents, authored, message);
        return this;
    }

    /// <summary>A merged pull request: its own commits, the commit it landed as, its labels.</summary>
    public InMemoryCommitGraph PullRequest(
        int number, DateTimeOffset opened, DateTimeOffset merged, string mergeCommit, string[] commits, string? title = null, params string[] labels)
    {
        _pullRequests.Add(new Pr(number, opened, merged, mergeCommit, commits, title ?? $"PR {number}", labels));
        return this;
    }

    public Task<bool?> IsAncestorAsync(int repositoryId, string ancestor, string descendant, CancellationToken ct) =>
        Task.FromResult<bool?>(!_commits.ContainsKey(ancestor) || !_commits.ContainsKey(descendant)
            ? null
            : ancestor != descendant && Reachable(descendant).Contains(ancestor));

    public Task<ChangeSet> ChangesAsync(int repositoryId, string revision, string? previous, string? path, CancellationToken ct)
    {
        if (!_commits.ContainsKey(revision) || (previous is not null && !_commits.ContainsKey(previous)))
        {
            return Task.FromResult(ChangeSet.Pending);
        }

        if (previous is null)
        {
            return Task.FromResult(new ChangeSet(ChangesStates.HeadOnly, Group([revision], keepMerges: true)));
        }

        var shas = Reachable(revision).Except(Reachable(previous)).ToList();
        return Task.FromResult(new ChangeSet(ChangesStates.Resolved, Group(shas, keepMerges: false)));
    }

    public Task<ChangeSet> ExplicitChangesAsync(int? repositoryId, IReadOnlyList<string> shas, CancellationToken ct) =>
        Task.FromResult(new ChangeSet(ChangesStates.Explicit, Group(shas.Where(_commits.ContainsKey).ToList(), keepMerges: true)));

    private HashSet<string> Reachable(string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out var sha))
        {
            if (_commits.TryGetValue(sha, out var node) && seen.Add(sha))
            {
                foreach (var parent in node.Parents)
                {
                    stack.Push(parent);
                }
            }
        }

        return seen;
    }

    private List<ChangeRecord> Group(IReadOnlyList<string> shas, bool keepMerges)
    {
        var owner = shas.ToDictionary(s => s, s => _pullRequests
            .Where(p => p.MergeCommit == s || p.Commits.Contains(s))
            .OrderBy(p => p.Merged).FirstOrDefault());
        var changes = new List<ChangeRecord>();
        foreach (var group in shas.Where(s => owner[s] is not null).GroupBy(s => owner[s]!.Number))
        {
            var pr = _pullRequests.Single(p => p.Number == group.Key);
            var own = pr.Commits.Where(_commits.ContainsKey).Select(c => _commits[c].Authored);
            var first = group.Select(s => _commits[s].Authored).Concat(own).Min();
            changes.Add(new ChangeRecord($"pr:{Repository}:{pr.Number}", Repository, pr.Number, pr.MergeCommit, pr.Title, group.Count(),
                first, pr.Opened, pr.Merged, pr.Labels, [pr.Title, .. new[] { _commits.GetValueOrDefault(pr.MergeCommit)?.Message }.OfType<string>()]));
        }

        foreach (var sha in shas.Where(s => owner[s] is null && (keepMerges || _commits[s].Parents.Length <= 1)))
        {
            var node = _commits[sha];
            changes.Add(new ChangeRecord($"commit:{sha}", Repository, null, sha, node.Message, 1, node.Authored, null, null, [],
                node.Message is null ? [] : [node.Message]));
        }

        return changes.OrderBy(c => c.FirstCommitAt).ToList();
    }

    private sealed record Node(string Sha, string[] Parents, DateTimeOffset Authored, string? Message);

    private sealed record Pr(int Number, DateTimeOffset Opened, DateTimeOffset Merged, string MergeCommit, string[] Commits, string Title, string[] Labels);
}
