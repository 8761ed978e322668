namespace DoraCollector.Projection;

/// <summary>
/// What the stored commit graph can tell the projection: whether one revision descends from
/// another, and which changes a deployment brings. Backed by recursive SQL over commit parents.
/// </summary>
internal interface ICommitGraph
{
    /// <summary>True when <paramref name="ancestor"/> is a strict ancestor of <paramref name="descendant"/>; null when either is not stored.</summary>
    Task<bool?> IsAncestorAsync(int repositoryId, string ancestor, string descendant, CancellationToken ct);

    /// <summary>
    /// The changes reachable from <paramref name="revision"/> and not from <paramref name="previous"/>
    /// (for a monorepo service only commits touching <paramref name="path"/>), grouped by pull request.
    /// Without <paramref name="previous"/> (the first deployment seen) only the head change.
    /// </summary>
    Task<ChangeSet> ChangesAsync(int repositoryId, string revision, string? previous, string? path, CancellationToken ct);

    /// <summary>The listed commits, grouped by pull request (sources that say what a rollout carries).</summary>
    Task<ChangeSet> ExplicitChangesAsync(int? repositoryId, IReadOnlyList<string> shas, CancellationToken ct);

    /// <summary>
    /// Tells the graph the questions a projection is about to ask, so that one backed by a
    /// database answers them in a few statements instead of a round trip each. The answers are
    /// those the questions get one by one; a graph that holds everything in memory ignores it.
    /// </summary>
    Task PrepareAsync(IReadOnlyList<GraphQuestion> questions, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// A question a projection will ask the graph: <see cref="ICommitGraph.IsAncestorAsync"/> (with
/// <see cref="Ancestor"/>), <see cref="ICommitGraph.ChangesAsync"/> (with <see cref="Revision"/>)
/// or <see cref="ICommitGraph.ExplicitChangesAsync"/> (with <see cref="Listed"/>).
/// </summary>
internal sealed record GraphQuestion(
    int RepositoryId, string? Revision = null, string? Previous = null, string? Path = null,
    string? Ancestor = null, string? Descendant = null, IReadOnlyList<string>? Listed = null);

/// <summary>The outcome of resolving a deployment's changes.</summary>
/// <param name="State"><see cref="ChangesStates"/>.</param>
internal sealed record ChangeSet(string State, IReadOnlyList<ChangeRecord> Changes)
{
    public static ChangeSet Pending { get; } = new(ChangesStates.Pending, []);
}

/// <summary>A pull request or a direct commit, with what the rules need to judge it.</summary>
/// <param name="Key"><c>pr:&lt;repository&gt;:&lt;number&gt;</c> or <c>commit:&lt;sha&gt;</c>.</param>
/// <param name="Labels">The pull request's labels (hotfix).</param>
/// <param name="Messages">The pull request title and the head commit's message (revert).</param>
internal sealed record ChangeRecord(
    string Key,
    int? RepositoryId,
    int? PullRequestNumber,
    string HeadSha,
    string? Title,
    int CommitCount,
    DateTimeOffset FirstCommitAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MergedAt,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Messages);

internal static class ChangesStates
{
    /// <summary>Resolved from the commit graph.</summary>
    public const string Resolved = "resolved";

    /// <summary>The source listed the commits.</summary>
    public const string Explicit = "explicit";

    /// <summary>First deployment seen of the stream: only its head change.</summary>
    public const string HeadOnly = "head_only";

    /// <summary>Carries no changes by rule (a failed rollout, a redeploy).</summary>
    public const string None = "none";

    /// <summary>The revisions are not stored yet; resolved once they are, never guessed.</summary>
    public const string Pending = "pending";
}
