namespace DoraCollector.Metrics;

/// <summary>The times of a change that its lead time is measured from.</summary>
/// <param name="FirstCommitAt">Earliest authored time of its commits (a direct commit: its authored time).</param>
/// <param name="OpenedAt">Pull request opened; null for a direct commit.</param>
/// <param name="MergedAt">Pull request merged; null for a direct commit.</param>
internal readonly record struct ChangeTimes(DateTimeOffset FirstCommitAt, DateTimeOffset? OpenedAt, DateTimeOffset? MergedAt);

/// <summary>A change's lead time and, for pull requests, its parts; seconds. A negative part is left out.</summary>
internal readonly record struct LeadTimeBreakdown(double LeadTimeSeconds, double? CodingSeconds, double? ReviewSeconds, double? DeploySeconds)
{
    /// <summary>Lead times of zero or less come from clock skew: they are discarded and counted.</summary>
    public bool IsValid => LeadTimeSeconds > 0;
}

internal static class LeadTimeRules
{
    /// <summary>Where the lead time starts under the configured rule; a direct commit always starts when authored.</summary>
    public static DateTimeOffset StartOf(ChangeTimes change, LeadTimeStart rule) => rule switch
    {
        LeadTimeStart.PrOpened => change.OpenedAt ?? change.FirstCommitAt,
        LeadTimeStart.Merged => change.MergedAt ?? change.FirstCommitAt,
        _ => change.FirstCommitAt,
    };

    /// <summary>
    /// Lead time = deployment finish − start. Parts for pull requests: coding (first commit →
    /// opened), review (opened → merged), deploy (merged → live).
    /// </summary>
    public static LeadTimeBreakdown Measure(ChangeTimes change, DateTimeOffset deployedAt, LeadTimeStart rule) => new(
        (deployedAt - StartOf(change, rule)).TotalSeconds,
        Part(change.FirstCommitAt, change.OpenedAt),
        Part(change.OpenedAt, change.MergedAt),
        Part(change.MergedAt, change.MergedAt is null ? null : deployedAt));

    private static double? Part(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t && t >= f ? (t - f).TotalSeconds : null;
}
