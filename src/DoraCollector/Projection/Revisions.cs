namespace DoraCollector.Projection;

internal static class Revisions
{
    private const int ShortestAbbreviation = 7;

    /// <summary>
    /// Two revisions name the same commit: equal ignoring case, or one is an abbreviation (at least
    /// seven characters) of the other, as people and some tools write SHAs.
    /// </summary>
    public static bool Same(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return shorter.Length >= ShortestAbbreviation && longer.StartsWith(shorter, StringComparison.OrdinalIgnoreCase);
    }

    public static string Normalize(string revision) => revision.Trim().ToLowerInvariant();
}
