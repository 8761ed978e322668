namespace DoraCollector.Simulator.Model;

/// <summary>How a team delivers, on purpose different from team to team so the numbers tell a story.</summary>
internal enum Performance
{
    Elite,
    Struggling,
    High,
    Medium,
}

/// <summary>When a team's services roll out to staging and on to production.</summary>
internal enum DeployCadence
{
    /// <summary>Every merge goes to staging within minutes and on to production after a short soak.</summary>
    Continuous,

    /// <summary>Twice a working day to staging, promoted to production an hour and a half later.</summary>
    TwiceDaily,

    /// <summary>Once a working day to staging, promoted the next working morning.</summary>
    Daily,

    /// <summary>A release train: staging on Tuesdays, production on Thursdays.</summary>
    Weekly,
}

/// <summary>A range of durations, drawn uniformly in whole seconds.</summary>
internal readonly record struct TimeRange(TimeSpan Min, TimeSpan Max)
{
    public static TimeRange Minutes(double min, double max) => new(TimeSpan.FromMinutes(min), TimeSpan.FromMinutes(max));

    public static TimeRange Hours(double min, double max) => new(TimeSpan.FromHours(min), TimeSpan.FromHours(max));

    public TimeSpan Draw(Random random) =>
        TimeSpan.FromSeconds(Math.Round(Min.TotalSeconds + (random.NextDouble() * (Max - Min).TotalSeconds)));
}

/// <summary>The numbers behind a <see cref="Performance"/>.</summary>
/// <param name="PullRequestsPerEngineerDay">Pull requests an engineer starts on a working day.</param>
/// <param name="Coding">First commit to pull request opened.</param>
/// <param name="Review">Opened to first review.</param>
/// <param name="Merge">First review to merge.</param>
/// <param name="MergeStyles">Weights of merge commit, squash, rebase.</param>
/// <param name="DirectPushesPerRepositoryDay">Commits pushed straight to the default branch.</param>
/// <param name="SyncFailure">Chance a rollout fails.</param>
/// <param name="BadDeploy">Chance a production rollout breaks something (an alert fires).</param>
/// <param name="Detection">Rollout finished to the alert firing.</param>
/// <param name="Restore">An incident fixed outside the deploy path: firing to resolved.</param>
/// <param name="Remedies">Weights of rollback, hotfix, revert, fixed outside the deploy path.</param>
/// <param name="BackgroundAlertsPerServiceDay">Alerts with no deployment behind them.</param>
/// <param name="RedeploysPerServiceDay">Manual re-syncs of the live revision.</param>
internal sealed record TeamProfile(
    Performance Performance,
    int Engineers,
    double PullRequestsPerEngineerDay,
    (int Min, int Max) CommitsPerPullRequest,
    TimeRange Coding,
    TimeRange Review,
    TimeRange Merge,
    (int MergeCommit, int Squash, int Rebase) MergeStyles,
    double DirectPushesPerRepositoryDay,
    DeployCadence Cadence,
    double SyncFailure,
    double BadDeploy,
    TimeRange Detection,
    TimeRange Restore,
    (int Rollback, int Hotfix, int Revert, int Outside) Remedies,
    double BackgroundAlertsPerServiceDay,
    double RedeploysPerServiceDay)
{
    public static TeamProfile Of(Performance performance) => performance switch
    {
        Performance.Elite => new(performance, 5, 0.8, (1, 3), TimeRange.Hours(0.5, 4), TimeRange.Minutes(10, 90), TimeRange.Minutes(5, 60),
            (1, 7, 2), 0.1, DeployCadence.Continuous, 0.03, 0.04, TimeRange.Minutes(5, 30), TimeRange.Minutes(10, 45), (5, 3, 2, 1), 0.01, 0.05),
        Performance.High => new(performance, 4, 0.6, (1, 4), TimeRange.Hours(2, 30), TimeRange.Hours(1, 8), TimeRange.Minutes(30, 240),
            (4, 4, 2), 0.2, DeployCadence.TwiceDaily, 0.06, 0.08, TimeRange.Minutes(10, 120), TimeRange.Minutes(30, 360), (3, 4, 3, 2), 0.03, 0.05),
        Performance.Medium => new(performance, 4, 0.45, (2, 5), TimeRange.Hours(4, 60), TimeRange.Hours(4, 30), TimeRange.Hours(1, 8),
            (5, 4, 1), 0.3, DeployCadence.Daily, 0.1, 0.15, TimeRange.Minutes(20, 360), TimeRange.Hours(1, 20), (2, 4, 2, 2), 0.05, 0.03),
        _ => new(performance, 6, 0.3, (3, 8), TimeRange.Hours(24, 120), TimeRange.Hours(20, 96), TimeRange.Hours(4, 24),
            (7, 3, 0), 0.5, DeployCadence.Weekly, 0.18, 0.3, TimeRange.Hours(1, 20), TimeRange.Hours(4, 60), (1, 5, 2, 2), 0.08, 0.02),
    };
}
