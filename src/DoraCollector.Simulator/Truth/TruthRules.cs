using System.Text.RegularExpressions;

namespace DoraCollector.Simulator.Truth;

/// <summary>
/// The configurable rules of the metric definitions (docs/metrics.md), at the collector's
/// defaults: the simulator gives the collector no other values, so both judge alike.
/// </summary>
internal sealed record TruthRules
{
    public static TruthRules Default { get; } = new();

    /// <summary>Trailing windows ending now (<c>Dora:Metrics:Windows</c>).</summary>
    public IReadOnlyList<(string Label, TimeSpan Length)> Windows { get; init; } =
        [("7d", TimeSpan.FromDays(7)), ("30d", TimeSpan.FromDays(30)), ("90d", TimeSpan.FromDays(90))];

    /// <summary><c>Dora:Metrics:AttributionWindow</c>.</summary>
    public TimeSpan AttributionWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>Dora:Metrics:IncidentMergeGap</c>: signals closer than this merge (0: only overlapping ones).</summary>
    public TimeSpan IncidentMergeGap { get; init; } = TimeSpan.Zero;

    /// <summary><c>Dora:Metrics:HotfixLabels</c>, compared without case.</summary>
    public IReadOnlySet<string> HotfixLabels { get; init; } = new HashSet<string>(["hotfix"], StringComparer.OrdinalIgnoreCase);

    /// <summary><c>Dora:Metrics:RevertPattern</c>, over a pull request's title and merge message or a commit's first line.</summary>
    public Regex RevertPattern { get; init; } = new("^Revert \"", RegexOptions.CultureInvariant);

    /// <summary><c>Dora:Metrics:ProductionEnvironmentPattern</c>.</summary>
    public Regex ProductionPattern { get; init; } = new("^(prod|production)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary><c>Dora:Metrics:DefaultIncidentEnvironment</c>.</summary>
    public string DefaultIncidentEnvironment { get; init; } = "production";

    /// <summary><c>Dora:Alertmanager:Matchers</c> default <c>severity=~"critical|page"</c>: a regular expression matches the whole value.</summary>
    public Regex QualifyingSeverity { get; init; } = new("^(?:critical|page)$", RegexOptions.CultureInvariant);

    /// <summary><c>Dora:Alertmanager:ServiceLabels</c>, tried in order.</summary>
    public IReadOnlyList<string> ServiceLabels { get; init; } = ["service", "app"];

    /// <summary><c>Dora:Alertmanager:EnvironmentLabels</c>, tried in order.</summary>
    public IReadOnlyList<string> EnvironmentLabels { get; init; } = ["environment", "env"];

    /// <summary><c>Dora:Alertmanager:ClusterLabel</c>: the label naming the cluster an alert was seen on.</summary>
    public string ClusterLabel { get; init; } = "cluster";

    /// <summary>Deployments per day: elite ≥ 1/day, high ≥ 1/week, medium ≥ 1/month (an edge belongs to the better band).</summary>
    public (double Elite, double High, double Medium) FrequencyBands { get; init; } = (1.0, 1.0 / 7, 1.0 / 30);

    /// <summary>Median lead time: elite &lt; 1 day, high &lt; 1 week, medium &lt; 1 month (an edge belongs to the worse band).</summary>
    public (TimeSpan Elite, TimeSpan High, TimeSpan Medium) LeadTimeBands { get; init; } = (TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

    /// <summary>Change failure rate: elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %.</summary>
    public (double Elite, double High, double Medium) FailureRateBands { get; init; } = (0.05, 0.10, 0.15);

    /// <summary>Time to restore and failed deployment recovery time: elite &lt; 1 hour, high &lt; 1 day, medium &lt; 1 week.</summary>
    public (TimeSpan Elite, TimeSpan High, TimeSpan Medium) RestoreBands { get; init; } = (TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7));

    public bool IsProduction(string environment) => ProductionPattern.IsMatch(environment);
}
