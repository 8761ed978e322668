namespace DoraCollector.Sources.GitOps;

/// <summary>
/// The folder of a GitOps repository a rollout deploys (Argo CD's <c>spec.source.path</c>, a Flux
/// Kustomization's <c>spec.path</c>), as the collector compares it with the files a commit
/// changes: a file is under the folder when its path is the folder or starts with the folder and
/// a <c>/</c> (<c>apps/checkout/production</c> holds <c>apps/checkout/production/kustomization.yaml</c>,
/// not <c>apps/checkout/production-eu/…</c>). Only the folder itself counts: a Kustomize overlay's
/// bases outside it (<c>../base</c>) are not followed.
/// </summary>
internal static class GitOpsFolder
{
    /// <summary>The longest folder kept; a longer value names no folder.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// The folder as stored: without <c>./</c> segments, a leading or trailing <c>/</c>, or doubled
    /// slashes; null for none, the repository's root (<c>.</c>, <c>./</c>, <c>/</c>), a folder that
    /// climbs out of the repository (<c>..</c>) or one longer than <see cref="MaxLength"/>.
    /// </summary>
    public static string? Normalize(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var segments = path.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != ".")
            .ToList();
        if (segments.Count == 0 || segments.Contains(".."))
        {
            return null;
        }

        var folder = string.Join('/', segments);
        return folder.Length > MaxLength ? null : folder;
    }

    /// <summary>Whether <paramref name="file"/> (a path from the repository's root, as GitHub lists it) lies under <paramref name="folder"/> (normalised).</summary>
    public static bool Contains(string folder, string? file)
    {
        if (string.IsNullOrEmpty(file))
        {
            return false;
        }

        var path = file.TrimStart('/');
        return path.Length == folder.Length
            ? string.Equals(path, folder, StringComparison.Ordinal)
            : path.Length > folder.Length && path[folder.Length] == '/' && path.StartsWith(folder, StringComparison.Ordinal);
    }
}
