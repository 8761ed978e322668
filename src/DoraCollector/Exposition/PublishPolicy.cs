using System.Text.RegularExpressions;
using DoraCollector.Metrics;

namespace DoraCollector.Exposition;

/// <summary><see cref="PublishOptions"/> resolved against its profile and the configured windows.</summary>
internal sealed record PublishPolicy(
    IReadOnlySet<string> Scopes,
    IReadOnlySet<string> Windows,
    Regex? Environments,
    IReadOnlySet<string> Quantiles,
    IReadOnlySet<string> BreakdownQuantiles,
    IReadOnlySet<string> LevelScopes,
    LevelStyle LevelStyle)
{
    public static readonly IReadOnlyList<string> AllScopes = [SeriesKey.OrganizationScope, SeriesKey.TeamScope, SeriesKey.ServiceScope];
    public static readonly IReadOnlyList<string> AllQuantiles = ["0.5", "0.9"];

    /// <summary>Everything, levels both ways: what tests and tools that read every family use.</summary>
    public static PublishPolicy Full { get; } = Resolve(new PublishOptions { Profile = PublishProfile.Full }, null);

    public static PublishPolicy Resolve(PublishOptions options, IReadOnlyList<string>? configuredWindows)
    {
        var windows = configuredWindows ?? MetricsOptions.DefaultWindows;
        var profile = options.Profile;
        return new PublishPolicy(
            Set(options.Scopes ?? AllScopes),
            Set(options.Windows ?? DefaultWindows(profile, windows)),
            string.IsNullOrEmpty(options.Environments) ? null : new Regex(options.Environments, RegexOptions.None, TimeSpan.FromSeconds(1)),
            Set(options.Quantiles ?? (profile == PublishProfile.Lean ? ["0.5"] : AllQuantiles)),
            Set(options.BreakdownQuantiles ?? profile switch
            {
                PublishProfile.Full => AllQuantiles,
                PublishProfile.Standard => ["0.5"],
                _ => [],
            }),
            Set(options.LevelScopes ?? (profile == PublishProfile.Lean ? [SeriesKey.OrganizationScope, SeriesKey.TeamScope] : AllScopes)),
            options.LevelStyle ?? (profile == PublishProfile.Full ? LevelStyle.Both : LevelStyle.Score));
    }

    /// <summary>
    /// Full: every window. Standard: the windows of 30 days or more (every window when none is).
    /// Lean: the shortest of those.
    /// </summary>
    public static IReadOnlyList<string> DefaultWindows(PublishProfile profile, IReadOnlyList<string> windows)
    {
        if (profile == PublishProfile.Full)
        {
            return windows;
        }

        var monthly = windows.Where(w => Hosting.Duration.TryParse(w, out var length) && length >= TimeSpan.FromDays(30)).ToList();
        var chosen = monthly.Count > 0 ? monthly : [.. windows];
        return profile == PublishProfile.Lean
            ? [chosen.OrderBy(w => Hosting.Duration.TryParse(w, out var length) ? length : TimeSpan.MaxValue).First()]
            : chosen;
    }

    public bool Publishes(SeriesKey key) =>
        Scopes.Contains(key.Scope) && (Environments is null || Environments.IsMatch(key.Environment));

    public bool Publishes(SeriesKey key, string window) => Publishes(key) && Windows.Contains(window);

    private static HashSet<string> Set(IEnumerable<string> values) => new(values, StringComparer.Ordinal);
}
