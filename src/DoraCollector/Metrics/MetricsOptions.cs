namespace DoraCollector.Metrics;

/// <summary><c>Dora:Metrics</c>: the configurable rules of the metric definitions (docs/metrics.md).</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Dora:Metrics";

    public static readonly IReadOnlyList<string> DefaultWindows = ["7d", "30d", "90d"];
    public static readonly IReadOnlyList<string> DefaultHotfixLabels = ["hotfix"];
    public static readonly TimeSpan DefaultRolloutWindow = TimeSpan.FromHours(24);

    /// <summary>Trailing windows ending now, as <c>7d</c> or <c>12h</c>; also the <c>window</c> label. Default 7d, 30d, 90d.</summary>
    public List<string> Windows { get; set; } = [];

    /// <summary>Environments whose name matches are production: what performance levels are judged on.</summary>
    public string ProductionEnvironmentPattern { get; set; } = "^(prod|production)$";

    /// <summary>An incident is attributed to the latest deployment that finished at most this long before it started.</summary>
    public TimeSpan AttributionWindow { get; set; } = TimeSpan.FromHours(24);

    public LeadTimeStart LeadTimeStart { get; set; } = LeadTimeStart.FirstCommit;

    /// <summary>Pull request labels that mark a hotfix. Default <c>hotfix</c>.</summary>
    public List<string> HotfixLabels { get; set; } = [];

    /// <summary>A commit message or pull request title matching this is a revert.</summary>
    public string RevertPattern { get; set; } = "^Revert \"";

    /// <summary>Signals of one service closer than this merge into one incident (0: only overlapping ones).</summary>
    public TimeSpan IncidentMergeGap { get; set; } = TimeSpan.Zero;

    /// <summary>The environment of an incident whose source names none.</summary>
    public string DefaultIncidentEnvironment { get; set; } = "production";

    /// <summary>How far back from the previous deployment the commit graph is walked to find what a deployment brings.</summary>
    public TimeSpan MaxBranchAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often each replica recomputes its in-memory snapshot even without new data.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Between these, each snapshot reloads only the services whose rows changed and measures again
    /// only what may differ; then one is computed in full from the database, the safety net.
    /// </summary>
    public TimeSpan FullSnapshotInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After new data, wait this long for more before recomputing.</summary>
    public TimeSpan SnapshotDebounce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When a deployment rolled out to several clusters goes live: the first cluster's success (default) or the last one's.</summary>
    public MultiClusterLive MultiClusterLive { get; set; } = MultiClusterLive.FirstCluster;

    /// <summary>Under <c>LastCluster</c>, the clusters that received a revision at most this long after the first are waited for.</summary>
    public TimeSpan RolloutWindow { get; set; } = DefaultRolloutWindow;

    /// <summary>
    /// A configuration-only change (a new GitOps revision running the same application revision) is
    /// a deployment of its own, not a redeploy. Default false (docs/metrics.md, "GitOps repositories and promotion").
    /// </summary>
    public bool CountConfigurationChanges { get; set; }

    public BenchmarkOptions Benchmarks { get; set; } = new();

    public IReadOnlyList<string> EffectiveWindows => Windows.Count == 0 ? DefaultWindows : Windows;

    public IReadOnlyList<string> EffectiveHotfixLabels => HotfixLabels.Count == 0 ? DefaultHotfixLabels : HotfixLabels;
}
