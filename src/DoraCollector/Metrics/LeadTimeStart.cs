namespace DoraCollector.Metrics;

/// <summary>Where a pull request's lead time starts (a direct commit always starts at its authored time).</summary>
internal enum LeadTimeStart
{
    /// <summary>The earliest authored time of the pull request's commits.</summary>
    FirstCommit,

    /// <summary>When the pull request was opened.</summary>
    PrOpened,

    /// <summary>When the pull request was merged.</summary>
    Merged,
}
