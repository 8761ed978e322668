namespace DoraCollector.Metrics;

/// <summary>The snapshot every reader sees; replaced whole, never mutated.</summary>
internal sealed class SnapshotHolder
{
    private volatile DoraSnapshot _current = DoraSnapshot.Empty;

    public DoraSnapshot Current => _current;

    public void Publish(DoraSnapshot snapshot) => _current = snapshot;
}
