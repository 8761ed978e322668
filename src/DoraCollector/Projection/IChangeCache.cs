namespace DoraCollector.Projection;

/// <summary>
/// Changes resolved by an earlier projection, reused while the deployment's revision and the
/// revision it was resolved against are the same (resolving walks the commit graph).
/// </summary>
internal interface IChangeCache
{
    bool TryGet(string deploymentKey, string revision, string? changesBase, out CachedChanges changes);
}

internal sealed record CachedChanges(string State, IReadOnlyList<CachedChange> Changes);

/// <summary>A stored change with the verdicts the rules gave it.</summary>
internal sealed record CachedChange(ChangeRecord Change, bool IsHotfix, bool IsRevert);

internal sealed class NoChangeCache : IChangeCache
{
    public static NoChangeCache Instance { get; } = new();

    public bool TryGet(string deploymentKey, string revision, string? changesBase, out CachedChanges changes)
    {
        changes = null!;
        return false;
    }
}
