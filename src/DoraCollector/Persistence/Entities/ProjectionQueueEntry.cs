namespace DoraCollector.Persistence.Entities;

/// <summary>A service whose derived deployments, changes and incidents must be projected again.</summary>
internal sealed class ProjectionQueueEntry
{
    public int ServiceId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }

    /// <summary>Commits or pull requests changed: resolve the deployments' changes again.</summary>
    public bool ResolveChanges { get; set; }
}
