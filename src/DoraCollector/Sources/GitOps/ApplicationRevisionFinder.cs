using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

/// <summary>Stored facts the finder looks commits and tags up in (the projection's transaction, or a test's table).</summary>
internal interface IRevisionFacts
{
    /// <summary>Stored commits of the repository whose SHA starts with <paramref name="prefix"/>; at most two (one is unique).</summary>
    Task<IReadOnlyList<string>> CommitsStartingWithAsync(int repositoryId, string prefix, CancellationToken ct);

    /// <summary>The commit the first of the git tags <paramref name="names"/> that the cache holds names; null when none does.</summary>
    Task<string?> TagCommitAsync(int repositoryId, IReadOnlyList<string> names, CancellationToken ct);
}

/// <summary>An application revision and the method that found it (docs/metrics.md, "GitOps repositories and promotion").</summary>
internal sealed record FoundRevision(string Sha, string Method);

/// <summary>The application's repository and images, as the catalog gives them.</summary>
/// <param name="Repository"><c>owner/name</c>, lower case.</param>
/// <param name="Images">Image names (<see cref="ImageReference.Name"/>) built from it.</param>
internal sealed record ApplicationSide(int RepositoryId, string Repository, IReadOnlySet<string> Images);

/// <summary>
/// Finds the commit of the application's repository a GitOps rollout runs, from what was stored:
/// <list type="number">
/// <item>the images it ran: a tag of one of the service's images that is a SHA of the repository
/// (<c>image-tag</c>: a full SHA as is, an abbreviated one when exactly one stored commit starts
/// with it) or a version naming one of its git tags (<c>version-tag</c>); the running images of
/// the service must agree on one commit;</item>
/// <item>the synced GitOps revision: a message naming a commit of the repository
/// (<c>commit-trailer</c>); a message naming the new tag of one of the service's images (the tag's
/// own method, <c>image-tag</c> or <c>version-tag</c>); else the tag the diff sets for one of them
/// (<c>commit-diff</c>). A tag without its image counts only when it is the only one the text sets.</item>
/// </list>
/// Null when nothing found one commit.
/// </summary>
internal sealed class ApplicationRevisionFinder(IRevisionFacts facts)
{
    public async Task<FoundRevision?> FromImagesAsync(ApplicationSide app, IReadOnlyList<string>? running, CancellationToken ct)
    {
        var tags = (running ?? [])
            .Select(ImageReference.Parse)
            .Where(i => i?.Tag is not null && app.Images.Contains(i.Name))
            .Select(i => i!.Tag!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return await AgreeAsync(app, tags, null, ct);
    }

    public async Task<FoundRevision?> FromGitOpsAsync(ApplicationSide app, GitOpsRevisionFacts revision, CancellationToken ct)
    {
        foreach (var link in revision.SourceCommits.Where(l => string.Equals(l.Repository, app.Repository, StringComparison.OrdinalIgnoreCase)))
        {
            if (await CommitAsync(app.RepositoryId, link.Sha, ct) is { } sha)
            {
                return new FoundRevision(sha, ResolutionMethods.CommitTrailer);
            }
        }

        return await AgreeAsync(app, Tags(app, revision.MessageImages), null, ct)
               ?? await AgreeAsync(app, Tags(app, revision.DiffImages), ResolutionMethods.CommitDiff, ct);
    }

    /// <summary>The commit an image tag names, with the method: a SHA of the repository, else a version's git tag.</summary>
    public async Task<FoundRevision?> FromTagAsync(int repositoryId, string tag, CancellationToken ct)
    {
        foreach (var candidate in ImageTag.CommitCandidates(tag))
        {
            if (await CommitAsync(repositoryId, candidate, ct) is { } sha)
            {
                return new FoundRevision(sha, ResolutionMethods.ImageTag);
            }
        }

        return ImageTag.VersionTagNames(tag) is { Count: > 0 } names && await facts.TagCommitAsync(repositoryId, names, ct) is { } tagged
            ? new FoundRevision(tagged.ToLowerInvariant(), ResolutionMethods.VersionTag)
            : null;
    }

    // The tags set for the service's images; one tag set without its image counts when it is the only change.
    private static List<string> Tags(ApplicationSide app, IReadOnlyList<ImageTagChange> changes)
    {
        var named = changes.Where(c => c.Image is not null && app.Images.Contains(c.Image)).Select(c => c.NewTag).Distinct(StringComparer.Ordinal).ToList();
        return named.Count > 0 ? named
            : changes is [{ Image: null } only] ? [only.NewTag]
            : [];
    }

    private async Task<FoundRevision?> AgreeAsync(ApplicationSide app, IReadOnlyList<string> tags, string? method, CancellationToken ct)
    {
        FoundRevision? found = null;
        foreach (var tag in tags)
        {
            if (await FromTagAsync(app.RepositoryId, tag, ct) is not { } one)
            {
                continue;
            }

            if (found is not null && found.Sha != one.Sha)
            {
                return null; // two images of the service at two commits: neither is the rollout's
            }

            found ??= one;
        }

        return found is null ? null : method is null ? found : found with { Method = method };
    }

    private async Task<string?> CommitAsync(int repositoryId, string candidate, CancellationToken ct)
    {
        candidate = candidate.ToLowerInvariant();
        if (ImageTag.IsFullSha(candidate))
        {
            return candidate;
        }

        return candidate.Length >= ImageTag.MinimumAbbreviation && await facts.CommitsStartingWithAsync(repositoryId, candidate, ct) is [var only]
            ? only
            : null;
    }
}
