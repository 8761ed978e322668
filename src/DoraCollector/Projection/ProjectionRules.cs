using System.Text.RegularExpressions;
using DoraCollector.Metrics;

namespace DoraCollector.Projection;

/// <summary>The configurable rules of docs/metrics.md that shape deployments and incidents.</summary>
internal sealed record ProjectionRules(
    TimeSpan AttributionWindow,
    TimeSpan IncidentMergeGap,
    IReadOnlySet<string> HotfixLabels,
    Regex RevertPattern,
    Regex ProductionPattern,
    string DefaultIncidentEnvironment,
    TimeSpan MaxBranchAge)
{
    /// <summary>When a deployment rolled out to several clusters goes live.</summary>
    public MultiClusterLive MultiClusterLive { get; init; } = MultiClusterLive.FirstCluster;

    /// <summary>Under <see cref="MultiClusterLive.LastCluster"/>: the clusters that received a revision this long after the first are waited for.</summary>
    public TimeSpan RolloutWindow { get; init; } = MetricsOptions.DefaultRolloutWindow;

    /// <summary>A configuration-only change (same application revision, new configuration revision) is a deployment, not a redeploy.</summary>
    public bool CountConfigurationChanges { get; init; }

    public static ProjectionRules From(MetricsOptions options) => new(
        options.AttributionWindow,
        options.IncidentMergeGap,
        options.EffectiveHotfixLabels.ToHashSet(StringComparer.OrdinalIgnoreCase),
        new Regex(options.RevertPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
        new Regex(options.ProductionEnvironmentPattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)),
        options.DefaultIncidentEnvironment,
        options.MaxBranchAge)
    {
        MultiClusterLive = options.MultiClusterLive,
        RolloutWindow = options.RolloutWindow,
        CountConfigurationChanges = options.CountConfigurationChanges,
    };

    /// <summary>A fingerprint of the rules: stored results computed under other rules are not reused.</summary>
    public string Fingerprint => string.Join('|',
        AttributionWindow.Ticks, IncidentMergeGap.Ticks, string.Join(',', HotfixLabels.Order(StringComparer.OrdinalIgnoreCase)),
        RevertPattern, ProductionPattern, DefaultIncidentEnvironment, MaxBranchAge.Ticks, MultiClusterLive, RolloutWindow.Ticks)
        + (CountConfigurationChanges ? "|configuration-changes" : "");

    public bool IsProduction(string environment) => ProductionPattern.IsMatch(environment);
}
