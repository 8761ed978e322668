namespace DoraCollector.Metrics;

/// <summary>When a deployment rolled out to several clusters goes live (docs/metrics.md, "Clusters").</summary>
internal enum MultiClusterLive
{
    /// <summary>When the first cluster succeeds.</summary>
    FirstCluster,

    /// <summary>When every cluster that received it within the rollout window has it.</summary>
    LastCluster,
}
