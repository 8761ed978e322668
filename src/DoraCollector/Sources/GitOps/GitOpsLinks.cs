namespace DoraCollector.Sources.GitOps;

/// <summary>A source commit a GitOps commit names: <c>acme/shop@&lt;sha&gt;</c>.</summary>
/// <param name="Repository"><c>owner/name</c>, lower case.</param>
/// <param name="Sha">Lower-case hex, full or abbreviated (7 or more).</param>
internal sealed record SourceCommitLink(string Repository, string Sha);

/// <summary>An image tag a GitOps commit sets (a bump from <paramref name="OldTag"/> to <paramref name="NewTag"/>).</summary>
/// <param name="Image">The image name (<see cref="ImageReference.Name"/>); null when the text names only the tag.</param>
/// <param name="OldTag">The tag before, when the text says.</param>
internal sealed record ImageTagChange(string? Image, string? OldTag, string NewTag);

/// <summary>What a GitOps commit message says about the application revision it rolls out.</summary>
internal sealed record MessageLinks(IReadOnlyList<SourceCommitLink> Commits, IReadOnlyList<ImageTagChange> Images)
{
    public static readonly MessageLinks None = new([], []);

    public bool IsEmpty => Commits.Count == 0 && Images.Count == 0;
}
