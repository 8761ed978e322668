namespace DoraCollector.Simulator.Truth;

/// <summary>A change before judging: a pull request or a direct commit, with what the rules read.</summary>
/// <param name="Messages">A pull request's title and merge commit headline, or a commit's headline (revert).</param>
internal sealed record ChangeCandidate(
    string Key, DateTimeOffset FirstCommitAt, DateTimeOffset? OpenedAt, DateTimeOffset? MergedAt, IReadOnlyList<string> Labels,
    IReadOnlyList<string> Messages);

/// <summary>
/// Walks a repository's commit graph the way <c>git rev-list</c> does: commits are taken from the
/// highest generation down, so a commit is only decided once everything above it that reaches it
/// has been, and the walk stops when nothing left can be new.
/// </summary>
internal static class CommitWalk
{
    /// <summary>Commits reachable from <paramref name="head"/> and not from <paramref name="base"/> (<c>git rev-list head ^base</c>).</summary>
    public static List<string> Between(RepositoryHistory repository, string head, string @base)
    {
        const int New = 1, Old = 2;
        var marks = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new PriorityQueue<string, int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var pendingNew = 0;
        void Mark(string sha, int mark)
        {
            if (!repository.Commits.ContainsKey(sha))
            {
                return;
            }

            if (marks.TryGetValue(sha, out var existing))
            {
                if ((existing & mark) == mark)
                {
                    return;
                }

                if (existing == New)
                {
                    pendingNew--;
                }

                marks[sha] = existing | mark;
                return;
            }

            marks[sha] = mark;
            pendingNew += mark == New ? 1 : 0;
            queue.Enqueue(sha, repository.Generation(sha));
        }

        Mark(@base, Old);
        Mark(head, New);
        var result = new List<string>();
        while (pendingNew > 0 && queue.TryDequeue(out var sha, out _))
        {
            var mark = marks[sha];
            if (mark == New)
            {
                pendingNew--;
                result.Add(sha);
            }

            foreach (var parent in repository.Commits[sha].Parents)
            {
                Mark(parent, mark == New ? New : Old);
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="ancestor"/> is a strict ancestor of <paramref name="descendant"/>.</summary>
    public static bool IsAncestor(RepositoryHistory repository, string ancestor, string descendant)
    {
        if (!repository.Commits.ContainsKey(ancestor) || !repository.Commits.ContainsKey(descendant)
            || string.Equals(ancestor, descendant, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var floor = repository.Generation(ancestor);
        var seen = new HashSet<string>(StringComparer.Ordinal) { descendant };
        var stack = new Stack<string>([descendant]);
        while (stack.TryPop(out var sha))
        {
            foreach (var parent in repository.Commits[sha].Parents.Where(repository.Commits.ContainsKey))
            {
                if (parent == ancestor)
                {
                    return true;
                }

                // An ancestor sits lower than every commit that reaches it.
                if (repository.Generation(parent) > floor && seen.Add(parent))
                {
                    stack.Push(parent);
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Groups commits into changes: each commit with a merged pull request (its merge or squash
    /// commit, a rebased copy, one of its own commits) is that pull request; any other is a direct
    /// change, except a merge commit (unless <paramref name="keepMerges"/>, for a head-only change),
    /// which only brings its parents' commits.
    /// </summary>
    public static List<ChangeCandidate> Changes(RepositoryHistory repository, IReadOnlyCollection<string> shas, bool keepMerges)
    {
        var changes = new List<ChangeCandidate>();
        var commits = shas.Select(s => repository.Commits[s]).ToList();
        foreach (var group in commits.Select(c => (Commit: c, PullRequest: PullRequestOf(repository, c))).Where(c => c.PullRequest is not null)
                     .GroupBy(c => c.PullRequest!.Number))
        {
            var pr = group.First().PullRequest!;
            var own = pr.Commits.Where(repository.Commits.ContainsKey).Select(s => repository.Commits[s].AuthoredAt).ToList();
            var mine = group.Min(c => c.Commit.AuthoredAt);
            var first = own.Count > 0 && own.Min() < mine ? own.Min() : mine;
            var messages = new List<string> { pr.Title };
            if (repository.Commits.TryGetValue(pr.MergeCommit, out var merge))
            {
                messages.Add(merge.Headline);
            }

            changes.Add(new ChangeCandidate($"pr:{repository.FullName}:{pr.Number}", first, pr.OpenedAt, pr.MergedAt, pr.Labels, messages));
        }

        foreach (var commit in commits.Where(c => PullRequestOf(repository, c) is null && (keepMerges || c.Parents.Count <= 1)))
        {
            changes.Add(new ChangeCandidate($"commit:{commit.Sha}", commit.AuthoredAt, null, null, [], [commit.Headline]));
        }

        return changes;
    }

    // The merged pull request a commit belongs to: the one GitHub associates with it, else the one
    // whose merge commit it is or that lists it; the earliest merged if several.
    private static PullRequestFact? PullRequestOf(RepositoryHistory repository, CommitFact commit) =>
        commit.PullRequest is { } number && repository.PullRequests.TryGetValue(number, out var associated)
            ? associated
            : repository.PullRequestsListing(commit.Sha).OrderBy(p => p.MergedAt).ThenBy(p => p.Number).FirstOrDefault();
}
