using System.Text.RegularExpressions;

namespace DoraCollector.Sources.GitHub;

/// <summary>
/// Which repositories of an organisation are collected: glob patterns (<c>*</c>, <c>?</c>)
/// matched case-insensitively against the repository's <c>name</c> or <c>owner/name</c>.
/// </summary>
internal static partial class RepositoryPattern
{
    public static bool IsValid(string? pattern) => !string.IsNullOrWhiteSpace(pattern) && PatternText().IsMatch(pattern.Trim());

    public static bool IsOwnerName(string? owner) => !string.IsNullOrWhiteSpace(owner) && OwnerText().IsMatch(owner.Trim());

    /// <summary>True when <paramref name="fullName"/> (<c>owner/name</c>) is selected by the include and exclude patterns.</summary>
    public static bool Selects(string fullName, IReadOnlyCollection<string> include, IReadOnlyCollection<string> exclude)
    {
        var name = fullName[(fullName.IndexOf('/', StringComparison.Ordinal) + 1)..];
        bool Matches(string pattern) => Glob(pattern).IsMatch(fullName) || Glob(pattern).IsMatch(name);
        return (include.Count == 0 || include.Any(Matches)) && !exclude.Any(Matches);
    }

    /// <summary>
    /// Whether the configuration collects this repository: it is listed, or belongs to a listed
    /// organisation and the patterns select it. Without any repository or organisation configured
    /// (webhooks only), every repository is.
    /// </summary>
    public static bool IsCollected(GitHubOptions options, string fullName)
    {
        if (!options.Polls)
        {
            return true;
        }

        var owner = fullName.Split('/')[0];
        return options.Repositories.Any(r => string.Equals(r.Trim(), fullName, StringComparison.OrdinalIgnoreCase))
               || (options.Organizations.Any(o => string.Equals(o.Trim(), owner, StringComparison.OrdinalIgnoreCase))
                   && Selects(fullName, options.Include, options.Exclude));
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern.Trim()).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"^[A-Za-z0-9_.\-*?/]+$")]
    private static partial Regex PatternText();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex OwnerText();
}
