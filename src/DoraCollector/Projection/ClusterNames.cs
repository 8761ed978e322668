using System.Text.RegularExpressions;

namespace DoraCollector.Projection;

/// <summary>What a cluster may be called (docs/metrics.md, "Clusters"): as the generic API's <c>cluster</c>.</summary>
internal static partial class ClusterNames
{
    public const string Rule = "1 to 100 letters, digits, '.', '_' or '-'";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex Pattern();
}
