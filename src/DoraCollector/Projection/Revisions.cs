namespace DoraCollector.Projection;

internal static class Revisions
{
    private const int ShortestAbbreviation = 7;

    private const int LongestSha = 64;

    /// <summary>
    /// Two revisions name the same commit: equal ignoring case, or one is an abbreviation (at least
    /// seven hexadecimal digits) of the other, as people and some tools write SHAs. Only SHAs
    /// abbreviate: any other revision (a version, a build name, a chart version) names only itself,
    /// so <c>release-1</c> is not <c>release-10</c> (docs/metrics.md, "Deployments").
    /// </summary>
    public static bool Same(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return shorter.Length >= ShortestAbbreviation && IsSha(shorter) && IsSha(longer)
               && longer.StartsWith(shorter, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A commit SHA, whole or abbreviated: 7 to 64 hexadecimal digits (SHA-1 or SHA-256 object names).</summary>
    public static bool IsSha(string revision) =>
        revision.Length is >= ShortestAbbreviation and <= LongestSha && revision.All(char.IsAsciiHexDigit);

    public static string Normalize(string revision) => revision.Trim().ToLowerInvariant();
}
