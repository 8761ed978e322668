using System.Text.RegularExpressions;

namespace DoraCollector.Sources.GitOps;

/// <summary>
/// What an image tag can say about the commit it was built from: a commit SHA (the whole tag,
/// <c>sha-&lt;sha&gt;</c> as docker/metadata-action's <c>type=sha</c> writes it, or one
/// <c>-</c>-separated part, as in Flux's <c>main-&lt;sha&gt;-&lt;timestamp&gt;</c> example), or
/// a version that names a git tag of the repository (<c>v1.4.2</c>, <c>1.4.2</c>).
/// </summary>
internal static partial class ImageTag
{
    /// <summary>The shortest abbreviation taken for a SHA (git's default abbreviation is 7).</summary>
    public const int MinimumAbbreviation = 7;

    /// <summary>Hex strings of the tag that may be commit SHAs, lower case, most likely first.</summary>
    public static IReadOnlyList<string> CommitCandidates(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return [];
        }

        var candidates = new List<string>();
        void Add(string part)
        {
            // A run of digits is as likely a build number or a date as an abbreviated SHA; it still
            // is one only when it is unique among the repository's commits, which the caller checks.
            if (part.Length is >= MinimumAbbreviation and <= 40 && Hex().IsMatch(part) && !candidates.Contains(part.ToLowerInvariant()))
            {
                candidates.Add(part.ToLowerInvariant());
            }
        }

        Add(tag);
        if (tag.StartsWith("sha-", StringComparison.OrdinalIgnoreCase))
        {
            Add(tag[4..]);
        }

        foreach (var part in tag.Split('-', '_', '.'))
        {
            Add(part);
        }

        return candidates;
    }

    /// <summary>True for a full 40-character SHA, which names a commit without a look-up.</summary>
    public static bool IsFullSha(string candidate) => candidate.Length == 40 && Hex().IsMatch(candidate);

    /// <summary>
    /// The git tag names a version tag may stand for, the tag as written first: <c>v1.4.2</c> and
    /// <c>1.4.2</c> name each other (release tooling writes the git tag with a <c>v</c> and the
    /// image tag without, or the other way round). Empty when the tag is not a version.
    /// </summary>
    public static IReadOnlyList<string> VersionTagNames(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || !Version().IsMatch(tag))
        {
            return [];
        }

        return tag[0] is 'v' or 'V' ? [tag, tag[1..]] : [tag, "v" + tag];
    }

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex Hex();

    // Semantic versions and their common shorter forms: 1.4, 1.4.2, v1.4.2-rc.1, 1.4.2+build.5.
    [GeneratedRegex(@"^[vV]?[0-9]+(?:\.[0-9]+){1,3}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex Version();
}
