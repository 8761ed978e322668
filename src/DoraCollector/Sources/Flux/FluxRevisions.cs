using System.Text.RegularExpressions;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// Reads the revision Flux reports into what a deployment records: the commit SHA of a Git
/// revision in any form Flux has used (<c>main@sha1:&lt;sha&gt;</c>, <c>v1.2.0@sha1:&lt;sha&gt;</c>,
/// <c>sha1:&lt;sha&gt;</c>, the older <c>main/&lt;sha&gt;</c>, a bare SHA); for an OCI artifact
/// (<c>latest@sha256:&lt;digest&gt;</c>) the Git origin revision when there is one; for a
/// HelmRelease the chart version, with the values digest when Flux reports one, so a values-only
/// upgrade is a rollout of its own.
/// </summary>
internal static partial class FluxRevisions
{
    public static string? Parse(string kind, string? revision, string? originRevision, string? token)
    {
        if (string.IsNullOrWhiteSpace(revision))
        {
            return null;
        }

        revision = revision.Trim();
        if (kind == "HelmRelease")
        {
            return token is { Length: > 0 } && Digest().Match(token) is { Success: true } digest
                ? $"{revision}@{digest.Groups["algorithm"].Value}:{digest.Groups["hex"].Value[..Math.Min(12, digest.Groups["hex"].Value.Length)]}"
                : revision;
        }

        if (GitSha(revision) is { } sha)
        {
            return sha;
        }

        if (GitSha(originRevision) is { } origin)
        {
            return origin;
        }

        return Digest().Match(revision) is { Success: true } artifact
            ? $"{artifact.Groups["algorithm"].Value}:{artifact.Groups["hex"].Value}"
            : revision;
    }

    /// <summary>The commit SHA of a Git revision in any of Flux's forms, else null.</summary>
    public static string? GitSha(string? revision)
    {
        if (string.IsNullOrWhiteSpace(revision))
        {
            return null;
        }

        var match = GitRevision().Match(revision.Trim());
        return match.Success ? match.Groups["sha"].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"(?:^|@sha1:|^sha1:|/)(?<sha>[0-9a-f]{40})$", RegexOptions.IgnoreCase)]
    private static partial Regex GitRevision();

    [GeneratedRegex(@"(?<algorithm>sha256|sha384|sha512):(?<hex>[0-9a-fA-F]+)$")]
    private static partial Regex Digest();
}
