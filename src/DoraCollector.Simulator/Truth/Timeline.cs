namespace DoraCollector.Simulator.Truth;

/// <summary>
/// What happened in the simulated organisation, as facts the sources report: the catalog, every
/// repository's commits and merged pull requests, every rollout attempt and every alert. The
/// expected metrics are computed from this alone (<see cref="TruthEngine"/>), never from what the
/// simulator meant to happen.
/// </summary>
internal sealed class Timeline
{
    public List<CatalogEntry> Services { get; } = [];

    public Dictionary<string, RepositoryHistory> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<AttemptFact> Attempts { get; } = [];

    public List<AlertFact> Alerts { get; } = [];

    public RepositoryHistory Repository(string fullName)
    {
        if (!Repositories.TryGetValue(fullName, out var history))
        {
            Repositories[fullName] = history = new RepositoryHistory(fullName);
        }

        return history;
    }
}

/// <summary>A catalog service: owner, repository, monorepo folder, and the alert label values that name it.</summary>
internal sealed record CatalogEntry(string Name, string? Team, string? Repository, string? Path, IReadOnlyList<string> AlertLabelValues);

/// <summary>One repository's commit graph and merged pull requests.</summary>
internal sealed class RepositoryHistory(string fullName)
{
    private readonly Dictionary<string, int> _generations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PullRequestFact>> _owners = new(StringComparer.Ordinal);

    public string FullName { get; } = fullName;

    public Dictionary<string, CommitFact> Commits { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, PullRequestFact> PullRequests { get; } = [];

    public void Add(CommitFact commit) => Commits[commit.Sha] = commit;

    public void Add(PullRequestFact pr)
    {
        PullRequests[pr.Number] = pr;
        foreach (var sha in pr.Commits.Append(pr.MergeCommit).Distinct(StringComparer.Ordinal))
        {
            if (!_owners.TryGetValue(sha, out var owners))
            {
                _owners[sha] = owners = [];
            }

            owners.Add(pr);
        }
    }

    /// <summary>The merged pull requests whose merge commit a commit is or that list it among their own.</summary>
    public IReadOnlyList<PullRequestFact> PullRequestsListing(string sha) => _owners.TryGetValue(sha, out var owners) ? owners : [];

    /// <summary>Longest path to a root plus one: a commit's is greater than each of its parents'.</summary>
    public int Generation(string sha)
    {
        if (_generations.TryGetValue(sha, out var known))
        {
            return known;
        }

        // Iterative, so a long history cannot overflow the stack.
        var stack = new Stack<string>();
        stack.Push(sha);
        while (stack.Count > 0)
        {
            var top = stack.Peek();
            if (_generations.ContainsKey(top))
            {
                stack.Pop();
                continue;
            }

            var parents = Commits.TryGetValue(top, out var commit) ? commit.Parents.Where(Commits.ContainsKey).ToList() : [];
            var missing = parents.Where(p => !_generations.ContainsKey(p)).ToList();
            if (missing.Count > 0)
            {
                missing.ForEach(stack.Push);
                continue;
            }

            _generations[top] = parents.Count == 0 ? 1 : parents.Max(p => _generations[p]) + 1;
            stack.Pop();
        }

        return _generations[sha];
    }
}

/// <param name="PullRequest">The merged pull request GitHub associates the commit with (its merge or squash commit, a rebased copy, a merged branch commit).</param>
/// <param name="Files">The files the commit itself changes (a merge commit: none).</param>
internal sealed record CommitFact(
    string Sha, IReadOnlyList<string> Parents, DateTimeOffset AuthoredAt, DateTimeOffset CommittedAt, string Message, IReadOnlyList<string> Files,
    int? PullRequest)
{
    public string Headline => Message.Split('\n')[0];
}

/// <param name="Commits">The pull request's own commits (for a rebase merge the originals).</param>
/// <param name="MergeCommit">The merge commit, squash commit or last rebased copy.</param>
internal sealed record PullRequestFact(
    int Number, string Title, DateTimeOffset OpenedAt, DateTimeOffset MergedAt, string MergeCommit, IReadOnlyList<string> Commits,
    IReadOnlyList<string> Labels);

/// <summary>One rollout of a revision of a service to an environment, as its source reports it.</summary>
/// <param name="Sequence">Order of arrival, for rollouts finishing in the same second.</param>
/// <param name="RollbackHint">The source itself says it was a rollback (Argo CD's rollback operation).</param>
/// <param name="Cluster">Where it ran, when the environment runs on several clusters (null: the one implicit cluster).</param>
internal sealed record AttemptFact(
    string Service, string Environment, string Revision, bool Succeeded, DateTimeOffset? StartedAt, DateTimeOffset FinishedAt,
    bool RollbackHint, long Sequence, string? Cluster = null);

/// <summary>One firing period of an alert (a fingerprint and its <c>startsAt</c>), resolved once <see cref="EndsAt"/> is set.</summary>
internal sealed class AlertFact(string fingerprint, IReadOnlyDictionary<string, string> labels, DateTimeOffset startsAt, long sequence)
{
    public string Fingerprint { get; } = fingerprint;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public DateTimeOffset StartsAt { get; } = startsAt;

    public DateTimeOffset? EndsAt { get; set; }

    public long Sequence { get; } = sequence;
}
