using System.Text.RegularExpressions;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// Turns a Git URL as Argo CD sources name it into the repository name the other sources use:
/// <c>https://github.com/Acme/Shop.git</c>, <c>git@github.com:acme/shop.git</c> and
/// <c>ssh://git@github.com/acme/shop</c> all become <c>acme/shop</c>, so commits collected from
/// GitHub line up with rollouts. A path of another shape keeps its host (<c>dev.azure.com/org/project/_git/repo</c>).
/// </summary>
internal static partial class RepositoryUrls
{
    /// <summary>The repository's <c>owner/name</c> (lower case), or null when the URL names no Git repository.</summary>
    public static string? Normalize(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        string host, path;
        if (ScpLike().Match(url) is { Success: true } scp)
        {
            (host, path) = (scp.Groups["host"].Value, scp.Groups["path"].Value);
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git")
        {
            (host, path) = (uri.Host, Uri.UnescapeDataString(uri.AbsolutePath));
        }
        else
        {
            return null;
        }

        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length switch
        {
            0 => null,
            2 => $"{segments[0]}/{segments[1]}".ToLowerInvariant(),
            _ => $"{host}/{string.Join('/', segments)}".ToLowerInvariant(),
        };
    }

    /// <summary>A source that is a Git repository (not a Helm chart repository or an OCI registry).</summary>
    public static bool IsGit(ArgoSource source) =>
        string.IsNullOrEmpty(source.Chart) && source.RepoUrl is { } url && !url.StartsWith("oci://", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+@(?<host>[^:/]+):(?<path>.+)$")]
    private static partial Regex ScpLike();
}
