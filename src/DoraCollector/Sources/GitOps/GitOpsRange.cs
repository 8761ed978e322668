namespace DoraCollector.Sources.GitOps;

/// <summary>A commit a synced GitOps revision brings: its SHA, full message and committer date.</summary>
internal sealed record RangeCommit(string Sha, string? Message, DateTimeOffset? CommittedAt);

/// <summary>A file the range changes, as GitHub lists it: its path from the repository's root and its unified patch.</summary>
internal sealed record RangeFile(string Path, string? Patch);

/// <summary>
/// What GitHub answered about a synced GitOps revision: the commits it brings (against the
/// revision its stream synced before, or the commit alone), newest first, and the files they
/// change with their net patch. <paramref name="FilesComplete"/> is false when GitHub cut the
/// file list (a compare lists at most 300 files).
/// </summary>
internal sealed record GitOpsRange(IReadOnlyList<RangeCommit> Commits, IReadOnlyList<RangeFile> Files, bool FilesComplete = true)
{
    /// <summary>GitHub's compare lists at most this many files.</summary>
    public const int MaxCompareFiles = 300;

    /// <summary>
    /// Whether the commits that touch <paramref name="folder"/> must be asked for (GraphQL
    /// <c>history(path:)</c>): the range answers itself when it has one commit, or when its
    /// complete file list has nothing under the folder (no commit of it changes the folder, net).
    /// </summary>
    public bool NeedsHistory(string folder) =>
        Commits.Count > 1 && (!FilesComplete || Files.Any(f => GitOpsFolder.Contains(folder, f.Path)));

    /// <summary>
    /// What the range says about the application revision a rollout of <paramref name="folder"/>
    /// runs (docs/metrics.md, "GitOps repositories and promotion"): the source commits and image
    /// tags named by the messages of the commits that touch the folder, newest first, and the tags
    /// the patches of the files under it set. Without a folder (null), every commit and file, as
    /// for a repository that holds one environment. <paramref name="touching"/>: the commits that
    /// touch the folder, when <see cref="NeedsHistory"/> said to ask.
    /// </summary>
    public GitOpsRevisionFacts Facts(string? folder, IReadOnlySet<string>? touching = null)
    {
        var files = folder is null ? Files : Files.Where(f => GitOpsFolder.Contains(folder, f.Path)).ToList();
        var commits = folder is null ? Commits
            : !NeedsHistory(folder) ? (files.Count > 0 || !FilesComplete ? Commits : [])
            : Commits.Where(c => touching?.Contains(c.Sha) == true).ToList();
        var links = commits.Select(c => CommitMessageLinks.Read(c.Message)).ToList();
        return new GitOpsRevisionFacts(
            links.SelectMany(l => l.Commits).Distinct().ToList(),
            links.SelectMany(l => l.Images).Distinct().ToList(),
            files.SelectMany(f => ManifestPatch.Read(f.Patch)).Distinct().ToList());
    }
}
